import { ApiExtension, ApiHeader, ApiParam } from '@nestjs/swagger';
import type { Scope } from '../auth/api-keys.js';
import { OBJECT_ID_PATTERN } from '../validation/parse-object-id.pipe.js';

/**
 * Documents the API-key scope an operation (or every operation of a controller) needs as
 * `x-required-scope`, since OpenAPI 3.0 gives scopes only to OAuth: the guard derives `read` for
 * GET and `write` otherwise, unless `@RequireScope` names another (`admin` for webhooks).
 * A `write` key may read too: writes answer with the record (see the security schemes).
 */
export const ApiRequiredScope = (scope: Scope): MethodDecorator & ClassDecorator =>
  ApiExtension('x-required-scope', scope);

/** The `{id}` path parameter of a resource: a 24-hex ObjectId (ParseObjectIdPipe checks it). */
export const ApiObjectIdParam = (resource: string, name = 'id'): MethodDecorator =>
  ApiParam({
    name,
    description: `${resource} ID (24-hex ObjectId). Anything else gets 400 \`INVALID_ID\`.`,
    schema: { type: 'string', pattern: OBJECT_ID_PATTERN },
  });

/** The optional `If-Match` request header of a conditional write. */
export const ApiIfMatchHeader = (noun: string): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: `Optional precondition: the \`ETag\` of the ${noun} as last seen. On mismatch the request fails with 412 \`PRECONDITION_FAILED\` and nothing is changed.`,
  });

/** Response headers: the `ETag` of a record (its revision). */
export function etagHeader(noun: string) {
  return {
    ETag: {
      description: `Entity tag of the ${noun}'s current version; send it back in \`If-Match\`.`,
      required: true,
      schema: { type: 'string' },
    },
  };
}

/** Response headers of a 201: the `ETag` and the `Location` of the created record. */
export function createdHeaders(noun: string) {
  return {
    ...etagHeader(noun),
    Location: { description: `URL of the created ${noun}.`, schema: { type: 'string' } },
  };
}
