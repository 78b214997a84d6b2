import { AppError } from '../http/app-error.js';

/**
 * Refuses a list whose items would make a response body over `maxBytes` of JSON
 * (LIST_MAX_RESPONSE_BYTES), with a 400 on `limit` that says what to ask for instead. Pages are
 * capped in size when stored, so this only bites on a large `limit` of heavy pages.
 */
export function assertListFits(items: readonly unknown[], maxBytes: number): void {
  let bytes = 0;
  for (const item of items) {
    bytes += Buffer.byteLength(JSON.stringify(item), 'utf8') + 1;
    if (bytes > maxBytes) {
      const message = `These pages are more than the ${maxBytes} bytes a list answers with: ask for fewer (limit) or fewer fields (fields)`;
      throw AppError.validation([{ field: 'limit', message }], message);
    }
  }
}
