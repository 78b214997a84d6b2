import { VersioningType } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  API_KEY_HEADER,
  API_KEY_SECURITY,
  BEARER_SECURITY,
} from './common/auth/auth.decorators.js';
import { registerCredentialCheck } from './common/auth/credential-check.js';
import { registerDocsAccess } from './common/auth/docs-access.js';
import { ApiExceptionFilter } from './common/http/api-exception.filter.js';
import { closeSchemas } from './common/http/closed-schema.js';
import { corsOptions } from './common/http/cors.js';
import { registerJsonBodyParser } from './common/http/json-body-parser.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { PinoLoggerService } from './common/logging/pino-logger.service.js';
import { registerRequestLogging } from './common/logging/request-logging.js';
import { StrictValidationPipe } from './common/validation/strict-validation.pipe.js';
import { validationExceptionFactory } from './common/validation/validation-errors.js';
import type { Environment } from './config/index.js';

export const API_PREFIX = 'api';

/** How scopes combine; each operation names the one it needs in `x-required-scope`. */
const SCOPES_DOC =
  'Each operation needs the scope in its `x-required-scope`: `read`, `write` (which implies `read`: every write answers with the page), `metrics`; `admin` grants all.';

/** The OpenAPI document, generated from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OCR Invoice Job Pages API')
    .setDescription('API for managing individual pages within OCR invoice jobs')
    .setVersion('1.0.0')
    .addServer('/')
    .addTag('OCR Invoice Job Pages', 'Individual pages within OCR invoice jobs.')
    .addTag(
      'OCR Invoice Jobs',
      'Documents whose pages make one invoice, and the assembled invoice.',
    )
    .addTag('Webhooks', 'Event subscriptions and their deliveries (admin scope).')
    .addTag('Health', 'Liveness and readiness.')
    .addTag('Metrics', 'Prometheus metrics.')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // DocumentBuilder's default says JWT; these are opaque keys.
        bearerFormat: 'API key',
        description: `The API key as a Bearer token. ${SCOPES_DOC}`,
      },
      BEARER_SECURITY,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: API_KEY_HEADER,
        description: `The API key. ${SCOPES_DOC}`,
      },
      API_KEY_SECURITY,
    )
    .build();
  return closeSchemas(
    SwaggerModule.createDocument(app, config, {
      operationIdFactory: (_controller, method) => method,
    }),
  );
}

/** URL layout: `/api/v1/...` for resources; health checks and metrics at the root. */
export function configureRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: ['health', 'health/live', 'health/ready', 'metrics'],
  });
  app.enableVersioning({ type: VersioningType.URI });
}

/**
 * Everything that makes the app behave as the API, shared by `main.ts` and the e2e tests so that
 * the tests exercise the production setup: logging and request ids, security headers, CORS, body
 * parsing, routing prefix and version, validation, error envelope, Swagger and shutdown hooks.
 */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const fastify = app.getHttpAdapter().getInstance();
  // Nest's lines go through Fastify's pino logger (createApp), at its level (LOG_LEVEL).
  app.useLogger(new PinoLoggerService(fastify.log));
  // First, so that its hooks run for every request, whatever later hooks do.
  registerRequestLogging(fastify);
  await registerSecurityHeaders(app, '/docs');
  const corsOrigins = config.get('CORS_ORIGINS', { infer: true });
  if (corsOrigins.length > 0) {
    app.enableCors(corsOptions(corsOrigins));
  }
  registerJsonBodyParser(fastify, config.get('BODY_LIMIT_BYTES', { infer: true }));

  configureRouting(app);
  app.useGlobalPipes(
    new StrictValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // Query numbers and booleans are converted explicitly by each DTO ('false' must not be true).
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: true, value: false },
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new ApiExceptionFilter());

  // Before Swagger's routes exist, so that the hook covers them.
  registerCredentialCheck(app);
  registerDocsAccess(app);
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  // On SIGTERM/SIGINT: close HTTP (in-flight requests finish), hand back processing leases, close
  // the database, then exit 0 (not re-raise the signal). main.ts adds the SHUTDOWN_TIMEOUT_MS deadline.
  // SIGTERM and SIGINT only: Nest's default list includes signals (SIGSEGV, SIGUSR2, …) that
  // must not start a graceful shutdown.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return app;
}
