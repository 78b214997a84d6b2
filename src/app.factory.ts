import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';
import { createClientErrorHandler } from './common/http/client-error.handler.js';
import { answerFrameworkError } from './common/http/framework-error.handler.js';
import { createRootLogger } from './common/logging/logger.factory.js';
import { requestIdFor } from './common/logging/request-id.js';
import { loadEnvironment } from './config/index.js';
import { assertDatabaseConfigured } from './database/database-target.js';

export interface CreateAppOptions {
  /** Where log lines go instead of stdout, always as JSON (tests read them). */
  logDestination?: DestinationStream;
}

/** Creates the configured, not yet listening app: used by `main.ts` and by the e2e tests. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  // The adapter exists before the ConfigService does, so it reads the environment itself.
  const env = loadEnvironment();
  assertDatabaseConfigured(env);
  const logger = createRootLogger(env, options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is logged by configureApp's hook instead (no URLs, no bodies).
    logController: new LogController({ disableRequestLogging: true }),
    // The X-Request-Id header is read by genReqId, which validates it.
    requestIdHeader: false,
    genReqId: requestIdFor,
    trustProxy: env.TRUST_PROXY,
    requestTimeout: env.REQUEST_TIMEOUT_MS,
    http: {
      // Given to Node's server too: it then derives headersTimeout (60 s by default) from it.
      // Node never times a request out while headersTimeout exceeds requestTimeout, which is
      // what Fastify's requestTimeout alone leaves (checked on Node 20.19, Fastify 5.12).
      requestTimeout: env.REQUEST_TIMEOUT_MS,
      // Node looks for timed-out requests every 30 s by default, so a 1 s limit could take 31 s.
      connectionsCheckingInterval: Math.min(env.REQUEST_TIMEOUT_MS, 1000),
    },
    clientErrorHandler: createClientErrorHandler(logger),
    frameworkErrors: answerFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), adapter, {
    // The JSON parser is registered by configureApp (JSON only, depth-limited).
    bodyParser: false,
    bufferLogs: true,
  });
  return configureApp(app);
}
