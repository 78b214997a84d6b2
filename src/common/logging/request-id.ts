import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header a request id comes in with (from a client or a proxy) and goes back out in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a given id may look like: short and inert, so it can go into logs and headers as is. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && VALID_REQUEST_ID.test(value);
}

/**
 * Fastify's `genReqId`: the caller's `X-Request-Id` when it is well-formed (so one id follows a
 * request through the proxies and services it crosses), else a new UUID. Fastify's own
 * `requestIdHeader` would take any header value unchecked, so it is off and this reads the header.
 */
export function requestIdFor(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isValidRequestId(given) ? given : randomUUID();
}
