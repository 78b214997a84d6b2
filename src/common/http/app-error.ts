import { ErrorCode } from './error-code.js';

export interface ErrorDetail {
  /** The body property, query or path parameter at fault, dotted for nested ones. */
  field: string;
  message: string;
}

/**
 * An error the API answers on purpose. Services throw it with a contract code; the global filter
 * turns the code into an HTTP status. Messages are shown to clients: never put submitted values,
 * stack traces or driver text in them.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }

  static validation(details: ErrorDetail[], message = 'Validation failed'): AppError {
    return new AppError(ErrorCode.VALIDATION_ERROR, message, details);
  }

  static notFound(message: string): AppError {
    return new AppError(ErrorCode.NOT_FOUND, message);
  }

  static conflict(message: string): AppError {
    return new AppError(ErrorCode.CONFLICT, message);
  }

  static preconditionFailed(message = 'If-Match does not match the current ETag'): AppError {
    return new AppError(ErrorCode.PRECONDITION_FAILED, message);
  }
}
