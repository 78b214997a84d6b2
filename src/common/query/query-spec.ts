/** The type of a field as stored; filter values are checked against it and converted. */
export type FieldType = 'objectId' | 'string' | 'enum' | 'number' | 'integer' | 'boolean' | 'date';

export interface FieldSpec {
  type: FieldType;
  /** Allowed values of an `enum` field. */
  values?: readonly string[];
  /** May appear in `filter`. */
  filter?: boolean;
  /** May be named by `sort`. */
  sort?: boolean;
  /** Matched by `search` (case-insensitive substring); string fields only. */
  search?: boolean;
}

/**
 * What a resource lets clients query, declared once per resource: the list endpoint's `filter`,
 * `search`, `sort` and `fields` accept exactly what this names, nothing else reaches MongoDB.
 */
export interface QuerySpec {
  /** Paths (dotted for sub-documents, e.g. `ocrResults.confidence`) and what each allows. */
  fields: Readonly<Record<string, FieldSpec>>;
  /**
   * Free-form sub-objects (e.g. `metadata`) whose keys clients name themselves in filters:
   * `metadata.<key>` with keys of letters, digits, `_` and `-`, nested with `.` up to 4 levels,
   * compared to JSON scalars as stored.
   */
  openMaps: readonly string[];
  /** Top-level fields `fields=` may select (`_id` is always returned). */
  selectable: readonly string[];
  defaultSort: string;
}

export function defineQuerySpec<const T extends QuerySpec>(spec: T): T {
  for (const [path, field] of Object.entries(spec.fields)) {
    if (field.type === 'enum' && !field.values?.length) {
      throw new Error(`Query spec: enum field ${path} needs its values`);
    }
    if (field.search && field.type !== 'string') {
      throw new Error(`Query spec: only string fields can be searched (${path})`);
    }
  }
  if (!spec.fields[spec.defaultSort]?.sort) {
    throw new Error(`Query spec: the default sort ${spec.defaultSort} must be a sortable field`);
  }
  return spec;
}

export function sortableFields(spec: QuerySpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, field]) => field.sort)
    .map(([path]) => path);
}

export function searchableFields(spec: QuerySpec): string[] {
  return Object.entries(spec.fields)
    .filter(([, field]) => field.search)
    .map(([path]) => path);
}
