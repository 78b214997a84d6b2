import { useTestApp } from '../support/test-app.js';
import { createTestApp } from '../support/create-test-app.js';
import { client } from '../support/http.js';
import {
  buildCreatePageDto,
  buildStoredPage,
  objectId,
  PAGES,
  OCR_PAGES_COLLECTION,
} from '../support/fixtures/pages.js';
import { renderFixture, SMALL_SET } from '../../corpus/fixture-set.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';

/** The value of one sample (`name{labels} value`) in a Prometheus text exposition, if present. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  // Counted afresh at every scrape, so that each test sees the pages it made.
  const { testApp, api } = useTestApp({ METRICS_PAGE_COUNT_TTL_MS: '0' });

  async function scrape(): Promise<string> {
    const res = await api.get('/metrics');
    expect(res.status).toBe(200);
    return String(res.body);
  }

  it('answers in the Prometheus text format, without credentials, with process metrics', async () => {
    const res = await api.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = String(res.body);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('# TYPE ocr_processing_duration_seconds histogram');
    expect(text).toContain('# TYPE ocr_processing_failures_total counter');
    expect(text).toContain('# TYPE ocr_pages gauge');
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('times responses by method, route pattern and status, never by raw URL, and leaves itself out', async () => {
    const id = objectId();
    expect((await api.get(`${PAGES}/${id}`)).status).toBe(404);
    expect((await api.get(`${PAGES}/${id}`)).status).toBe(404);
    expect((await api.post(PAGES, buildCreatePageDto())).status).toBe(201);
    expect((await api.post(PAGES, { pageNumber: 0 })).status).toBe(400);
    expect((await api.get(`/no-such-route/${id}`)).status).toBe(404);
    await scrape();

    const text = await scrape();
    const count = (labels: string) =>
      sample(text, `http_request_duration_seconds_count{${labels}}`);
    expect(count(`method="GET",route="/api/v1/ocr-invoice-job-pages/:id",status="404"`)).toBe(2);
    expect(count(`method="POST",route="/api/v1/ocr-invoice-job-pages",status="201"`)).toBe(1);
    expect(count(`method="POST",route="/api/v1/ocr-invoice-job-pages",status="400"`)).toBe(1);
    expect(count(`method="GET",route="unmatched",status="404"`)).toBe(1);
    expect(
      sample(
        text,
        `http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/v1/ocr-invoice-job-pages/:id",status="404"}`,
      ),
    ).toBe(2);
    expect(text).not.toContain(id);
    expect(text).not.toContain('route="/metrics"');
  });

  it('reports the database connection and its pool', async () => {
    const text = await scrape();
    expect(sample(text, 'mongodb_connection_state')).toBe(1);
    expect(sample(text, 'mongodb_pool_max_connections')).toBe(
      testApp.engine === 'jongodb' ? 1 : 10,
    );
    const inUse = sample(text, 'mongodb_pool_connections{state="in_use"}')!;
    const idle = sample(text, 'mongodb_pool_connections{state="idle"}')!;
    // The scrape's own page counts have just given their connections back.
    expect(inUse).toBe(0);
    expect(idle).toBeGreaterThanOrEqual(1);
    expect(inUse + idle).toBeLessThanOrEqual(sample(text, 'mongodb_pool_max_connections')!);
    expect(sample(text, 'mongodb_pool_waiting_operations')).toBe(0);
    expect(sample(text, 'mongodb_pool_cleared_total')).toBe(0);
  });

  it('keeps each app’s metrics to itself (a registry per app, not the global one)', async () => {
    const other = await createTestApp();
    try {
      const text = String((await client(other.baseUrl).get('/metrics')).body);
      expect(text).not.toContain('route="/api/v1/ocr-invoice-job-pages/:id"');
      expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
    expect(await scrape()).toContain('route="/api/v1/ocr-invoice-job-pages/:id"');
  });
});

describe('GET /metrics page counts', () => {
  // An app of its own: the counts cover the whole collection, so no other test may add pages.
  const { testApp, api } = useTestApp({ METRICS_PAGE_COUNT_TTL_MS: '0' });

  it('counts the pages in each status when scraped', async () => {
    await testApp.connection
      .collection(OCR_PAGES_COLLECTION)
      .insertMany([
        buildStoredPage({ status: 'completed', pageNumber: 1 }),
        buildStoredPage({ status: 'completed', pageNumber: 2 }),
        buildStoredPage({ status: 'failed', pageNumber: 3 }),
        buildStoredPage({ status: 'processing', pageNumber: 4 }),
      ]);
    expect((await api.post(PAGES, buildCreatePageDto())).status).toBe(201);

    const text = String((await api.get('/metrics')).body);
    expect(sample(text, 'ocr_pages{status="pending"}')).toBe(1);
    expect(sample(text, 'ocr_pages{status="processing"}')).toBe(1);
    expect(sample(text, 'ocr_pages{status="completed"}')).toBe(2);
    expect(sample(text, 'ocr_pages{status="failed"}')).toBe(1);
  });
});

describe('processing metrics', () => {
  const { api } = useTestApp({
    PROCESSING_ENABLED: 'true',
    PROCESSING_POLL_INTERVAL_MS: '100',
    PROCESSING_RETRY_BASE_MS: '50',
    PROCESSING_MAX_RETRIES: '1',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
    FETCH_TIMEOUT_MS: '1500',
  });
  let files: FixtureServer;

  beforeAll(async () => {
    const fixture = await renderFixture(SMALL_SET[0]);
    files = await startFixtureServer({
      [fixture.fileName]: { body: fixture.image, contentType: fixture.contentType },
    });
    // Each page below ends in its own way: completed, failed at once, failed after a retry.
    for (const path of [fixture.fileName, '/status/404', '/status/503']) {
      const res = await api.post(PAGES, buildCreatePageDto({ pageUrl: files.url(path) }));
      expect(res.status).toBe(201);
    }
    const deadline = Date.now() + 90_000;
    for (;;) {
      const text = String((await api.get('/metrics')).body);
      // The page gauges come from the database, the counters from the worker once the store has
      // returned: wait for both, so a scrape between the two is not read as a wrong count.
      const counted =
        (sample(text, 'ocr_processing_duration_seconds_count') ?? 0) >= 1 &&
        (sample(text, 'ocr_processing_failures_total{kind="permanent"}') ?? 0) +
          (sample(text, 'ocr_processing_failures_total{kind="transient"}') ?? 0) >=
          3;
      if (
        sample(text, 'ocr_pages{status="completed"}') === 1 &&
        sample(text, 'ocr_pages{status="failed"}') === 2 &&
        counted
      ) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `pages did not finish:\n${text
            .split('\n')
            .filter((l) => l.startsWith('ocr_'))
            .join('\n')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await files.close();
  });

  it('times completed pages and counts failures by kind', async () => {
    const text = String((await api.get('/metrics')).body);
    expect(sample(text, 'ocr_processing_duration_seconds_count')).toBe(1);
    expect(sample(text, 'ocr_processing_duration_seconds_sum')).toBeGreaterThan(0);
    // 404: permanent at once. 503: transient, retried once, then transient again (retries spent).
    expect(sample(text, 'ocr_processing_failures_total{kind="permanent"}')).toBe(1);
    expect(sample(text, 'ocr_processing_failures_total{kind="transient"}')).toBe(2);
  });
});
