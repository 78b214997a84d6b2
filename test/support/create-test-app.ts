import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getConnectionToken } from '@nestjs/mongoose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'mongoose';
import { createApp, type CreateAppOptions } from '../../src/app.factory.js';
import type { EmbeddedEngine } from '../../src/database/embedded/embedded-engine.js';
import { startEmbeddedEngine } from '../../src/database/embedded/start-embedded-engine.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:PORT`: tests speak real HTTP to a listening server. */
  baseUrl: string;
  /** The app's own database connection, for seeding what only the server may write. */
  connection: Connection;
  /** The engine the test database runs on: `external` (MONGODB_URI), `mongod` or `jongodb`. */
  engine: string;
  /** Where the app's data is: for a second process (a stand-alone worker) to share it. */
  database: { uri: string; name: string };
  close(): Promise<void>;
}

/**
 * The database a test app uses, chosen as the app chooses its own: MONGODB_URI when set, else an
 * embedded engine started for this app alone (mongod when a binary can be had, else jongodb).
 */
async function testDatabase(): Promise<{
  uri: string;
  engine: string;
  stop?: EmbeddedEngine['stop'];
}> {
  if (process.env.MONGODB_URI) {
    return { uri: process.env.MONGODB_URI, engine: 'external' };
  }
  const quiet = { log: () => undefined, warn: () => undefined };
  const engine = await startEmbeddedEngine({ database: 'e2e' }, quiet);
  return { uri: engine.uri, engine: engine.kind, stop: () => engine.stop() };
}

/**
 * Boots the real app (AppModule + configureApp, as main.ts does) on a free port, with the given
 * environment on top of the test's own: its database in a database of its own name.
 * The app module reads its configuration when built, so each app sees the environment given here.
 */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  options: {
    appStartsItsOwnDatabase?: boolean;
    /** Receives the app's log lines (JSON) instead of stdout. */
    logDestination?: CreateAppOptions['logDestination'];
  } = {},
): Promise<TestApp> {
  // With appStartsItsOwnDatabase the app takes the path `npm start` takes without MONGODB_URI.
  const database: { uri?: string; engine: string; stop?: () => Promise<void> } =
    options.appStartsItsOwnDatabase ? { engine: 'embedded by the app' } : await testDatabase();
  const saved = { ...process.env };
  const overrides: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    // Tests that exercise processing turn it on; the others keep pages as they create them.
    PROCESSING_ENABLED: 'false',
    // No API_KEYS (even if the shell has some): the API is open under NODE_ENV=test.
    // Rate limiting stays on, with a budget no test reaches.
    API_KEYS: undefined,
    RATE_LIMIT_MAX: '100000',
    MONGODB_URI: database.uri,
    MONGODB_DB_NAME: `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    // One connection per app keeps every single-operation guarantee on jongodb.
    ...(database.engine === 'jongodb' && { MONGODB_MAX_POOL_SIZE: '1' }),
    ...(options.appStartsItsOwnDatabase && {
      EMBEDDED_MONGOD_DIR: mkdtempSync(join(tmpdir(), 'ocr-pages-mongod-')),
    }),
    ...env,
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) {
      delete process.env[key];
    } else {
      process.env[key] = value;
    }
  }
  let app: NestFastifyApplication;
  try {
    app = await createApp({ logDestination: options.logDestination });
  } catch (error) {
    await database.stop?.();
    throw error;
  } finally {
    process.env = saved;
  }
  try {
    // Start-up checks (onModuleInit) fail here, e.g. production without API_KEYS.
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    await database.stop?.();
    throw error;
  }
  const connection = app.get<Connection>(getConnectionToken());
  return {
    app,
    baseUrl: await app.getUrl(),
    connection,
    engine: database.engine,
    database: { uri: database.uri ?? '', name: connection.name },
    close: async () => {
      await connection.dropDatabase().catch(() => undefined);
      await app.close();
      await database.stop?.();
    },
  };
}
