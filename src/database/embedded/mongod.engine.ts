import { mkdirSync } from 'node:fs';
import { MongoBinary, MongoMemoryServer } from 'mongodb-memory-server-core';
import type { EmbeddedEngine } from './embedded-engine.js';

/**
 * Starts a real `mongod` through mongodb-memory-server: from its binary cache,
 * `MONGOMS_SYSTEM_BINARY`, or a download. With a `dbPath` the data survives restarts.
 * Download retries are turned off in package.json (`config.mongodbMemoryServer.maxRetries`)
 * so that a machine without network falls back at once instead of waiting.
 */
export async function startMongod(database: string, dbPath?: string): Promise<EmbeddedEngine> {
  // Resolve the binary first: it throws quietly when none can be had, where starting the server
  // would print the failure to the console before throwing.
  await MongoBinary.getPath();
  if (dbPath) {
    mkdirSync(dbPath, { recursive: true });
  }
  const server = await MongoMemoryServer.create({
    instance: { dbName: database, ...(dbPath ? { dbPath, storageEngine: 'wiredTiger' } : {}) },
  });
  return {
    kind: 'mongod',
    uri: server.getUri(database),
    persistent: Boolean(dbPath),
    pid: server.instanceInfo?.instance.mongodProcess?.pid,
    stop: async () => {
      // doCleanup removes only a temporary dbPath, never the persistent folder.
      await server.stop({ doCleanup: true });
    },
  };
}
