import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, http, queryString, type Client } from '../support/http.js';
import { buildCreatePageDto, buildStoredPage, objectId, PAGES } from '../support/fixtures/pages.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';
import { waitUntil } from '../support/wait.js';

const PAGES_COLLECTION = 'ocr_invoice_job_pages';

/** A one-page PDF whose text layer holds `lines` × `wordsPerLine` words. */
async function densePdf(lines: number, wordsPerLine: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612, 792]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let line = 0; line < lines; line++) {
    const words = Array.from({ length: wordsPerLine }, (_, i) => `w${line}x${i}`);
    page.drawText(words.join(' '), { x: 10, y: 780 - line * 4, size: 3, font });
  }
  return Buffer.from(await pdf.save());
}

describe('lists and queries stay bounded', () => {
  let testApp: TestApp;
  let api: Client;

  beforeAll(async () => {
    testApp = await createTestApp({
      LIST_MAX_RESPONSE_BYTES: '20000',
      LIST_MAX_CONCURRENT_PER_CLIENT: '2',
    });
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('refuses a list larger than LIST_MAX_RESPONSE_BYTES with 400 on limit, and serves it with fewer fields', async () => {
    const job = objectId();
    for (let pageNumber = 1; pageNumber <= 4; pageNumber++) {
      const res = await api.post(
        PAGES,
        buildCreatePageDto({ job, pageNumber, metadata: { notes: 'n'.repeat(8000) } }),
      );
      expect(res.status).toBe(201);
    }
    const filter = JSON.stringify({ job });
    const full = await api.get(`${PAGES}?${queryString({ filter })}`);
    expect(full.status).toBe(400);
    expect(full.body.error.code).toBe('VALIDATION_ERROR');
    expect(full.body.error.details).toEqual([
      {
        field: 'limit',
        message:
          'These pages are more than the 20000 bytes a list answers with: ask for fewer (limit) or fewer fields (fields)',
      },
    ]);
    const light = await api.get(`${PAGES}?${queryString({ filter, fields: 'job,pageNumber' })}`);
    expect(light.status).toBe(200);
    expect(light.body.total).toBe(4);
    const two = await api.get(`${PAGES}?${queryString({ filter, limit: '2' })}`);
    expect(two.status).toBe(200);
  });

  it('answers 50 concurrent expensive lists from one key with 429 beyond the per-client limit, and stays ready', async () => {
    const expensive = `${PAGES}?${queryString({ search: 'invoice', sort: 'qualityScore', offset: '100000' })}`;
    const lists = Promise.all(Array.from({ length: 50 }, () => api.get(expensive)));
    const readyStarted = Date.now();
    const ready = await http(testApp.baseUrl, 'GET', '/health/ready');
    const readyMs = Date.now() - readyStarted;
    const results = await lists;

    expect(ready.status).toBe(200);
    expect(readyMs).toBeLessThan(5000);
    const statuses = results.map((res) => res.status);
    expect(statuses.every((status) => [200, 429].includes(status))).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    const refused = results.filter((res) => res.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].headers.get('retry-after')).toBe('1');
    expect(refused[0].body.error.code).toBe('RATE_LIMITED');
  });

  it.each([
    [
      '12 KB of unknown field names',
      'fields',
      Array.from({ length: 2500 }, (_, i) => `n${i}`).join(','),
    ],
    ['a few unknown field names', 'fields', 'job,nope1,nope2,nope3,nope4,nope5'],
    ['a 10 KB search', 'search', 's'.repeat(10_000)],
  ])('answers %s with a 400 whose message stays short', async (_label, name, value) => {
    // Sent as a client writes it: commas unencoded.
    const res = await http(testApp.baseUrl, 'GET', `${PAGES}?${name}=${value}`);
    expect(res.status).toBe(400);
    expect(['VALIDATION_ERROR', 'INVALID_FILTER']).toContain(res.body.error.code);
    expect(JSON.stringify(res.body.error).length).toBeLessThan(1000);
  });

  it('answers a 20 KB query string with a short 4xx', async () => {
    const res = await fetch(`${testApp.baseUrl}${PAGES}?fields=${'x,'.repeat(10_000)}`);
    expect(res.status).toBe(431);
    expect((await res.text()).length).toBeLessThan(1000);
  });

  it('accepts filter dates of the years 0001–9999 as written', async () => {
    const job = new (await import('mongoose')).Types.ObjectId();
    await testApp.connection
      .collection(PAGES_COLLECTION)
      .insertMany([
        buildStoredPage({ job, pageNumber: 1, createdAt: new Date('0040-06-01T00:00:00Z') }),
        buildStoredPage({ job, pageNumber: 2, createdAt: new Date('0060-06-01T00:00:00Z') }),
        buildStoredPage({ job, pageNumber: 3, createdAt: new Date('1960-06-01T00:00:00Z') }),
      ]);
    const filter = (createdAt: unknown) =>
      `${PAGES}?${queryString({ filter: JSON.stringify({ job: String(job), createdAt }), sort: 'pageNumber', order: 'asc' })}`;

    const after50 = await api.get(filter({ $gte: '0050-01-01' }));
    expect(after50.status).toBe(200);
    expect(after50.body.data.map((page: { pageNumber: number }) => page.pageNumber)).toEqual([
      2, 3,
    ]);
    const before0070 = await api.get(filter({ $lt: '0070-01-01T00:00:00Z' }));
    expect(before0070.body.data.map((page: { pageNumber: number }) => page.pageNumber)).toEqual([
      1, 2,
    ]);

    const year0 = await api.get(filter({ $gte: '0000-01-01' }));
    expect(year0.status).toBe(400);
    expect(year0.body.error.message).toContain('ISO-8601 date of the years 0001–9999');
  });
});

describe('a saturated connection pool', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({
      MONGODB_MAX_POOL_SIZE: '1',
      MONGODB_WAIT_QUEUE_TIMEOUT_MS: '100',
      LIST_MAX_CONCURRENT_PER_CLIENT: '100',
    });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 503 UNAVAILABLE at once to requests that wait past MONGODB_WAIT_QUEUE_TIMEOUT_MS', async () => {
    const api = client(testApp.baseUrl);
    const started = Date.now();
    const search = `${PAGES}?${queryString({ search: 'invoice', sort: 'qualityScore' })}`;
    const results = await Promise.all(Array.from({ length: 80 }, () => api.get(search)));
    const statuses = results.map((res) => res.status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const unavailable = results.filter((res) => res.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable[0].body.error.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('stored pages stay bounded', () => {
  let testApp: TestApp;
  let api: Client;
  let files: FixtureServer;

  beforeAll(async () => {
    files = await startFixtureServer({
      'dense.pdf': { body: await densePdf(180, 40), contentType: 'application/pdf' },
    });
    testApp = await createTestApp({
      PROCESSING_ENABLED: 'true',
      PROCESSING_POLL_INTERVAL_MS: '100',
      FETCH_ALLOWED_HOSTS: '127.0.0.1',
      PAGE_MAX_WORDS: '1000',
      PAGE_MAX_BLOCKS: '20',
    });
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
    await files.close();
  });

  it('cuts a dense text-layer page to the stored limits and flags it truncated', async () => {
    const created = await api.post(PAGES, buildCreatePageDto({ pageUrl: files.url('dense.pdf') }));
    const id = created.body.data._id as string;
    const page = await waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}`);
      return ['completed', 'failed'].includes(res.body.data.status) ? res.body.data : undefined;
    }, 60_000);
    expect(page.status).toBe('completed');
    expect(page.ocrResults.words).toHaveLength(1000);
    expect(page.ocrResults.blocks.length).toBeLessThanOrEqual(20);
    expect(page.ocrResults.truncated).toBe(true);
    expect(page.ocrResults.words[0].text).toBe('w0x0');
  });
});
