import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '../../config/index.js';
import { ApiKeysService } from './api-keys.service.js';
import { isDocsPath, pathOf } from './public-paths.js';

/**
 * With `DOCS_PUBLIC=false`, Swagger UI and the OpenAPI document need a key with the `read` scope.
 * Swagger's routes are plain Fastify routes that Nest's guards never see, hence a Fastify hook;
 * what it throws reaches the global exception filter like any other error. Call it before
 * Swagger is set up, so that the hook covers its routes.
 */
export function registerDocsAccess(app: NestFastifyApplication): void {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  if (config.get('DOCS_PUBLIC', { infer: true })) {
    return;
  }
  const keys = app.get(ApiKeysService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
      try {
        // The matched route's pattern, so that an encoded path cannot slip past the check.
        if (isDocsPath(pathOf(request))) {
          keys.authorize(request, reply, 'read');
        }
      } catch (error) {
        done(error as Error);
        return;
      }
      done();
    });
}
