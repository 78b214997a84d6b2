import { createTestApp, type TestApp } from './create-test-app.js';
import { client, type Client } from './http.js';

type TestAppEnv = Parameters<typeof createTestApp>[0];
type TestAppOptions = Parameters<typeof createTestApp>[1];

/**
 * The app of the current `describe` block, readable from inside its tests and hooks (it exists
 * between the block's beforeAll and afterAll).
 */
export class TestAppHandle {
  private current: TestApp | undefined;

  /** @internal Set and cleared by useTestApp's hooks. */
  attach(app: TestApp | undefined): void {
    this.current = app;
  }

  private get started(): TestApp {
    if (!this.current) {
      throw new Error('The test app is used outside the tests of the block that declared it');
    }
    return this.current;
  }

  get app(): TestApp['app'] {
    return this.started.app;
  }
  get baseUrl(): string {
    return this.started.baseUrl;
  }
  get connection(): TestApp['connection'] {
    return this.started.connection;
  }
  get engine(): string {
    return this.started.engine;
  }
  get database(): TestApp['database'] {
    return this.started.database;
  }
}

/**
 * Boots a real app (see createTestApp) before the tests of the enclosing `describe` block and
 * closes it, with its database, after them. `env` may be a function when it depends on
 * something an earlier beforeAll started. Returns the app's handle and an HTTP client for it.
 */
export function useTestApp(
  env: TestAppEnv | (() => TestAppEnv) = {},
  options?: TestAppOptions,
): { testApp: TestAppHandle; api: Client } {
  const testApp = new TestAppHandle();
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await createTestApp(typeof env === 'function' ? env() : env, options);
    testApp.attach(started);
  });
  afterAll(async () => {
    testApp.attach(undefined);
    await started?.close();
  });
  return { testApp, api: client(() => testApp.baseUrl) };
}
