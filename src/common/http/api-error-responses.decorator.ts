import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './envelope.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `VALIDATION_ERROR` (body or query fails validation, malformed JSON; `details` has one entry per field), `INVALID_ID` (`{id}` is not an ObjectId) or `INVALID_FILTER` (`filter`, `sort` or `fields` rejected).',
  401: '`UNAUTHORIZED`: authentication is enabled and no valid credentials were sent.',
  403: '`FORBIDDEN`: the credentials lack the scope this operation needs.',
  404: '`NOT_FOUND`: no record with that id.',
  409: '`CONFLICT`: the change conflicts with the current state.',
  412: '`PRECONDITION_FAILED`: `If-Match` does not match the current `ETag`.',
  413: '`PAYLOAD_TOO_LARGE`: the body is over the limit (default 1 MiB).',
  415: '`UNSUPPORTED_MEDIA_TYPE`: the body is not JSON.',
  429: '`RATE_LIMITED`: rate limit hit.',
  500: '`INTERNAL_ERROR`: unexpected error (no stack trace or driver message in the body).',
  503: '`UNAVAILABLE`: the database is unreachable.',
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
      }),
    ),
  );
}
