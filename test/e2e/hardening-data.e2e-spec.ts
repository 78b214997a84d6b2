import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, buildStoredPage, PAGES } from '../support/fixtures/pages.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';
import { waitUntil } from '../support/wait.js';

describe('nothing a client sends is silently lost', () => {
  let testApp: TestApp;
  let api: Client;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('stores metadata exactly as sent, odd but allowed keys included (POST, GET, PATCH, PUT)', async () => {
    const metadata = {
      k: 2,
      ToString: 'x',
      proto: 1,
      __proto: 2,
      'clé-ü': [{ a: [{ b: null }] }, 3, 'x'],
      empty: {},
      list: [],
    };
    const created = await api.post(PAGES, buildCreatePageDto({ metadata }));
    expect(created.status).toBe(201);
    expect(created.body.data.metadata).toEqual(metadata);
    const id = created.body.data._id as string;
    expect((await api.get(`${PAGES}/${id}`)).body.data.metadata).toEqual(metadata);

    const patched = await api.patch(`${PAGES}/${id}`, { metadata: { ...metadata, extra: 1 } });
    expect(patched.status).toBe(200);
    expect((await api.get(`${PAGES}/${id}`)).body.data.metadata).toEqual({ ...metadata, extra: 1 });

    const replaced = await api.put(`${PAGES}/${id}`, buildCreatePageDto({ metadata }));
    expect(replaced.status).toBe(200);
    expect((await api.get(`${PAGES}/${id}`)).body.data.metadata).toEqual(metadata);
  });

  const RESERVED =
    'is a reserved name: a member of Object.prototype (constructor, toString, valueOf, …) or prototype';

  it.each<[string, Record<string, unknown>, string]>([
    ['toString and valueOf', { toString: 'x', valueOf: 1, k: 2 }, 'metadata.toString'],
    ['constructor', { constructor: 'x' }, 'metadata.constructor'],
    ['a nested constructor', { a: { constructor: 1 } }, 'metadata.a.constructor'],
    [
      'propertyIsEnumerable over an array',
      { propertyIsEnumerable: [{ q: 1 }] },
      'metadata.propertyIsEnumerable',
    ],
  ])(
    'refuses metadata with %s with 400 naming the key, on POST and PATCH',
    async (_label, metadata, field) => {
      const created = await api.post(PAGES, buildCreatePageDto({ metadata }));
      expect(created.status).toBe(400);
      expect(created.body.error.code).toBe('VALIDATION_ERROR');
      expect(created.body.error.details).toContainEqual({
        field: expect.stringMatching(/^metadata/),
        message: expect.stringContaining(field.slice('metadata.'.length)),
      });
      const page = await api.post(PAGES, buildCreatePageDto());
      const patched = await api.patch(`${PAGES}/${page.body.data._id}`, { metadata });
      expect(patched.status).toBe(400);
      expect((await api.get(`${PAGES}/${page.body.data._id}`)).body.data).not.toHaveProperty(
        'metadata',
      );
    },
  );

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      'an annotation',
      { annotations: [{ type: 'note', toString: 'x' }] },
      'annotations.0.toString',
      RESERVED,
    ],
    [
      'an annotation box',
      {
        annotations: [
          { type: 'note', coordinates: { x: 0, y: 0, width: 1, height: 1, valueOf: 2 } },
        ],
      },
      'annotations.0.coordinates.valueOf',
      RESERVED,
    ],
    [
      'imageProperties',
      { imageProperties: { width: 10, constructor: 1 } },
      'imageProperties.constructor',
      RESERVED,
    ],
    ['the page', { hasOwnProperty: 1 }, 'hasOwnProperty', RESERVED],
  ])(
    'refuses a key in %s that would be dropped with 400 naming it',
    async (_label, extra, field, message) => {
      const res = await api.post(PAGES, buildCreatePageDto(extra));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
      expect(res.body.error.details).toEqual([{ field, message: `${field} ${message}` }]);
    },
  );

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'more than 100 keys in one object',
      { a: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) },
      /^metadata must have at most 100 keys or items per object or array \(at a\)$/,
    ],
    [
      'a $ key deep inside',
      { a: { items: [{ ok: 1 }, { $where: 1 }] } },
      /^metadata keys must not start with "\$".*: a\.items\[1\]\."\$where"$/,
    ],
    [
      'nesting deeper than 10',
      JSON.parse('{"a":'.repeat(11) + '1' + '}'.repeat(11)),
      /nested deeper than 10/,
    ],
    [
      'more than 16 KiB',
      { a: 'x'.repeat(17 * 1024) },
      /^metadata must be at most 16384 bytes as JSON$/,
    ],
  ])('refuses metadata with %s with a 400 that says where', async (_label, metadata, message) => {
    const res = await api.post(PAGES, buildCreatePageDto({ metadata }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual([
      { field: 'metadata', message: expect.stringMatching(message) },
    ]);
  });
});

describe("a page's output belongs to its current run", () => {
  let testApp: TestApp;
  let api: Client;
  let files: FixtureServer;

  beforeAll(async () => {
    files = await startFixtureServer({});
    testApp = await createTestApp({
      PROCESSING_ENABLED: 'true',
      PROCESSING_POLL_INTERVAL_MS: '100',
      FETCH_ALLOWED_HOSTS: '127.0.0.1',
    });
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
    await files.close();
  });

  it('clears the previous run’s output when a reprocessed page fails', async () => {
    // A page as an earlier, successful run left it; its image is gone now (404).
    const { insertedId } = await testApp.connection.collection('ocr_invoice_job_pages').insertOne(
      buildStoredPage({
        pageUrl: files.url('/status/404'),
        ocrResults: { text: 'INVOICE 42', confidence: 0.9, words: [], blocks: [] },
        extractedFields: { invoiceNumber: { value: '42', confidence: 0.9 } },
        tableData: [{ rowIndex: 0, columnIndex: 0, cellText: 'Qty', confidence: 0.9 }],
        qualityScore: 0.8,
        preprocessing: { enhanced: true, rotationAngle: 0 },
        processingTime: 1200,
        extractionChecks: [],
      }),
    );
    const id = String(insertedId);
    expect((await api.post(`${PAGES}/${id}/process`)).status).toBe(202);

    const page = await waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}`);
      return res.body.data.status === 'failed' ? res.body.data : undefined;
    }, 20_000);
    expect(page.errorLog).toMatch(/404/);
    for (const field of [
      'ocrResults',
      'extractedFields',
      'tableData',
      'qualityScore',
      'preprocessing',
      'extractionChecks',
    ]) {
      expect(page).not.toHaveProperty(field);
    }
  });
});
