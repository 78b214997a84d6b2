import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * Like class-validator's `@IsOptional()`, but only an absent property is skipped: `null` is
 * validated (and so rejected) like any other value. A client that sends `null` for a field
 * gets a 400 naming it instead of the field being silently dropped or stored as null.
 */
export function IsOptionalNonNull(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value: unknown) => value !== undefined, options);
}
