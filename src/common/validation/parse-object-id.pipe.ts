import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { AppError } from '../http/app-error.js';
import { ErrorCode } from '../http/error-code.js';

/** A 24-hex ObjectId, as documented for every `{id}` path parameter. */
export const OBJECT_ID_PATTERN = '^[0-9a-fA-F]{24}$';
const OBJECT_ID = new RegExp(OBJECT_ID_PATTERN);

export function isObjectIdString(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

/** Path ids must be 24-hex ObjectIds: anything else is 400 INVALID_ID, before any query runs. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (!isObjectIdString(value)) {
      const field = metadata.data ?? 'id';
      throw new AppError(ErrorCode.INVALID_ID, `${field} must be a 24-character hex ObjectId`, [
        { field, message: `${field} must be a 24-character hex ObjectId` },
      ]);
    }
    return value.toLowerCase();
  }
}
