import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { Environment } from './config/index.js';
import { ProcessingWorker } from './modules/processing/processing.worker.js';
import { WorkerModule } from './worker.module.js';

/**
 * A stand-alone processing worker: claims and processes pages from the database in MONGODB_URI,
 * beside the API and any number of other workers, on this machine or another.
 */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), {
    bufferLogs: true,
  });
  app.useLogger(new Logger());
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  if (!config.get('MONGODB_URI', { infer: true })) {
    await app.close();
    throw new Error('A worker needs MONGODB_URI: the database the API and the other workers use');
  }
  app.enableShutdownHooks();
  app.get(ProcessingWorker).start();
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
