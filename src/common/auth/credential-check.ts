import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeysService } from './api-keys.service.js';
import { pathOf } from './public-paths.js';

/** Routes whose requests must carry a valid key: the resources, not health, docs or metrics. */
const PROTECTED_PREFIX = '/api/';

/**
 * Whether the request carries a body, which Fastify would parse before Nest's guards run: any
 * method (DELETE and OPTIONS too) with a Content-Length above 0 or a Transfer-Encoding.
 */
function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * Refuses a body-carrying request (whatever its method) under `/api/` that has no valid key
 * before its body is read: Fastify parses bodies before Nest's guards run, so without this an anonymous client could
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
        // Any path under the API, routes unknown or not: without the right key nobody learns more.
        if (keys.enabled && carriesBody(request) && pathOf(request).startsWith(PROTECTED_PREFIX)) {
          keys.authenticate(request, reply);
        }
      } catch (error) {
        done(error as Error);
        return;
      }
      done(null, payload);
    });
}
