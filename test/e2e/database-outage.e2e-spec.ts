import { expectError } from '../support/expect-error.js';
import type { EmbeddedEngine } from '../../src/database/embedded/embedded-engine.js';
import { findJongodbBinary, startJongodb } from '../../src/database/embedded/jongodb.engine.js';
import { useTestApp } from '../support/test-app.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';

const binary = findJongodbBinary();

/** Retries `check` until it returns true or `timeoutMs` passes; the time it took, or throws. */
async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) {
      return Date.now() - started;
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`not within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The database goes away and comes back (jongodb stopped, then restarted on the same port; it
 * keeps data in memory, so the restarted server is empty). Requests fail fast with 503 while it
 * is away, readiness follows, and the app recovers by itself, without a restart.
 */
(binary ? describe : describe.skip)('a database outage', () => {
  let database: EmbeddedEngine;
  let port: number;

  beforeAll(async () => {
    database = await startJongodb(binary!, 'outage');
    port = Number(new URL(database.uri).port);
  });

  const { api } = useTestApp(() => ({
    MONGODB_URI: database.uri,
    MONGODB_MAX_POOL_SIZE: '1',
    MONGODB_SERVER_SELECTION_TIMEOUT_MS: '1000',
    // The driver's monitor notices the outage within half a second (default: 10 s).
    MONGODB_HEARTBEAT_FREQUENCY_MS: '500',
  }));

  // After the app's own afterAll (hooks run in the order they are declared).
  afterAll(async () => {
    await database.stop();
  });

  it('answers 503 quickly while the database is away, and recovers by itself when it is back', async () => {
    expect((await api.post(PAGES, buildCreatePageDto())).status).toBe(201);
    expect((await api.get(PAGES)).status).toBe(200);
    expect((await api.get('/health/ready')).status).toBe(200);

    await database.stop();
    // The driver's monitor has marked the server unreachable (connection state 0: disconnected).
    await within(5000, async () =>
      /^mongodb_connection_state 0$/m.test(String((await api.get('/metrics')).body)),
    );

    let started = Date.now();
    const list = await api.get(PAGES);
    expectError(list, 503, 'UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);

    started = Date.now();
    const ready = await api.get('/health/ready');
    expectError(ready, 503, 'UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await api.get('/health')).status).toBe(503);

    // Liveness does not depend on the database: the process must not be restarted for this.
    expect((await api.get('/health/live')).status).toBe(200);
    const metrics = await api.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^mongodb_pool_cleared_total [1-9]/m);

    const write = await api.post(PAGES, buildCreatePageDto());
    expect(write.status).toBe(503);

    database = await startJongodb(binary!, 'outage', port);

    const recovery = await within(5000, async () => (await api.get(PAGES)).status === 200);
    console.log(`recovered ${recovery} ms after the database came back`);
    expect((await api.get('/health/ready')).status).toBe(200);
    const created = await api.post(PAGES, buildCreatePageDto());
    expect(created.status).toBe(201);
    expect((await api.get(`${PAGES}/${created.body.data._id}`)).status).toBe(200);
    expect((await api.get('/metrics')).body).toMatch(/^mongodb_connection_state 1$/m);
  });
});
