import { expectError } from '../support/expect-error.js';
import { DatabaseTarget } from '../../src/database/database-target.js';
import { ProcessingWorker } from '../../src/modules/processing/processing.worker.js';
import { createTestApp } from '../support/create-test-app.js';
import { useTestApp } from '../support/test-app.js';
import { client } from '../support/http.js';
import { waitUntil } from '../support/wait.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('GET /health', () => {
  const { testApp } = useTestApp();

  it('answers 200 with status ok and the database up', async () => {
    const res = await client(testApp.baseUrl).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('is the readiness check: /health/ready answers the same, without processing where it is off', async () => {
    const res = await client(testApp.baseUrl).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect(res.body.info).not.toHaveProperty('processing');
  });

  it('answers /health/live with 200 and no dependency checks', async () => {
    const res = await client(testApp.baseUrl).get('/health/live');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('runs the e2e suite on a named engine', () => {
    // Printed so a test log says which engine the suite ran on.
    console.log(`e2e database engine: ${testApp.engine}`);
    expect(['external', 'mongod', 'jongodb']).toContain(testApp.engine);
  });
});

describe('GET /health/ready in an app that runs processing', () => {
  const { testApp } = useTestApp({ PROCESSING_ENABLED: 'true' });

  it('reports the processing worker up while its loops run, and 503 once they stop', async () => {
    const api = client(testApp.baseUrl);
    const ready = await api.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({
      database: { status: 'up' },
      processing: { status: 'up' },
    });

    await testApp.app.get(ProcessingWorker).onModuleDestroy();
    const stopped = await api.get('/health/ready');
    expectError(stopped, 503, 'UNAVAILABLE');
    expect((await api.get('/health')).status).toBe(503);
    expect((await api.get('/health/live')).status).toBe(200);
  });
});

describe('an app without MONGODB_URI', () => {
  const { testApp } = useTestApp(
    { MONGODB_URI: undefined, MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000' },
    { appStartsItsOwnDatabase: true },
  );
  let pid: number | undefined;

  beforeAll(() => {
    pid = testApp.app.get(DatabaseTarget).embeddedPid;
  });

  it('starts an embedded database server of its own and serves from it', async () => {
    const target = testApp.app.get(DatabaseTarget);
    expect(['mongod', 'jongodb']).toContain(target.engine);
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid!)).toBe(true);
    const api = client(testApp.baseUrl);
    expect((await api.post(PAGES, buildCreatePageDto())).status).toBe(201);
  });

  it('answers 503 UNAVAILABLE, quickly and without driver text, while the database is down', async () => {
    const api = client(testApp.baseUrl);
    await testApp.app.get(DatabaseTarget).stopEmbedded();
    await waitUntil(() => (isRunning(pid!) ? undefined : true), 5000);

    const started = Date.now();
    const res = await api.get(`${PAGES}/${objectId()}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      success: false,
      error: {
        code: 'UNAVAILABLE',
        message: 'Database unavailable, try again later',
        details: [],
        requestId: expect.any(String),
      },
    });
    expect(Date.now() - started).toBeLessThan(10_000);

    const write = await api.post(PAGES, buildCreatePageDto());
    expectError(write, 503, 'UNAVAILABLE');

    const health = await api.get('/health');
    expectError(health, 503, 'UNAVAILABLE');
    expect((await api.get('/health/ready')).status).toBe(503);
    expect((await api.get('/health/live')).status).toBe(200);
  });
});

describe('the embedded database lifecycle', () => {
  it('stops the embedded server when the app closes, leaving no process behind', async () => {
    const testApp = await createTestApp(
      { MONGODB_URI: undefined },
      { appStartsItsOwnDatabase: true },
    );
    const pid = testApp.app.get(DatabaseTarget).embeddedPid;
    expect(pid && isRunning(pid)).toBe(true);
    await testApp.close();
    await waitUntil(() => (isRunning(pid!) ? undefined : true), 5000);
  });
});
