import type { ValidationError } from 'class-validator';
import { AppError, type ErrorDetail } from '../http/app-error.js';
import { readOnlyPropertiesOf } from './read-only-properties.js';

/** class-validator's constraint name for a property the DTO does not declare. */
const NOT_WHITELISTED = 'whitelistValidation';

/**
 * Flattens class-validator's tree into one detail per offending field, named by its dotted path
 * (`imageProperties.dpi`, `annotations.0.coordinates.x`). Messages name rules, never the values
 * submitted: invoice data is sensitive and must not be echoed into responses or logs.
 */
export function toErrorDetails(errors: ValidationError[], parentPath = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    if (NOT_WHITELISTED in constraints) {
      const readOnly = error.target ? readOnlyPropertiesOf(error.target) : new Set<string>();
      details.push({
        field,
        message: readOnly.has(error.property)
          ? `${field} is managed by the server and cannot be written`
          : `${field} is not a known property`,
      });
    } else {
      for (const message of Object.values(constraints)) {
        details.push({
          field,
          message: message.startsWith(error.property)
            ? field + message.slice(error.property.length)
            : message,
        });
      }
    }
    if (error.children?.length) {
      details.push(...toErrorDetails(error.children, field));
    }
  }
  return details;
}

/** The ValidationPipe's exceptionFactory: 400 VALIDATION_ERROR with per-field details. */
export function validationExceptionFactory(errors: ValidationError[]): AppError {
  return AppError.validation(toErrorDetails(errors));
}
