import { SortOrder } from '../pagination/sort-order.js';
import { FilterTranslator, type MongoFilter } from './filter-translator.js';
import { invalidFilter } from './invalid-filter.js';
import { QUERY_LIMITS } from './query-limits.js';
import { searchableFields, sortableFields, type QuerySpec } from './query-spec.js';

/** What a client sent to a list endpoint, validated for shape by the query DTO. */
export interface ListQueryInput {
  limit: number;
  offset: number;
  sort?: string;
  order?: SortOrder;
  filter?: string;
  search?: string;
  fields?: string;
}

/** A list query ready for a repository: every part built from the resource's QuerySpec. */
export interface ListQuery {
  filter: MongoFilter;
  sort: Record<string, 1 | -1>;
  /** Fields to return (`_id` always); undefined for whole records. */
  projection?: Record<string, 1>;
  skip: number;
  limit: number;
}

/**
 * Makes a user's text match itself only: every regex metacharacter is escaped, and NUL is written
 * as `\x00` (MongoDB refuses a pattern containing the byte itself).
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\0', '\\x00');
}

/**
 * `search`: a case-insensitive substring match over the searchable fields. The text is escaped,
 * so the pattern has no quantifiers or groups of the client's making and matches in linear time.
 */
export function buildSearch(spec: QuerySpec, term: string): MongoFilter {
  const fields = searchableFields(spec);
  const pattern = escapeRegExp(term.slice(0, QUERY_LIMITS.maxSearchLength));
  return { $or: fields.map((path) => ({ [path]: { $regex: pattern, $options: 'i' } })) };
}

export function buildSort(
  spec: QuerySpec,
  sort: string | undefined,
  order: SortOrder | undefined,
): ListQuery['sort'] {
  const allowed = sortableFields(spec);
  const field = sort ?? spec.defaultSort;
  if (!allowed.includes(field)) {
    throw invalidFilter('sort', `sort must be one of: ${allowed.join(', ')}`);
  }
  const direction = order === SortOrder.Asc ? 1 : -1;
  // _id breaks ties so that paging through equal keys is stable.
  return { [field]: direction, _id: direction };
}

export function buildProjection(spec: QuerySpec, fields: string): Record<string, 1> {
  const names = fields.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !spec.selectable.includes(name));
  if (unknown.length > 0) {
    // A few names are enough to find the mistake; the message stays short however many there are.
    const shown = unknown.slice(0, QUERY_LIMITS.maxQuotedNames);
    const more = unknown.length - shown.length;
    const quoted =
      shown.map((name) => JSON.stringify(name.slice(0, 50))).join(', ') +
      (more > 0 ? ` and ${more} more` : '');
    throw invalidFilter(
      'fields',
      `fields names unknown field(s) ${quoted}; choose from: ${spec.selectable.join(', ')}`,
    );
  }
  return Object.fromEntries(['_id', ...names].map((name) => [name, 1 as const]));
}

/** Builds the whole list query: filter AND search, sort with tie-breaker, projection, window. */
export function buildListQuery(spec: QuerySpec, input: ListQueryInput): ListQuery {
  const parts: MongoFilter[] = [];
  if (input.filter !== undefined) {
    parts.push(FilterTranslator.translate(spec, input.filter));
  }
  if (input.search !== undefined) {
    parts.push(buildSearch(spec, input.search));
  }
  return {
    filter: parts.length === 0 ? {} : parts.length === 1 ? parts[0] : { $and: parts },
    sort: buildSort(spec, input.sort, input.order),
    projection: input.fields === undefined ? undefined : buildProjection(spec, input.fields),
    skip: input.offset,
    limit: input.limit,
  };
}
