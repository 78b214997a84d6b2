import { OCR_PAGE_QUERY_SPEC } from '../../modules/ocr-pages/ocr-pages.query-spec.js';
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

describe('the page spec', () => {
  it('sorts by exactly the fields API.md lists', () => {
    expect(sortableFields(OCR_PAGE_QUERY_SPEC).sort()).toEqual(
      [
        'pageNumber',
        'status',
        'pageType',
        'createdAt',
        'updatedAt',
        'startedAt',
        'completedAt',
        'processingTime',
        'qualityScore',
        'retryCount',
        'ocrResults.confidence',
        'job',
      ].sort(),
    );
  });

  it('searches exactly the fields API.md lists, in declaration order', () => {
    expect(searchableFields(OCR_PAGE_QUERY_SPEC)).toEqual([
      'pageUrl',
      'ocrResults.text',
      'errorLog',
      'annotations.text',
    ]);
  });

  it('filters exactly the fields API.md lists, plus its two open maps', () => {
    const fields: QuerySpec['fields'] = OCR_PAGE_QUERY_SPEC.fields;
    const filterable = Object.entries(fields)
      .filter(([, field]) => field.filter)
      .map(([path]) => path);
    expect(filterable.sort()).toEqual(
      [
        'job',
        'pageNumber',
        'status',
        'pageType',
        'pageUrl',
        'imageProperties.width',
        'imageProperties.height',
        'imageProperties.dpi',
        'imageProperties.colorSpace',
        'imageProperties.format',
        'imageProperties.size',
        'preprocessing.enhanced',
        'preprocessing.deskewed',
        'preprocessing.denoised',
        'preprocessing.binarized',
        'preprocessing.rotationAngle',
        'ocrResults.confidence',
        'qualityScore',
        'retryCount',
        'processingTime',
        'startedAt',
        'completedAt',
        'createdAt',
        'updatedAt',
        'annotations.type',
        'annotations.createdBy',
      ].sort(),
    );
    expect([...OCR_PAGE_QUERY_SPEC.openMaps].sort()).toEqual(['extractedFields', 'metadata']);
  });

  it('defaults to sorting by createdAt', () => {
    expect(OCR_PAGE_QUERY_SPEC.defaultSort).toBe('createdAt');
  });

  it('lets _id and every top-level page field be selected', () => {
    expect(OCR_PAGE_QUERY_SPEC.selectable).toContain('_id');
    expect(OCR_PAGE_QUERY_SPEC.selectable.every((name) => !name.includes('.'))).toBe(true);
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
