import { Logger, type LoggerService } from '@nestjs/common';
import type { EmbeddedEngine } from './embedded-engine.js';
import { findJongodbBinary, startJongodb } from './jongodb.engine.js';
import { startMongod } from './mongod.engine.js';

export interface EmbeddedEngineOptions {
  database: string;
  /** Folder for mongod's files; omit for a throw-away database (tests). */
  mongodDir?: string;
}

/**
 * Picks the best database engine this machine can run without a MongoDB install:
 * a real mongod when a binary can be had, else jongodb (in memory).
 */
export async function startEmbeddedEngine(
  options: EmbeddedEngineOptions,
  logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('EmbeddedDatabase'),
): Promise<EmbeddedEngine> {
  try {
    const engine = await startMongod(options.database, options.mongodDir);
    logger.log(`Started embedded mongod (data in ${options.mongodDir ?? 'a temporary folder'})`);
    return engine;
  } catch (error) {
    logger.log(`No mongod binary available (${firstLine(error)}); trying jongodb`);
  }
  const binary = findJongodbBinary();
  if (!binary) {
    throw new Error(
      'No database: set MONGODB_URI, provide a mongod binary (MONGOMS_SYSTEM_BINARY), or install on linux-x64 where the jongodb engine ships',
    );
  }
  const engine = await startJongodb(binary, options.database);
  logger.warn(
    'Started the embedded jongodb engine: data is kept IN MEMORY ONLY and is lost when the app stops. Set MONGODB_URI for a real MongoDB.',
  );
  return engine;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].slice(0, 200);
}
