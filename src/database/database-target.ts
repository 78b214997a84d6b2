import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { NodeEnv, type Environment } from '../config/index.js';
import type { EmbeddedEngine, EmbeddedEngineKind } from './embedded/embedded-engine.js';
import { startEmbeddedEngine } from './embedded/start-embedded-engine.js';

export type DatabaseEngineKind = 'external' | EmbeddedEngineKind;

const EMBEDDED_DATABASE_NAME = 'ocr-invoice';

/** The MongoDB server the app talks to: `MONGODB_URI`, or an embedded engine it started. */
export class DatabaseTarget {
  constructor(
    readonly engine: DatabaseEngineKind,
    readonly uri: string,
    private readonly embedded?: EmbeddedEngine,
  ) {}

  /** Process id of the embedded server, if the app started one. */
  get embeddedPid(): number | undefined {
    return this.embedded?.pid;
  }

  /**
   * jongodb serves each connection on its own thread without locking, so conditional updates
   * (ETags, claims) are only atomic when all commands go through one connection.
   */
  get requiresSingleConnection(): boolean {
    return this.engine === 'jongodb';
  }

  async stopEmbedded(): Promise<void> {
    await this.embedded?.stop();
  }
}

/**
 * Production never runs on an embedded database: it lives and dies with this process, which is
 * no place for production data. Checked before the app is built, so that the start fails with
 * this message.
 */
export function assertDatabaseConfigured(env: Pick<Environment, 'NODE_ENV' | 'MONGODB_URI'>): void {
  if (env.NODE_ENV === NodeEnv.Production && !env.MONGODB_URI) {
    throw new Error(
      'MONGODB_URI must be set when NODE_ENV=production: the embedded database is for development and tests only',
    );
  }
}

export async function resolveDatabaseTarget(
  config: ConfigService<Environment, true>,
): Promise<DatabaseTarget> {
  const uri = config.get('MONGODB_URI', { infer: true });
  if (uri) {
    return new DatabaseTarget('external', uri);
  }

  const engine = await startEmbeddedEngine(
    {
      database: EMBEDDED_DATABASE_NAME,
      mongodDir: resolve(config.get('EMBEDDED_MONGOD_DIR', { infer: true })),
    },
    new Logger('Database'),
  );
  return new DatabaseTarget(engine.kind, engine.uri, engine);
}
