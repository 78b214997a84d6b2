import { TEST_QUERY_SPEC } from './query-spec.testing.js';
import fc from 'fast-check';
import { Types } from 'mongoose';
import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';
import { SortOrder } from '../pagination/sort-order.js';
import {
  buildListQuery,
  buildProjection,
  buildSearch,
  buildSort,
  escapeRegExp,
  type ListQueryInput,
} from './list-query.js';
import { QUERY_LIMITS } from './query-limits.js';
import { defineQuerySpec } from './query-spec.js';

const SPEC = TEST_QUERY_SPEC;
const SEARCHABLE = ['pageUrl', 'ocrResults.text', 'errorLog', 'annotations.text'];
const SORTABLE =
  'job, pageNumber, status, pageType, ocrResults.confidence, qualityScore, retryCount, ' +
  'processingTime, startedAt, completedAt, createdAt, updatedAt';

/** The error `run` throws, checked to be INVALID_FILTER about `parameter`. */
function invalid(run: () => unknown, parameter: 'filter' | 'sort' | 'fields'): AppError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  const error = thrown as AppError;
  expect(error.code).toBe(ErrorCode.INVALID_FILTER);
  expect(error.message.startsWith(`Invalid ${parameter}: `)).toBe(true);
  expect(error.details).toEqual([{ field: parameter, message: expect.any(String) }]);
  return error;
}

/** The `$or` buildSearch makes for an already-escaped pattern. */
const searchFor = (pattern: string) => ({
  $or: SEARCHABLE.map((path) => ({ [path]: { $regex: pattern, $options: 'i' } })),
});

describe('escapeRegExp', () => {
  it('makes any string match itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const escaped = escapeRegExp(text);
        expect(new RegExp(escaped).test(text)).toBe(true);
        expect(new RegExp(escaped, 'i').test(text)).toBe(true);
        // …and exactly itself: anchored, it matches no other string.
        expect(new RegExp(`^(?:${escaped})$`).test(text)).toBe(true);
        expect(new RegExp(`^(?:${escaped})$`).test(`${text}x`)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('matches as a literal substring search would', () => {
    const alphabet = fc.constantFrom(...'ab.*+?^$()[]{}|\\-/'.split(''));
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, minLength: 1, maxLength: 6 }),
        fc.string({ unit: alphabet, maxLength: 20 }),
        (needle, haystack) => {
          expect(new RegExp(escapeRegExp(needle)).test(haystack)).toBe(haystack.includes(needle));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each<[string, string]>([
    ['(a+)+$', '\\(a\\+\\)\\+\\$'],
    ['.*', '\\.\\*'],
    ['[', '\\['],
    [']', '\\]'],
    ['a|b', 'a\\|b'],
    ['x{2,}', 'x\\{2,\\}'],
    ['^?', '\\^\\?'],
    ['C:\\dir', 'C:\\\\dir'],
    ['plain text-with_dashes', 'plain text-with_dashes'],
    ['', ''],
  ])('escapes %j as %j', (text, escaped) => {
    expect(escapeRegExp(text)).toBe(escaped);
    expect(() => new RegExp(escapeRegExp(text))).not.toThrow();
  });

  it('defuses a catastrophic-backtracking pattern: it only matches its own text', () => {
    const pattern = new RegExp(escapeRegExp('(a+)+$'));
    expect(pattern.test(`${'a'.repeat(30)}!`)).toBe(false);
    expect(pattern.test('xx(a+)+$yy')).toBe(true);
  });
});

describe('buildSearch', () => {
  it('makes a case-insensitive $or over exactly the searchable fields', () => {
    expect(buildSearch(SPEC, 'invoice')).toEqual(searchFor('invoice'));
  });

  it('escapes the term', () => {
    expect(buildSearch(SPEC, 'total (EUR) 1.5*')).toEqual(searchFor('total \\(EUR\\) 1\\.5\\*'));
  });

  it(`keeps at most ${QUERY_LIMITS.maxSearchLength} characters of the term`, () => {
    const term = `${'a'.repeat(QUERY_LIMITS.maxSearchLength)}.*`;
    expect(buildSearch(SPEC, term)).toEqual(searchFor('a'.repeat(QUERY_LIMITS.maxSearchLength)));
  });

  it('searches only what a spec marks searchable', () => {
    const spec = defineQuerySpec({
      fields: {
        name: { type: 'string', filter: true, sort: true, search: true },
        sku: { type: 'string', filter: true },
      },
      openMaps: [],
      selectable: ['name'],
      defaultSort: 'name',
    });
    expect(buildSearch(spec, 'x')).toEqual({ $or: [{ name: { $regex: 'x', $options: 'i' } }] });
  });
});

describe('buildSort', () => {
  it('defaults to createdAt descending, ties broken on _id', () => {
    const sort = buildSort(SPEC, undefined, undefined);
    expect(sort).toEqual({ createdAt: -1, _id: -1 });
    // Key order is the sort order: the field first, then _id.
    expect(Object.keys(sort)).toEqual(['createdAt', '_id']);
  });

  it.each<[string | undefined, SortOrder | undefined, Record<string, 1 | -1>]>([
    [undefined, SortOrder.Asc, { createdAt: 1, _id: 1 }],
    [undefined, SortOrder.Desc, { createdAt: -1, _id: -1 }],
    ['pageNumber', SortOrder.Asc, { pageNumber: 1, _id: 1 }],
    ['qualityScore', undefined, { qualityScore: -1, _id: -1 }],
    ['ocrResults.confidence', SortOrder.Desc, { 'ocrResults.confidence': -1, _id: -1 }],
    ['job', SortOrder.Asc, { job: 1, _id: 1 }],
  ])('sorts by %s %s', (field, order, expected) => {
    const sort = buildSort(SPEC, field, order);
    expect(sort).toEqual(expected);
    expect(Object.keys(sort)).toEqual(Object.keys(expected));
  });

  it.each([
    ['metadata'],
    ['_id'],
    ['__proto__'],
    ['constructor'],
    ['toString'],
    ['pageUrl'],
    ['errorLog'],
    ['annotations.type'],
    ['metadata.source'],
    ['unknown'],
    [''],
    ['createdAt,_id'],
  ])('rejects sorting by %j', (field) => {
    const error = invalid(() => buildSort(SPEC, field, SortOrder.Asc), 'sort');
    expect(error.message).toBe(`Invalid sort: sort must be one of: ${SORTABLE}`);
  });
});

describe('buildProjection', () => {
  it.each<[string, Record<string, 1>]>([
    ['status,pageNumber', { _id: 1, status: 1, pageNumber: 1 }],
    [' status , pageNumber ', { _id: 1, status: 1, pageNumber: 1 }],
    ['qualityScore', { _id: 1, qualityScore: 1 }],
    ['_id', { _id: 1 }],
    ['status,status', { _id: 1, status: 1 }],
    [
      'metadata,extractedFields,ocrResults',
      { _id: 1, metadata: 1, extractedFields: 1, ocrResults: 1 },
    ],
  ])('selects %j', (fields, expected) => {
    expect(buildProjection(SPEC, fields)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    [
      'status,,x',
      /^Invalid fields: fields names unknown field\(s\) "", "x"; choose from: _id, job, /,
    ],
    ['', /^Invalid fields: fields names unknown field\(s\) ""; choose from: /],
    [',', /^Invalid fields: fields names unknown field\(s\) "", ""; choose from: /],
    ['nope', /^Invalid fields: fields names unknown field\(s\) "nope"; choose from: /],
    ['ocrResults.text', /unknown field\(s\) "ocrResults\.text"/],
    ['__proto__', /unknown field\(s\) "__proto__"/],
    ['status;pageNumber', /unknown field\(s\) "status;pageNumber"/],
    [`${'x'.repeat(80)}`, new RegExp(`unknown field\\(s\\) "${'x'.repeat(50)}";`)],
  ])('rejects %j', (fields, message) => {
    const error = invalid(() => buildProjection(SPEC, fields), 'fields');
    expect(error.message).toMatch(message);
  });
});

describe('buildListQuery', () => {
  const base: ListQueryInput = { limit: 20, offset: 40 };
  const JOB = '507f1f77bcf86cd799439011';

  it('is a match-all, default-sorted window without filter, search or fields', () => {
    expect(buildListQuery(SPEC, base)).toEqual({
      filter: {},
      sort: { createdAt: -1, _id: -1 },
      projection: undefined,
      skip: 40,
      limit: 20,
    });
  });

  it('uses the filter alone when there is no search', () => {
    expect(buildListQuery(SPEC, { ...base, filter: `{"job":"${JOB}"}` }).filter).toEqual({
      job: new Types.ObjectId(JOB),
    });
  });

  it('uses the search alone when there is no filter', () => {
    expect(buildListQuery(SPEC, { ...base, search: 'total' }).filter).toEqual(searchFor('total'));
  });

  it('ANDs filter and search', () => {
    expect(
      buildListQuery(SPEC, { ...base, filter: '{"status":"completed"}', search: 'a.b' }).filter,
    ).toEqual({ $and: [{ status: 'completed' }, searchFor('a\\.b')] });
  });

  it('keeps a filter with its own $or apart from the search $or', () => {
    const query = buildListQuery(SPEC, {
      ...base,
      filter: '{"$or":[{"status":"failed"},{"retryCount":{"$gt":0}}]}',
      search: 'x',
    });
    expect(query.filter).toEqual({
      $and: [{ $or: [{ status: 'failed' }, { retryCount: { $gt: 0 } }] }, searchFor('x')],
    });
  });

  it('takes an empty filter object as a filter', () => {
    expect(buildListQuery(SPEC, { ...base, filter: '{}' }).filter).toEqual({});
    expect(buildListQuery(SPEC, { ...base, filter: '{}', search: 'x' }).filter).toEqual({
      $and: [{}, searchFor('x')],
    });
  });

  it('passes sort, order, fields, offset and limit through', () => {
    expect(
      buildListQuery(SPEC, {
        limit: 100,
        offset: 0,
        sort: 'pageNumber',
        order: SortOrder.Asc,
        fields: 'pageNumber,status',
      }),
    ).toEqual({
      filter: {},
      sort: { pageNumber: 1, _id: 1 },
      projection: { _id: 1, pageNumber: 1, status: 1 },
      skip: 0,
      limit: 100,
    });
  });

  it.each<[string, Partial<ListQueryInput>, 'filter' | 'sort' | 'fields']>([
    ['a bad filter', { filter: '{"$where":"1"}' }, 'filter'],
    ['a bad filter next to a search', { filter: 'nope', search: 'x' }, 'filter'],
    ['a bad sort', { sort: 'metadata' }, 'sort'],
    ['bad fields', { fields: 'status,,x' }, 'fields'],
  ])('rejects %s with INVALID_FILTER', (_label, input, parameter) => {
    invalid(() => buildListQuery(SPEC, { ...base, ...input }), parameter);
  });

  it('works for any module that declares a spec', () => {
    const spec = defineQuerySpec({
      fields: {
        title: { type: 'string', filter: true, sort: true, search: true },
        year: { type: 'integer', filter: true, sort: true },
      },
      openMaps: ['tags'],
      selectable: ['title', 'year', 'tags'],
      defaultSort: 'year',
    });
    expect(
      buildListQuery(spec, {
        limit: 10,
        offset: 5,
        filter: '{"year":{"$gte":2000},"tags.genre":"sf"}',
        search: 'dune',
        fields: 'title',
      }),
    ).toEqual({
      filter: {
        $and: [
          { year: { $gte: 2000 }, 'tags.genre': 'sf' },
          { $or: [{ title: { $regex: 'dune', $options: 'i' } }] },
        ],
      },
      sort: { year: -1, _id: -1 },
      projection: { _id: 1, title: 1 },
      skip: 5,
      limit: 10,
    });
    invalid(() => buildListQuery(spec, { limit: 10, offset: 0, sort: 'createdAt' }), 'sort');
    invalid(
      () => buildListQuery(spec, { limit: 10, offset: 0, filter: '{"status":"x"}' }),
      'filter',
    );
  });
});
