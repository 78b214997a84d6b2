import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROCESSING_CLOCK, type Clock } from '../../src/modules/processing/claim/clock.js';
import { ProcessingWorker } from '../../src/modules/processing/processing.worker.js';
import { WorkerModule } from '../../src/worker.module.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { waitUntil } from '../support/wait.js';

const LEASE_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A file server whose downloads never finish: headers and a few bytes, then nothing. */
async function startHangingServer(): Promise<{
  server: Server;
  url: string;
  requests: IncomingMessage[];
  closed: () => number;
}> {
  const requests: IncomingMessage[] = [];
  let closed = 0;
  const server = createServer((req, res) => {
    requests.push(req);
    res.on('close', () => closed++);
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': '100000' });
    res.write(Buffer.alloc(16));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/page.png`, requests, closed: () => closed };
}

/** A stand-alone worker (WorkerModule, as `npm run worker` runs it) given its own clock. */
async function startWorker(
  database: TestApp['database'],
  clock: Clock,
): Promise<INestApplicationContext> {
  const saved = { ...process.env };
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    MONGODB_URI: database.uri,
    MONGODB_DB_NAME: database.name,
    MONGODB_MAX_POOL_SIZE: '1',
    PROCESSING_ENABLED: 'true',
    PROCESSING_LEASE_MS: String(LEASE_MS),
    PROCESSING_POLL_INTERVAL_MS: '100',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
    FETCH_TIMEOUT_MS: '120000',
  });
  try {
    const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot()] })
      .overrideProvider(PROCESSING_CLOCK)
      .useValue(clock)
      .compile();
    return await moduleRef.init();
  } finally {
    process.env = saved;
  }
}

describe('leases', () => {
  let testApp: TestApp;
  let api: Client;
  let files: Awaited<ReturnType<typeof startHangingServer>>;
  const extraApps: Array<{ close(): Promise<unknown> }> = [];
  let closed = false;

  beforeEach(async () => {
    closed = false;
    files = await startHangingServer();
    testApp = await createTestApp({
      PROCESSING_ENABLED: 'true',
      PROCESSING_LEASE_MS: String(LEASE_MS),
      PROCESSING_POLL_INTERVAL_MS: '100',
      FETCH_ALLOWED_HOSTS: '127.0.0.1',
      FETCH_TIMEOUT_MS: '120000',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
    api = client(testApp.baseUrl);
  });

  afterEach(async () => {
    for (const app of extraApps.splice(0)) {
      await app.close();
    }
    files.server.closeAllConnections();
    files.server.close();
    if (!closed) {
      await testApp.close();
    }
  });

  /** Creates a page and waits until the app's worker is downloading it. */
  async function pageBeingFetched(): Promise<{ id: string; owner: string }> {
    const created = await api.post(PAGES, buildCreatePageDto({ pageUrl: files.url }));
    const id = created.body.data._id as string;
    const stored = await waitUntil(async () => {
      const page = await testApp.connection
        .collection('ocr_invoice_job_pages')
        .findOne({ status: 'processing' });
      return page && files.requests.length === 1 ? page : undefined;
    }, 20_000);
    return { id, owner: stored.leaseOwner as string };
  }

  it('a worker whose clock runs 5 minutes ahead never takes a live lease', async () => {
    const { id, owner } = await pageBeingFetched();
    const ahead: Clock = { now: () => new Date(Date.now() + 5 * 60_000) };
    const worker = await startWorker(testApp.database, ahead);
    extraApps.push(worker);
    expect(worker.get(ProcessingWorker).running).toBe(true);

    // Three lease periods: the live lease is renewed all along, so it stays with its worker.
    await sleep(3 * LEASE_MS);
    const res = await api.get(`${PAGES}/${id}`);
    expect(res.body.data).toMatchObject({ status: 'processing', retryCount: 0 });
    expect(res.body.data).not.toHaveProperty('errorLog');
    const stored = await testApp.connection
      .collection('ocr_invoice_job_pages')
      .findOne({ status: 'processing' });
    expect(stored?.leaseOwner).toBe(owner);
    expect(files.requests).toHaveLength(1);
  });

  it('a worker whose clock runs 5 minutes ahead takes over an abandoned lease after one lease period', async () => {
    const { id } = await pageBeingFetched();
    // The app's worker "dies": its loops stop, its lease is no longer renewed.
    await testApp.connection
      .collection('ocr_invoice_job_pages')
      .updateOne({ status: 'processing' }, { $set: { leaseOwner: 'a-worker-that-died' } });
    const ahead: Clock = { now: () => new Date(Date.now() + 5 * 60_000) };
    const worker = await startWorker(testApp.database, ahead);
    extraApps.push(worker);

    const page = await waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}`);
      return res.body.data.retryCount === 1 ? res.body.data : undefined;
    }, 15_000);
    expect(page.errorLog).toBe('The worker processing this page stopped before it finished');
  });

  it('aborts the download when the lease is lost (the page got a new image)', async () => {
    const { id } = await pageBeingFetched();
    expect(files.closed()).toBe(0);
    const patched = await api.patch(`${PAGES}/${id}`, {
      pageUrl: 'https://files.example.com/another.png',
    });
    expect(patched.status).toBe(200);
    // Within a renewal or two, not at FETCH_TIMEOUT_MS (2 minutes).
    await waitUntil(() => (files.closed() === 1 ? true : undefined), 3 * LEASE_MS);
  });

  it('aborts the download on shutdown', async () => {
    await pageBeingFetched();
    const started = Date.now();
    await testApp.close();
    closed = true;
    // Not half the 20 s shutdown deadline waiting for the download.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(files.closed()).toBe(1);
  });
});
