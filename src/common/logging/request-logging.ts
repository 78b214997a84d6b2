import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * Gives every response its request's `X-Request-Id` (the id the error envelope and the log lines
 * carry) and logs one line per request once it is answered: method, route pattern, status and
 * duration, with the request id as `reqId`. Never the URL (query strings may hold search terms),
 * headers or bodies. Fastify's own request logging is off (`disableRequestLogging`).
 */
export function registerRequestLogging(fastify: FastifyInstance): void {
  // onSend rather than onRequest: it also covers replies sent by hooks that run before ours
  // (CORS preflights, Nest's 503 while shutting down) and error replies.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        // The pattern (`/api/v1/ocr-invoice-job-pages/:id`); null when no route matched.
        route: request.routeOptions.url ?? null,
        statusCode: reply.statusCode,
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });
}
