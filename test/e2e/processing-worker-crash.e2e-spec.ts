import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProcessingWorker } from '../../src/modules/processing/processing.worker.js';
import { useTestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { buildCreatePageDto, PAGES, OCR_PAGES_COLLECTION } from '../support/fixtures/pages.js';
import { renderFixture, SMALL_SET } from '../../corpus/fixture-set.js';

/**
 * A stand-alone worker (`node dist/worker.js`, what `npm run worker` starts; `npm test` builds it
 * first) is killed with SIGKILL in the middle of a page. Its lease runs out and the API's own
 * worker finishes the page.
 */
describe('a worker that dies mid-page', () => {
  const { testApp, api } = useTestApp({ FETCH_ALLOWED_HOSTS: '127.0.0.1' });
  let server: Server;
  let requests = 0;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    const png = (await renderFixture(SMALL_SET[0])).image;
    // The first download hangs (the worker is killed while waiting); later ones get the page.
    server = createServer((_req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
        res.write(png.subarray(0, 100));
        return;
      }
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
      res.end(png);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(() => {
    child?.kill('SIGKILL');
    server.closeAllConnections();
    server.close();
  });

  it('has its page finished by another worker once the lease expires', async () => {
    const { port } = server.address() as AddressInfo;
    const created = await api.post(
      PAGES,
      buildCreatePageDto({ pageUrl: `http://127.0.0.1:${port}/page.png` }),
    );
    const id = created.body.data._id;

    child = spawn(process.execPath, ['dist/worker.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'error',
        MONGODB_URI: testApp.database.uri,
        MONGODB_DB_NAME: testApp.database.name,
        MONGODB_MAX_POOL_SIZE: '1',
        PROCESSING_LEASE_MS: '1500',
        PROCESSING_POLL_INTERVAL_MS: '100',
        FETCH_ALLOWED_HOSTS: '127.0.0.1',
        FETCH_TIMEOUT_MS: '120000',
      },
      stdio: 'ignore',
    });

    const claimed = await waitUntil(async () => {
      const page = await testApp.connection
        .collection(OCR_PAGES_COLLECTION)
        .findOne({ status: 'processing', leaseOwner: { $exists: true } });
      return page && requests === 1 ? page : undefined;
    }, 30_000);
    expect(String(claimed._id)).toBe(id);
    const deadOwner = claimed.leaseOwner as string;

    child.kill('SIGKILL');
    await once(child, 'exit');

    const survivor = testApp.app.get(ProcessingWorker);
    expect(survivor.id).not.toBe(deadOwner);
    survivor.start();

    const page = await waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}`);
      return ['completed', 'failed'].includes(res.body.data.status) ? res.body.data : undefined;
    }, 60_000);
    expect(page.status).toBe('completed');
    expect(page.retryCount).toBe(1);
    expect(page.ocrResults.text.length).toBeGreaterThan(100);
    expect(requests).toBe(2);
    const stored = await testApp.connection
      .collection(OCR_PAGES_COLLECTION)
      .findOne({ status: 'completed' });
    expect(stored?.leaseOwner).toBeUndefined();
  });
});
