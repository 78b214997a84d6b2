import type { FastifyReply, FastifyRequest } from 'fastify';
import { ok, type DataEnvelope } from './envelope.js';
import { etagForRevision } from './etag.js';

/**
 * The answer for one record: `{ success: true, data }` with the record's revision as `ETag`.
 * `toResponse` is the resource's mapper.
 */
export function single<R extends { revision: number }, D>(
  reply: FastifyReply,
  record: R,
  toResponse: (record: R) => D,
): DataEnvelope<D> {
  void reply.header('ETag', etagForRevision(record.revision));
  return ok(toResponse(record));
}

/**
 * Sets `Location` for a record created by POST on a collection: the collection's path as the
 * request named it (prefix and version included, query string dropped) followed by the new id.
 */
export function setCreatedLocation(request: FastifyRequest, reply: FastifyReply, id: string): void {
  const collection = request.url.split('?', 1)[0].replace(/\/+$/, '');
  void reply.header('Location', `${collection}/${encodeURIComponent(id)}`);
}
