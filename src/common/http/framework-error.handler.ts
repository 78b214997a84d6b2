import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../logging/request-id.js';
import type { ErrorEnvelope } from './envelope.js';
import { toErrorResponse } from './error-response.js';

/**
 * Fastify's `frameworkErrors`: what its router rejects before any hook or Nest's error handler
 * runs (a malformed percent-encoding in a route parameter, FST_ERR_BAD_URL; an over-long one,
 * FST_ERR_MAX_PARAM_LENGTH). Answered in the error envelope with the request id, like any other
 * error; Fastify's own answer quotes the URL and has neither. This replaces the handler Nest's
 * FastifyAdapter sets, which only runs the hook of `app.useSecurityHeaders()` and
 * `app.enableCsrfProtection()`, neither of which this app uses.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { status, code, message, details } = toErrorResponse(error);
  const body: ErrorEnvelope = {
    success: false,
    error: { code, message, details, requestId: String(request.id) },
  };
  void reply
    .status(status)
    .header(REQUEST_ID_HEADER, request.id)
    .header('x-content-type-options', 'nosniff')
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}
