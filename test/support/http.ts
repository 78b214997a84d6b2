import { responseProblem } from './response-validator.js';
/** A response as a client sees it: status, headers and the parsed JSON body. */
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  /** Sent as is, with no JSON encoding (for malformed or non-JSON bodies). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** Real HTTP through fetch: what any REST client would send and receive. */
export async function http<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) {
    body = options.rawBody;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(new URL(path, baseUrl), { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
    parsed = JSON.parse(text);
  }
  const url = new URL(path, baseUrl);
  const mediaType = (response.headers.get('content-type') ?? 'application/json')
    .split(';')[0]
    .trim()
    .toLowerCase();
  const problem = await responseProblem(
    baseUrl,
    method,
    url.pathname,
    response.status,
    parsed,
    text.length > 0 ? mediaType : 'application/json',
  );
  if (problem) {
    throw new Error(problem);
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** A client bound to one app: its base URL, or a function giving it when a request is sent. */
export function client(base: string | (() => string)) {
  const baseUrl = typeof base === 'string' ? () => base : base;
  return {
    get: <T = any>(path: string, options?: RequestOptions) =>
      http<T>(baseUrl(), 'GET', path, options),
    post: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      http<T>(baseUrl(), 'POST', path, { body, ...options }),
    put: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      http<T>(baseUrl(), 'PUT', path, { body, ...options }),
    patch: <T = any>(path: string, body?: unknown, options?: RequestOptions) =>
      http<T>(baseUrl(), 'PATCH', path, { body, ...options }),
    delete: <T = any>(path: string, options?: RequestOptions) =>
      http<T>(baseUrl(), 'DELETE', path, options),
  };
}

export type Client = ReturnType<typeof client>;

/** A query string from parameters, encoded as a browser would. */
export function queryString(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}
