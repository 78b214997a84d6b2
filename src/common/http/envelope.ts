import type { ErrorCode } from './error-code.js';
import type { ErrorDetail } from './app-error.js';

/** `{ success: true, data }`: every successful single-resource response. */
export interface DataEnvelope<T> {
  success: true;
  data: T;
}

/** `{ success: true, data, total }`: every list response; `total` ignores limit and offset. */
export interface ListEnvelope<T> {
  success: true;
  data: T[];
  total: number;
}

export interface ErrorEnvelope {
  success: false;
  error: {
    code: ErrorCode;
    message: string;
    details: ErrorDetail[];
    requestId?: string;
  };
}

export function ok<T>(data: T): DataEnvelope<T> {
  return { success: true, data };
}

export function okList<T>(data: T[], total: number): ListEnvelope<T> {
  return { success: true, data, total };
}
