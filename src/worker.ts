import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { enforceShutdownDeadline } from './common/lifecycle/shutdown-deadline.js';
import { createRootLogger } from './common/logging/logger.factory.js';
import { PinoLoggerService } from './common/logging/pino-logger.service.js';
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
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  // The API's logging: JSON lines (pretty in development) at LOG_LEVEL.
  app.useLogger(
    new PinoLoggerService(
      createRootLogger({
        NODE_ENV: config.get('NODE_ENV', { infer: true }),
        LOG_LEVEL: config.get('LOG_LEVEL', { infer: true }),
      }),
    ),
  );
  if (!config.get('MONGODB_URI', { infer: true })) {
    await app.close();
    throw new Error('A worker needs MONGODB_URI: the database the API and the other workers use');
  }
  // On SIGTERM/SIGINT: hand the pages in progress back, close the database, exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  enforceShutdownDeadline(
    config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }),
    new Logger('Shutdown'),
  );
  app.get(ProcessingWorker).start();
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
