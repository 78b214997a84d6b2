import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './envelope.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `VALIDATION_ERROR` (body or query fails validation, malformed JSON; `details` has one entry per field), `INVALID_ID` (`{id}` is not an ObjectId) or `INVALID_FILTER` (`filter`, `sort` or `fields` rejected).',
  401: '`UNAUTHORIZED`: no API key, or an unknown one, was sent (as `Authorization: Bearer <key>` or `X-API-Key`). Comes with `WWW-Authenticate: Bearer`.',
  403: '`FORBIDDEN`: the API key lacks the scope this operation needs (`read` for GET, `write` for changes; `admin` has both).',
  404: '`NOT_FOUND`: no record with that id.',
  409: '`CONFLICT`: the change conflicts with the current state.',
  412: '`PRECONDITION_FAILED`: `If-Match` does not match the current `ETag`.',
  413: '`PAYLOAD_TOO_LARGE`: the body is over the limit (default 1 MiB).',
  415: '`UNSUPPORTED_MEDIA_TYPE`: the body is not JSON.',
  429: '`RATE_LIMITED`: too many requests from this API key (or address, without one); retry after the seconds in `Retry-After`.',
  500: '`INTERNAL_ERROR`: unexpected error (no stack trace or driver message in the body).',
  503: '`UNAVAILABLE`: the database is unreachable.',
};

/** Headers that come with some error statuses. */
const HEADERS: Record<
  number,
  Record<string, { description: string; schema: { type: 'string' | 'integer'; minimum?: number } }>
> = {
  401: {
    'WWW-Authenticate': {
      description: 'The scheme to authenticate with.',
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'integer', minimum: 0 },
    },
  },
};

/**
 * Documents error responses in the error envelope. `overrides` replaces the generic description
 * of a status where an operation means something specific by it.
 */
export function ApiErrorResponses(
  statuses: number[],
  overrides: Record<number, string> = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: overrides[status] ?? DESCRIPTIONS[status] ?? 'Error',
        type: ErrorResponseDto,
        ...(HEADERS[status] && { headers: HEADERS[status] }),
      }),
    ),
  );
}
