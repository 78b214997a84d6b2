import { expectError } from '../support/expect-error.js';
import { useTestApp } from '../support/test-app.js';
import mongoose, { Types } from 'mongoose';
import { queryString } from '../support/http.js';
import { buildStoredPage, PAGES, OCR_PAGES_COLLECTION } from '../support/fixtures/pages.js';

const JOB_A = new Types.ObjectId();
const JOB_B = new Types.ObjectId();

/** Ten pages covering every filterable kind of field; each has a `metadata.name` to find it by. */
const SEED = [
  buildStoredPage({
    job: JOB_A,
    pageNumber: 1,
    status: 'pending',
    qualityScore: 0.95,
    createdAt: new Date('2026-01-05T00:00:00Z'),
    metadata: { name: 'a1', source: 'scanner-1', batch: { day: 'mon' } },
  }),
  buildStoredPage({
    job: JOB_A,
    pageNumber: 2,
    status: 'failed',
    qualityScore: 0.4,
    errorLog: 'Timeout fetching image (a+)+$',
    createdAt: new Date('2026-01-06T00:00:00Z'),
    metadata: { name: 'a2', source: 'scanner-1' },
  }),
  buildStoredPage({
    job: JOB_A,
    pageNumber: 3,
    status: 'completed',
    qualityScore: 0.7,
    pageType: 'summary',
    createdAt: new Date('2026-01-07T00:00:00Z'),
    metadata: { name: 'a3', source: 'scanner-2' },
    ocrResults: { text: 'INVOICE No. 42 total .* due', confidence: 0.91 },
    preprocessing: { deskewed: true, rotationAngle: 1.5 },
    extractedFields: { totalAmount: { value: 1358.01, confidence: 0.9 } },
  }),
  buildStoredPage({
    job: JOB_A,
    pageNumber: 4,
    status: 'completed',
    qualityScore: 0.85,
    createdAt: new Date('2025-12-31T23:59:59Z'),
    metadata: { name: 'a4' },
    ocrResults: { text: 'Credit note [draft]', confidence: 0.6 },
    preprocessing: { deskewed: false, rotationAngle: 0 },
    extractedFields: { totalAmount: { value: 99.5, confidence: 0.8 } },
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 1,
    status: 'processing',
    pageUrl: 'https://files.example.com/a.b/1.png',
    createdAt: new Date('2026-02-01T00:00:00Z'),
    metadata: { name: 'b1' },
    imageProperties: {
      width: 2480,
      height: 3508,
      dpi: 300,
      colorSpace: 'rgb',
      format: 'png',
      size: 1000,
    },
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 2,
    status: 'pending',
    pageUrl: 'https://files.example.com/axb/2.png',
    createdAt: new Date('2026-02-02T00:00:00Z'),
    metadata: { name: 'b2' },
    imageProperties: { dpi: 150, colorSpace: 'grayscale', format: 'tiff' },
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 3,
    status: 'failed',
    retryCount: 3,
    createdAt: new Date('2026-02-03T00:00:00Z'),
    metadata: { name: 'b3' },
    annotations: [{ type: 'flag', text: 'Looks WRONG', createdBy: 'ann', createdAt: new Date() }],
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 4,
    status: 'completed',
    processingTime: 1200,
    startedAt: new Date('2026-02-04T10:00:00Z'),
    completedAt: new Date('2026-02-04T10:00:01Z'),
    createdAt: new Date('2026-02-04T00:00:00Z'),
    metadata: { name: 'b4' },
    annotations: [{ type: 'note', text: 'ok', createdBy: 'bob', createdAt: new Date() }],
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 5,
    status: 'completed',
    createdAt: new Date('2026-02-04T00:00:00Z'),
    metadata: { name: 'b5' },
  }),
  buildStoredPage({
    job: JOB_B,
    pageNumber: 6,
    status: 'completed',
    createdAt: new Date('2026-02-04T00:00:00Z'),
    metadata: { name: 'b6' },
  }),
];

describe('GET /api/v1/ocr-invoice-job-pages with filter, search and fields', () => {
  const { testApp, api } = useTestApp();

  beforeAll(async () => {
    await testApp.connection
      .collection(OCR_PAGES_COLLECTION)
      .insertMany(SEED.map((page) => ({ ...page })));
  });

  /** The `metadata.name` of every page the query returns, sorted, and the reported total. */
  async function names(query: Record<string, string>): Promise<{ names: string[]; total: number }> {
    const res = await api.get(`${PAGES}?${queryString({ limit: '100', ...query })}`);
    expect(res.status).toBe(200);
    return {
      names: res.body.data.map((p: { metadata: { name: string } }) => p.metadata.name).sort(),
      total: res.body.total,
    };
  }

  const filterCases: Array<[string, unknown, string[]]> = [
    ['equality on an enum', { status: 'failed' }, ['a2', 'b3']],
    ['equality on an ObjectId', { job: JOB_A.toHexString() }, ['a1', 'a2', 'a3', 'a4']],
    ['$eq', { pageNumber: { $eq: 3 } }, ['a3', 'b3']],
    ['$ne', { job: { $ne: JOB_B.toHexString() } }, ['a1', 'a2', 'a3', 'a4']],
    ['$gt / $lt', { qualityScore: { $gt: 0.5, $lt: 0.9 } }, ['a3', 'a4']],
    ['$gte / $lte', { pageNumber: { $gte: 5, $lte: 6 } }, ['b5', 'b6']],
    ['$in', { status: { $in: ['pending', 'processing'] } }, ['a1', 'b1', 'b2']],
    ['$nin', { status: { $nin: ['completed', 'failed'] } }, ['a1', 'b1', 'b2']],
    [
      '$exists true',
      { errorLog: undefined, ocrResults: undefined, qualityScore: { $exists: true } },
      ['a1', 'a2', 'a3', 'a4'],
    ],
    [
      '$exists false',
      { 'imageProperties.dpi': { $exists: false }, job: JOB_B.toHexString() },
      ['b3', 'b4', 'b5', 'b6'],
    ],
    [
      'null equality (missing field)',
      { processingTime: null, job: JOB_B.toHexString(), pageNumber: { $gte: 4 } },
      ['b5', 'b6'],
    ],
    ['a boolean sub-field', { 'preprocessing.deskewed': true }, ['a3']],
    ['a number sub-field', { 'preprocessing.rotationAngle': { $gt: 1 } }, ['a3']],
    ['an enum sub-field', { 'imageProperties.format': 'tiff' }, ['b2']],
    ['an integer sub-field', { 'imageProperties.dpi': { $gte: 200 } }, ['b1']],
    ['the OCR confidence', { 'ocrResults.confidence': { $lt: 0.9 } }, ['a4']],
    ['retryCount', { retryCount: { $gt: 0 } }, ['b3']],
    ['processingTime', { processingTime: { $gte: 1000 } }, ['b4']],
    [
      'dates with an ISO date-time',
      { createdAt: { $gte: '2026-02-04T00:00:00Z' } },
      ['b4', 'b5', 'b6'],
    ],
    ['dates with a date only', { createdAt: { $lt: '2026-01-01' } }, ['a4']],
    [
      'startedAt / completedAt',
      { startedAt: { $gte: '2026-02-04T00:00:00Z' }, completedAt: { $lte: '2026-02-05' } },
      ['b4'],
    ],
    ['metadata.<key>', { 'metadata.source': 'scanner-1' }, ['a1', 'a2']],
    ['nested metadata.<key>', { 'metadata.batch.day': 'mon' }, ['a1']],
    ['extractedFields.<key>', { 'extractedFields.totalAmount.value': { $gt: 1000 } }, ['a3']],
    ['annotations.type', { 'annotations.type': 'flag' }, ['b3']],
    ['annotations.createdBy', { 'annotations.createdBy': { $in: ['bob'] } }, ['b4']],
    ['pageType', { pageType: 'summary' }, ['a3']],
    ['pageUrl', { pageUrl: 'https://files.example.com/a.b/1.png' }, ['b1']],
    ['$or', { $or: [{ status: 'processing' }, { qualityScore: { $lt: 0.5 } }] }, ['a2', 'b1']],
    [
      '$and',
      { $and: [{ job: JOB_B.toHexString() }, { status: 'completed' }, { pageNumber: { $lt: 6 } }] },
      ['b4', 'b5'],
    ],
    ['$nor', { $nor: [{ status: 'completed' }, { job: JOB_A.toHexString() }] }, ['b1', 'b2', 'b3']],
    [
      'nested logic',
      {
        $or: [
          { $and: [{ job: JOB_A.toHexString() }, { pageNumber: 1 }] },
          { $nor: [{ status: { $ne: 'processing' } }] },
        ],
      },
      ['a1', 'b1'],
    ],
    [
      "API.md's example",
      {
        status: { $in: ['pending', 'failed'] },
        qualityScore: { $lt: 0.8 },
        createdAt: { $gte: '2026-01-01T00:00:00Z' },
      },
      ['a2'],
    ],
  ];

  it.each(filterCases)('filters by %s', async (_name, filter, expected) => {
    const json = JSON.stringify(filter, (_k, v: unknown) => v);
    const result = await names({ filter: json });
    expect(result.names).toEqual(expected);
    expect(result.total).toBe(expected.length);
  });

  it.each([
    ['not JSON', '{status:'],
    ['an array', '[]'],
    ['an unknown field', '{"colour":"red"}'],
    ['a field that cannot be filtered', '{"ocrResults.text":"x"}'],
    ['$where', '{"$where":"sleep(5000) || true"}'],
    ['$expr', '{"$expr":{"$gt":["$qualityScore",0]}}'],
    ['$regex', '{"pageUrl":{"$regex":"^(a+)+$"}}'],
    ['$function', '{"$function":{"body":"return true","args":[],"lang":"js"}}'],
    ['$text', '{"$text":{"$search":"invoice"}}'],
    ['an operator in a value', '{"metadata.source":{"$gt":{"$where":"1"}}}'],
    ['a __proto__ key', '{"__proto__":{"status":"pending"}}'],
    ['a wrong type', '{"pageNumber":"1"}'],
    ['an invalid enum value', '{"status":"done"}'],
    ['an invalid date', '{"createdAt":{"$gte":"last week"}}'],
    ['an invalid ObjectId', '{"job":"not-an-id"}'],
    [
      '$in over 100 items',
      JSON.stringify({ pageNumber: { $in: Array.from({ length: 101 }, (_, i) => i) } }),
    ],
    ['nesting deeper than 6', '{"$and":[{"$and":[{"$and":[{"$and":[{"status":"pending"}]}]}]}]}'],
    [
      'more than 50 conditions',
      JSON.stringify({ $or: Array.from({ length: 51 }, (_, i) => ({ pageNumber: i + 1 })) }),
    ],
    ['over 4 KiB', JSON.stringify({ pageUrl: 'x'.repeat(4100) })],
  ])('answers a filter that is %s with 400 INVALID_FILTER', async (_name, filter) => {
    const res = await api.get(`${PAGES}?${queryString({ filter })}`);
    expectError(res, 400, 'INVALID_FILTER');
    expect(res.body.error.message).toMatch(/^Invalid filter: /);
  });

  it('says exactly what was wrong and where', async () => {
    const res = await api.get(
      `${PAGES}?${queryString({ filter: '{"$or":[{"status":"pending"},{"status":{"$in":["done"]}}]}' })}`,
    );
    expect(res.body.error.message).toBe(
      'Invalid filter: filter.$or[1].status.$in[0] must be one of: pending, processing, completed, failed',
    );
    expect(res.body.error.details).toEqual([
      {
        field: 'filter',
        message:
          'filter.$or[1].status.$in[0] must be one of: pending, processing, completed, failed',
      },
    ]);
  });

  describe('search', () => {
    it.each([
      ['OCR text, case-insensitively', 'invoice no. 42', ['a3']],
      ['annotation text', 'looks wrong', ['b3']],
      ['the error log', 'TIMEOUT', ['a2']],
      ['the page URL', 'a.b/', ['b1']],
      ['regex metacharacters as literals: .*', '.*', ['a3']],
      ['regex metacharacters as literals: (a+)+$', '(a+)+$', ['a2']],
      ['regex metacharacters as literals: [', '[draft', ['a4']],
      ['nothing for a text no page has', 'zzzz-nothing', []],
    ])('matches %s', async (_name, search, expected) => {
      const result = await names({ search });
      expect(result.names).toEqual(expected);
      expect(result.total).toBe(expected.length);
    });

    it('combines with a filter', async () => {
      const result = await names({ search: 'files.example.com', filter: '{"status":"pending"}' });
      expect(result.names).toEqual(['a1', 'b2']);
    });

    it.each([
      ['empty', ''],
      ['over 200 characters', 'x'.repeat(201)],
    ])('rejects a search that is %s with 400 VALIDATION_ERROR', async (_name, search) => {
      const res = await api.get(`${PAGES}?${queryString({ search })}`);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.details[0].field).toBe('search');
    });
  });

  describe('fields', () => {
    it('returns only the selected top-level fields, with _id', async () => {
      const res = await api.get(
        `${PAGES}?fields=pageNumber,status&filter=${encodeURIComponent('{"metadata.name":"a3"}')}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(1);
      expect(res.body.data).toEqual([
        { _id: expect.stringMatching(/^[0-9a-f]{24}$/), pageNumber: 3, status: 'completed' },
      ]);
    });

    it('can return light pages without the OCR payload', async () => {
      const res = await api.get(`${PAGES}?fields=job,pageNumber,qualityScore,createdAt&limit=100`);
      expect(res.body.data).toHaveLength(SEED.length);
      for (const page of res.body.data) {
        expect(
          Object.keys(page).every((key) =>
            ['_id', 'job', 'pageNumber', 'qualityScore', 'createdAt'].includes(key),
          ),
        ).toBe(true);
      }
    });

    it.each(['nope', 'status,,pageNumber', 'revision', '__v', 'ocrResults.text'])(
      'rejects fields=%s with 400 INVALID_FILTER',
      async (fields) => {
        const res = await api.get(`${PAGES}?${queryString({ fields })}`);
        expectError(res, 400, 'INVALID_FILTER');
      },
    );
  });

  it('pages through a filtered set with ties in the sort key, seeing every page exactly once', async () => {
    // b4, b5 and b6 share their createdAt; a completed filter keeps the tie inside the set.
    const filter = '{"status":"completed"}';
    for (const order of ['asc', 'desc']) {
      const seen: string[] = [];
      let total = -1;
      for (let offset = 0; offset < 10; offset += 2) {
        const res = await api.get(
          `${PAGES}?${queryString({ filter, order, sort: 'createdAt', limit: '2', offset: String(offset) })}`,
        );
        total = res.body.total;
        seen.push(...res.body.data.map((p: { metadata: { name: string } }) => p.metadata.name));
      }
      expect(total).toBe(5);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect([...seen].sort()).toEqual(['a3', 'a4', 'b4', 'b5', 'b6']);
    }
  });

  it('sends the server-side time limit with the list query and with its count', async () => {
    const calls: Array<{ method: string; args: unknown[] }> = [];
    mongoose.set('debug', (_collection: string, method: string, ...args: unknown[]) => {
      calls.push({ method, args });
    });
    try {
      expect(
        (await api.get(`${PAGES}?filter=${encodeURIComponent('{"status":"failed"}')}`)).status,
      ).toBe(200);
    } finally {
      mongoose.set('debug', false);
    }
    const list = calls.find((call) => call.method === 'aggregate');
    const count = calls.find((call) => call.method === 'countDocuments');
    expect(JSON.stringify(list?.args)).toContain('"maxTimeMS":5000');
    expect(JSON.stringify(count?.args)).toContain('"maxTimeMS":5000');
  });
});
