import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';

/** 400 INVALID_FILTER naming the parameter and, in the message, what was wrong and where. */
export function invalidFilter(parameter: 'filter' | 'sort' | 'fields', message: string): AppError {
  return new AppError(ErrorCode.INVALID_FILTER, `Invalid ${parameter}: ${message}`, [
    { field: parameter, message },
  ]);
}
