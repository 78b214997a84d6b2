import {
  BadRequestException,
  ConflictException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { AppError } from './app-error.js';
import { ErrorCode } from './error-code.js';
import { toErrorResponse, type ErrorResponse } from './error-response.js';

type FastifyLikeError = Error & { code: string; statusCode: number };

/** An Error shaped like the ones Fastify raises (FastifyError: code + statusCode). */
function fastifyError(
  code: string,
  statusCode: number,
  message = `${code} raw text`,
): FastifyLikeError {
  return Object.assign(new Error(message), { code, statusCode });
}

/** How Nest hands Fastify's errors to the filter: wrapped, with the original as `cause`. */
function nestWrapped(cause: FastifyLikeError): HttpException {
  return new HttpException(cause.message, cause.statusCode, { cause });
}

/** A driver-like error recognised by its `name` only. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function expected(
  status: number,
  code: ErrorCode,
  message: string,
  unexpected = false,
  details: ErrorResponse['details'] = [],
): ErrorResponse {
  return { status, code, message, details, unexpected };
}

const DETAILS = [{ field: 'pageNumber', message: 'pageNumber must be an integer number' }];

describe('toErrorResponse', () => {
  it.each<[string, unknown, ErrorResponse]>([
    // AppError: its own code, message and details.
    [
      'AppError validation with details',
      AppError.validation(DETAILS),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Validation failed', false, DETAILS),
    ],
    [
      'AppError INVALID_ID',
      new AppError(ErrorCode.INVALID_ID, 'id must be a 24-character hex ObjectId'),
      expected(400, ErrorCode.INVALID_ID, 'id must be a 24-character hex ObjectId'),
    ],
    [
      'AppError not found',
      AppError.notFound('Page not found'),
      expected(404, ErrorCode.NOT_FOUND, 'Page not found'),
    ],
    [
      'AppError conflict',
      AppError.conflict('Duplicate page'),
      expected(409, ErrorCode.CONFLICT, 'Duplicate page'),
    ],
    [
      'AppError precondition failed',
      AppError.preconditionFailed(),
      expected(412, ErrorCode.PRECONDITION_FAILED, 'If-Match does not match the current ETag'),
    ],
    [
      'AppError UNAVAILABLE',
      new AppError(ErrorCode.UNAVAILABLE, 'Try later'),
      expected(503, ErrorCode.UNAVAILABLE, 'Try later'),
    ],
    // Nest HttpExceptions, 4xx: status mapped through the code, message kept.
    [
      'NotFoundException',
      new NotFoundException('Cannot GET /nowhere'),
      expected(404, ErrorCode.NOT_FOUND, 'Route not found'),
    ],
    [
      'BadRequestException',
      new BadRequestException('Bad input'),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Bad input'),
    ],
    ['ConflictException', new ConflictException('Busy'), expected(409, ErrorCode.CONFLICT, 'Busy')],
    [
      'HttpException 429 with a string body',
      new HttpException('Slow down', HttpStatus.TOO_MANY_REQUESTS),
      expected(429, ErrorCode.RATE_LIMITED, 'Slow down'),
    ],
    [
      'HttpException 405 (reported as not found)',
      new HttpException('Method not allowed', HttpStatus.METHOD_NOT_ALLOWED),
      expected(404, ErrorCode.NOT_FOUND, 'Route not found'),
    ],
    [
      'HttpException 422 (no code of its own)',
      new HttpException('Unprocessable', HttpStatus.UNPROCESSABLE_ENTITY),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Unprocessable'),
    ],
    // Nest HttpExceptions, 5xx: generic message, status kept.
    [
      'InternalServerErrorException',
      new InternalServerErrorException('secret stack detail'),
      expected(500, ErrorCode.INTERNAL_ERROR, 'Internal server error', true),
    ],
    [
      'HttpException 502',
      new HttpException('upstream 10.0.0.7 refused', HttpStatus.BAD_GATEWAY),
      expected(502, ErrorCode.INTERNAL_ERROR, 'Internal server error', true),
    ],
    [
      'ServiceUnavailableException (health check)',
      new ServiceUnavailableException({ status: 'error', info: { mongo: 'down at 10.0.0.7' } }),
      expected(503, ErrorCode.UNAVAILABLE, 'Service unavailable'),
    ],
    // Fastify errors wrapped by Nest: the cause's code decides.
    [
      'wrapped FST_ERR_CTP_BODY_TOO_LARGE',
      nestWrapped(fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413)),
      expected(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body too large'),
    ],
    [
      'wrapped FST_ERR_CTP_INVALID_MEDIA_TYPE',
      nestWrapped(fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)),
      expected(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json'),
    ],
    [
      'wrapped FST_ERR_CTP_INVALID_TYPE',
      nestWrapped(fastifyError('FST_ERR_CTP_INVALID_TYPE', 415)),
      expected(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json'),
    ],
    [
      'wrapped FST_ERR_CTP_EMPTY_JSON_BODY',
      nestWrapped(fastifyError('FST_ERR_CTP_EMPTY_JSON_BODY', 400)),
      expected(
        400,
        ErrorCode.VALIDATION_ERROR,
        'Request body is empty but Content-Type is application/json',
      ),
    ],
    [
      'wrapped FST_ERR_CTP_INVALID_JSON_BODY',
      nestWrapped(fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400)),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Malformed JSON body'),
    ],
    [
      'wrapped FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      nestWrapped(fastifyError('FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400)),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Content-Length does not match the body'),
    ],
    [
      'wrapped unlisted Fastify 4xx: status kept, text dropped',
      nestWrapped(fastifyError('FST_ERR_SOMETHING_NEW', 413, 'quoted body {"a":1}')),
      expected(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Bad request'),
    ],
    // Fastify errors that reach the filter unwrapped.
    [
      'bare FST_ERR_CTP_BODY_TOO_LARGE',
      fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413),
      expected(413, ErrorCode.PAYLOAD_TOO_LARGE, 'Request body too large'),
    ],
    [
      'bare client error with an unmapped status',
      fastifyError('FST_ERR_OTHER', 418, 'teapot text'),
      expected(418, ErrorCode.VALIDATION_ERROR, 'Bad request'),
    ],
    [
      'bare client error 404 without a code',
      Object.assign(new Error('Route GET:/x not found'), { statusCode: 404 }),
      expected(404, ErrorCode.NOT_FOUND, 'Bad request'),
    ],
    // JSON parse failures.
    [
      'SyntaxError from JSON.parse',
      new SyntaxError('Unexpected token } in JSON at position 12: {"card":"4111"}'),
      expected(400, ErrorCode.VALIDATION_ERROR, 'Malformed JSON body'),
    ],
    // Database unavailability, by error name.
    ...[
      'MongoServerSelectionError',
      'MongooseServerSelectionError',
      'MongoNetworkError',
      'MongoNetworkTimeoutError',
      'MongoNotConnectedError',
      'MongoTopologyClosedError',
      'MongoPoolClearedError',
    ].map((name): [string, unknown, ErrorResponse] => [
      name,
      namedError(name, 'connect ECONNREFUSED mongodb://user:pw@10.0.0.7:27017'),
      expected(503, ErrorCode.UNAVAILABLE, 'Database unavailable, try again later'),
    ]),
    [
      'MaxTimeMSExpired (code 50)',
      Object.assign(namedError('MongoServerError', 'operation exceeded time limit'), { code: 50 }),
      expected(503, ErrorCode.UNAVAILABLE, 'The query took too long; narrow the filter'),
    ],
  ])('maps %s', (_label, thrown, response) => {
    expect(toErrorResponse(thrown)).toStrictEqual(response);
  });

  it('prefers the wrapped Fastify code over the HttpException message', () => {
    const wrapped = new HttpException('Body exceeded 1048576 bytes', 413, {
      cause: fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413),
    });
    expect(toErrorResponse(wrapped).message).toBe('Request body too large');
  });

  it('uses the HttpException itself when its cause is not a Fastify error', () => {
    const wrapped = new HttpException('Nope', 400, { cause: new Error('inner') });
    expect(toErrorResponse(wrapped)).toStrictEqual(
      expected(400, ErrorCode.VALIDATION_ERROR, 'Nope'),
    );
  });

  describe('unexpected errors', () => {
    const SECRET = 'mongodb://admin:hunter2@db.internal';

    it.each<[string, unknown]>([
      ['an Error', new Error(`query failed on ${SECRET}`)],
      ['a TypeError', new TypeError(`Cannot read properties of undefined (${SECRET})`)],
      ['a driver error with another name', namedError('MongoServerError', SECRET)],
      ['a non-50 numeric code', Object.assign(new Error(SECRET), { code: 11000 })],
      ['a 5xx statusCode', Object.assign(new Error(SECRET), { statusCode: 502 })],
      ['a plain object', { message: SECRET }],
      ['a thrown string', SECRET],
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['a 500 HttpException', new HttpException(SECRET, 500)],
    ])('maps %s to a generic 500 INTERNAL_ERROR', (_label, thrown) => {
      const result = toErrorResponse(thrown);
      expect(result).toStrictEqual(
        expected(500, ErrorCode.INTERNAL_ERROR, 'Internal server error', true),
      );
      expect(JSON.stringify(result)).not.toContain('hunter2');
      expect(JSON.stringify(result)).not.toContain('db.internal');
    });
  });
});

describe('toErrorResponse for a replica set in transition', () => {
  it.each([
    ['shutting down (91)', Object.assign(new Error('x'), { name: 'MongoServerError', code: 91 })],
    [
      'not primary (10107)',
      Object.assign(new Error('x'), { name: 'MongoServerError', code: 10107 }),
    ],
    [
      'write concern timeout (64)',
      Object.assign(new Error('x'), { name: 'MongoServerError', code: 64 }),
    ],
    [
      'a retryable write error',
      Object.assign(new Error('x'), {
        name: 'MongoServerError',
        hasErrorLabel: (label: string) => label === 'RetryableWriteError',
      }),
    ],
    ['a closed pool', Object.assign(new Error('x'), { name: 'MongoPoolClosedError' })],
  ])('answers %s with 503 UNAVAILABLE', (_name, error) => {
    const response = toErrorResponse(error);
    expect(response.status).toBe(503);
    expect(response.code).toBe('UNAVAILABLE');
  });
});
