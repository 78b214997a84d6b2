import type { HttpResult } from './http.js';

/**
 * Asserts an error answer as a client sees it: the status, and the contract's envelope with the
 * code, a message, the request id and the `details` (any array unless given).
 */
export function expectError(
  res: Pick<HttpResult, 'status' | 'body'>,
  status: number,
  code: string,
  details?: Array<{ field: string; message: string }>,
): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: {
      success: false,
      error: {
        code,
        message: expect.any(String),
        details: details ?? expect.any(Array),
        requestId: expect.any(String),
      },
    },
  });
}
