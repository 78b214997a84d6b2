import { AppError } from '../http/app-error.js';

/** MongoDB's duplicate-key error code (a unique index refused the write). */
const DUPLICATE_KEY = 11000;

export function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * Runs a write, answering a duplicate-key refusal with 409 CONFLICT and `message` (which names the
 * unique fields, never the values); any other error passes unchanged.
 */
export async function conflictOnDuplicateKey<T>(
  write: () => Promise<T>,
  message: string,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isDuplicateKeyError(error) ? AppError.conflict(message) : error;
  }
}
