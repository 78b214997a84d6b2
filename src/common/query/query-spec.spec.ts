import { defineQuerySpec, searchableFields, sortableFields, type QuerySpec } from './query-spec.js';

/** A minimal valid spec to vary. */
const base = (fields: QuerySpec['fields'], defaultSort = 'name'): QuerySpec => ({
  fields: { name: { type: 'string', filter: true, sort: true }, ...fields },
  openMaps: [],
  selectable: ['name'],
  defaultSort,
});

describe('defineQuerySpec', () => {
  it('returns the spec it was given', () => {
    const spec = base({ price: { type: 'number', filter: true } });
    expect(defineQuerySpec(spec)).toBe(spec);
  });

  it.each<[string, QuerySpec, RegExp]>([
    [
      'an enum without values',
      base({ kind: { type: 'enum', filter: true } }),
      /^Query spec: enum field kind needs its values$/,
    ],
    [
      'an enum with an empty list of values',
      base({ kind: { type: 'enum', values: [], filter: true } }),
      /^Query spec: enum field kind needs its values$/,
    ],
    [
      'a searchable number',
      base({ price: { type: 'number', search: true } }),
      /^Query spec: only string fields can be searched \(price\)$/,
    ],
    [
      'a searchable enum',
      base({ kind: { type: 'enum', values: ['a'], search: true } }),
      /^Query spec: only string fields can be searched \(kind\)$/,
    ],
    [
      'a searchable date',
      base({ at: { type: 'date', search: true } }),
      /^Query spec: only string fields can be searched \(at\)$/,
    ],
    [
      'a default sort that is not sortable',
      base({ price: { type: 'number', filter: true } }, 'price'),
      /^Query spec: the default sort price must be a sortable field$/,
    ],
    [
      'a default sort that is not a field',
      base({}, 'createdAt'),
      /^Query spec: the default sort createdAt must be a sortable field$/,
    ],
    [
      'a default sort naming an inherited property',
      base({}, 'constructor'),
      /^Query spec: the default sort constructor must be a sortable field$/,
    ],
  ])('throws for %s', (_label, spec, message) => {
    expect(() => defineQuerySpec(spec)).toThrow(message);
  });
});

describe('sortableFields / searchableFields', () => {
  it('list what a new spec marks, in declaration order', () => {
    const spec = defineQuerySpec({
      fields: {
        title: { type: 'string', filter: true, sort: true, search: true },
        body: { type: 'string', search: true },
        year: { type: 'integer', filter: true, sort: true },
        draft: { type: 'boolean', filter: true, sort: false },
      },
      openMaps: [],
      selectable: ['title'],
      defaultSort: 'year',
    });
    expect(sortableFields(spec)).toEqual(['title', 'year']);
    expect(searchableFields(spec)).toEqual(['title', 'body']);
  });
});
