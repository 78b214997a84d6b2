import { HttpException } from '@nestjs/common';
import { AppError, type ErrorDetail } from './app-error.js';
import { ErrorCode, HTTP_STATUS_OF, errorCodeForStatus } from './error-code.js';

export interface ErrorResponse {
  status: number;
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
  /** True when the error is ours to investigate (logged with its stack). */
  unexpected: boolean;
}

/**
 * Fastify's own errors (body parsing, limits, content type), raised before a controller runs.
 * https://fastify.dev/docs/latest/Reference/Errors/
 */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    message: 'Request body too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Content-Type must be application/json',
  },
  FST_ERR_CTP_INVALID_TYPE: {
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Content-Type must be application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: ErrorCode.VALIDATION_ERROR,
    message: 'Request body is empty but Content-Type is application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: ErrorCode.VALIDATION_ERROR,
    message: 'Malformed JSON body',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: ErrorCode.VALIDATION_ERROR,
    message: 'Content-Length does not match the body',
  },
};

/**
 * Driver errors that mean "the database cannot be reached right now" (by name, so that this
 * module need not depend on the driver).
 */
const DATABASE_UNAVAILABLE_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  // No connection became free within waitQueueTimeoutMS: the pool is saturated.
  'MongoWaitQueueTimeoutError',
  'MongoWriteConcernError',
]);

/**
 * Server error codes of a replica set in transition (no primary, stepping down, shutting down)
 * and of a write concern that timed out: the database is there but cannot serve now.
 * https://www.mongodb.com/docs/manual/reference/error-codes/
 */
const DATABASE_TRANSIENT_CODES = new Set([64, 91, 189, 10107, 11600, 11602, 13435, 13436]);
/** Driver error labels that mean "retry later". */
const DATABASE_TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

function isTransientDatabaseError(error: Record<string, unknown>): boolean {
  const hasLabel = error.hasErrorLabel;
  return (
    (typeof error.code === 'number' && DATABASE_TRANSIENT_CODES.has(error.code)) ||
    (typeof hasLabel === 'function' &&
      DATABASE_TRANSIENT_LABELS.some((label) => hasLabel.call(error, label) === true))
  );
}

/** MongoDB's error code for an operation that ran past its `maxTimeMS`. */
const MAX_TIME_MS_EXPIRED = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function response(
  code: ErrorCode,
  message: string,
  details: ErrorDetail[] = [],
  unexpected = false,
): ErrorResponse {
  return { status: HTTP_STATUS_OF[code], code, message, details, unexpected };
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const code = errorCodeForStatus(status);
  if (status >= 500) {
    // Our own 5xx HttpExceptions (e.g. a failed health check): a generic message only.
    return {
      ...response(
        code,
        code === ErrorCode.UNAVAILABLE ? 'Service unavailable' : 'Internal server error',
      ),
      status,
      unexpected: code !== ErrorCode.UNAVAILABLE,
    };
  }
  if (code === ErrorCode.NOT_FOUND) {
    // Nest's own text for an unknown route quotes the URL, query string (tokens) included.
    return response(code, 'Route not found');
  }
  const body = exception.getResponse();
  const message =
    isRecord(body) && typeof body.message === 'string' ? body.message : exception.message;
  return { ...response(code, message), status: HTTP_STATUS_OF[code] };
}

/** Nest wraps Fastify's 4xx errors in an HttpException; the original carries the precise code. */
function unwrapFastifyError(exception: unknown): unknown {
  if (exception instanceof HttpException && isRecord(exception.cause)) {
    const code = exception.cause.code;
    if (typeof code === 'string' && code.startsWith('FST_')) {
      // Their messages may quote the request; keep the status Nest saw if the cause has none.
      return { statusCode: exception.getStatus(), ...exception.cause, name: exception.cause.name };
    }
  }
  return exception;
}

/** Maps anything thrown while serving a request to the contract's error envelope. */
export function toErrorResponse(thrown: unknown): ErrorResponse {
  const exception = unwrapFastifyError(thrown);
  if (exception instanceof AppError) {
    return response(exception.code, exception.message, exception.details);
  }
  if (exception instanceof HttpException) {
    return fromHttpException(exception);
  }
  if (isRecord(exception)) {
    const fastify = typeof exception.code === 'string' ? FASTIFY_ERRORS[exception.code] : undefined;
    if (fastify) {
      return response(fastify.code, fastify.message);
    }
    if (exception instanceof SyntaxError) {
      // JSON.parse failures and prototype-poisoning refusals from the body parser.
      return response(ErrorCode.VALIDATION_ERROR, 'Malformed JSON body');
    }
    if (
      (typeof exception.name === 'string' && DATABASE_UNAVAILABLE_ERRORS.has(exception.name)) ||
      isTransientDatabaseError(exception)
    ) {
      return response(ErrorCode.UNAVAILABLE, 'Database unavailable, try again later');
    }
    if (exception.code === MAX_TIME_MS_EXPIRED) {
      return response(ErrorCode.UNAVAILABLE, 'The query took too long; narrow the filter');
    }
    const statusCode = exception.statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      // Any other client error raised by Fastify or a plugin: keep its status, not its text.
      const code = errorCodeForStatus(statusCode);
      return { ...response(code, 'Bad request'), status: statusCode };
    }
  }
  return response(ErrorCode.INTERNAL_ERROR, 'Internal server error', [], true);
}
