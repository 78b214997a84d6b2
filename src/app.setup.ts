import { ValidationPipe, VersioningType, type LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiExceptionFilter } from './common/http/api-exception.filter.js';
import { registerJsonBodyParser } from './common/http/json-body-parser.js';
import { validationExceptionFactory } from './common/validation/validation-errors.js';
import type { Environment } from './config/index.js';

export const API_PREFIX = 'api';

/** Nest's levels from most to least severe; LOG_LEVEL keeps its own and the ones above it. */
const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** The OpenAPI document, generated from the controllers' and DTOs' decorators. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('OCR Invoice Job Pages API')
    .setDescription('API for managing individual pages within OCR invoice jobs')
    .setVersion('1.0.0')
    .addTag('OCR Invoice Job Pages', 'Individual pages within OCR invoice jobs.')
    .addTag('Health', 'Liveness and readiness.')
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller, method) => method,
  });
}

/** URL layout: `/api/v1/...` for resources, `/health` at the root. */
export function configureRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.enableVersioning({ type: VersioningType.URI });
}

/**
 * Everything that makes the app behave as the API, shared by `main.ts` and the e2e tests so that
 * the tests exercise the production setup: body parsing, routing prefix and version, validation,
 * error envelope, Swagger and shutdown hooks.
 */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  app.useLogger(
    LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.get('LOG_LEVEL', { infer: true })) + 1),
  );
  registerJsonBodyParser(
    app.getHttpAdapter().getInstance(),
    config.get('BODY_LIMIT_BYTES', { infer: true }),
  );

  configureRouting(app);
  app.useGlobalPipes(
    new ValidationPipe({
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

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}
