import { Types } from 'mongoose';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PageProcessorPool } from '../../src/modules/processing/isolation/page-processor.pool.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { renderFixture, SMALL_SET } from '../../corpus/fixture-set.js';
import { waitUntil } from '../support/wait.js';

const SETTINGS = {
  PROCESSING_ENABLED: 'true',
  PROCESSING_CONCURRENCY: '1',
  PROCESSING_POLL_INTERVAL_MS: '100',
  PROCESSING_RETRY_BASE_MS: '50',
  PROCESSING_MAX_RETRIES: '2',
  FETCH_ALLOWED_HOSTS: '127.0.0.1',
};

/** Whether a process with this id still exists. */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('page deadlines and dying page processors', () => {
  let server: Server;
  let pageUrl: string;

  beforeAll(async () => {
    const png = (await renderFixture(SMALL_SET[0])).image;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
      res.end(png);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/page.png`;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  async function settled(api: Client, id: string, timeoutMs = 90_000): Promise<any> {
    return waitUntil(
      async () => {
        const page = (await api.get(`${PAGES}/${id}`)).body.data;
        return ['failed', 'completed'].includes(page?.status) ? page : undefined;
      },
      timeoutMs,
      100,
    );
  }

  describe('a page past its deadline', () => {
    let testApp: TestApp;
    let api: Client;

    beforeAll(async () => {
      // No invoice page is read in 300 ms on this machine's engine: every attempt overruns.
      testApp = await createTestApp({ ...SETTINGS, PROCESSING_PAGE_TIMEOUT_MS: '300' });
      api = client(testApp.baseUrl);
    });

    afterAll(() => testApp.close());

    it('kills the work, retries once, then fails the page for good with a clear errorLog', async () => {
      const pool = testApp.app.get(PageProcessorPool);
      const created = await api.post(PAGES, buildCreatePageDto({ pageUrl }));
      const id = created.body.data._id;
      const processors = new Set<number>();
      const page = await waitUntil(
        async () => {
          pool.busyProcessIds().forEach((pid) => processors.add(pid));
          const current = (await api.get(`${PAGES}/${id}`)).body.data;
          return ['failed', 'completed'].includes(current?.status) ? current : undefined;
        },
        90_000,
        20,
      );
      expect(page).toMatchObject({
        status: 'failed',
        retryCount: 1,
        errorLog:
          'The page overran its time limit again: processing took longer than the page time limit (300 ms)',
      });
      // The lease is released: nobody holds the page any more.
      const stored = await testApp.connection
        .collection('ocr_invoice_job_pages')
        .findOne({ _id: new Types.ObjectId(id) });
      expect(stored?.leaseOwner ?? null).toBeNull();
      // Each overrun's processor was killed (and replaced).
      expect(processors.size).toBeGreaterThanOrEqual(1);
      await waitUntil(
        () => ([...processors].every((pid) => !exists(pid)) ? true : undefined),
        5000,
      );
    }, 120_000);
  });

  describe('a page processor killed mid-page', () => {
    let testApp: TestApp;
    let api: Client;

    beforeAll(async () => {
      testApp = await createTestApp({ ...SETTINGS, PROCESSING_PAGE_TIMEOUT_MS: '60000' });
      api = client(testApp.baseUrl);
    });

    afterAll(() => testApp.close());

    it('never leaves its page processing: the page is retried on a fresh processor and completes', async () => {
      const pool = testApp.app.get(PageProcessorPool);
      const created = await api.post(PAGES, buildCreatePageDto({ pageUrl }));
      const id = created.body.data._id;
      const [victim] = await waitUntil(
        () => (pool.busyProcessIds().length > 0 ? pool.busyProcessIds() : undefined),
        60_000,
        10,
      );
      process.kill(victim, 'SIGKILL');

      const page = await settled(api, id);
      expect(page.status).toBe('completed');
      expect(page.retryCount).toBe(1);
      expect(page.ocrResults.text).toMatch(/invoice/i);
      expect(exists(victim)).toBe(false);

      // The fresh processor goes on taking pages.
      const next = await api.post(PAGES, buildCreatePageDto({ pageUrl, pageNumber: 2 }));
      const second = await settled(api, next.body.data._id);
      expect(second).toMatchObject({ status: 'completed', retryCount: 0 });
    }, 180_000);
  });
});
