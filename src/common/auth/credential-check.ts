import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeysService } from './api-keys.service.js';
import { pathOf } from './public-paths.js';

/** Routes whose requests must carry a valid key: the resources, not health, docs or metrics. */
const PROTECTED_PREFIX = '/api/';

/** Methods whose requests carry a body that Fastify parses before Nest's guards run. */
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Refuses a body-carrying request to a protected route that has no valid key before its body is
 * read: Fastify parses bodies before Nest's guards run, so without this an anonymous client could
 * make the server parse (and answer 400/413/415 for) bodies of up to BODY_LIMIT_BYTES. Such a
 * refusal costs nothing to answer. Other requests go on to the guards: the rate limiter counts
 * them per address, then the key guard answers 401/403.
 */
export function registerCredentialCheck(app: NestFastifyApplication): void {
  const keys = app.get(ApiKeysService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preParsing', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
      try {
        // The matched route's pattern (unknown routes have none and end as 404).
        if (
          keys.enabled &&
          WITH_BODY.has(request.method) &&
          request.routeOptions?.url &&
          pathOf(request).startsWith(PROTECTED_PREFIX)
        ) {
          keys.authenticate(request, reply);
        }
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, payload);
    });
}
