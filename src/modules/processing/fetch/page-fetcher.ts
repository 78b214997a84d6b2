import http from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

import {
  bareHostname,
  createGuardedLookup,
  literalHostError,
  peerAddressError,
} from './address-guard.js';
import type { Cidr, Resolver } from './address-guard.js';
import { FetchError } from './fetch-error.js';

export { createGuardedLookup, isPublicAddress } from './address-guard.js';
export type { Resolver } from './address-guard.js';
export { FetchError } from './fetch-error.js';
export type { FetchErrorKind } from './fetch-error.js';

export interface FetchLimits {
  /** Largest body accepted, checked against Content-Length and while streaming. */
  maxBytes: number;
  /** Deadline for the whole download, redirects and body included. */
  timeoutMs: number;
  maxRedirects: number;
  /**
   * Hostnames or IP literals that skip the public-address check, e.g. '127.0.0.1', 'localhost',
   * 'files.internal'. Matched case-insensitively and exactly against the URL hostname.
   */
  allowedHosts: readonly string[];
  /** Further address ranges never fetched from (FETCH_BLOCKED_RANGES), e.g. a NAT64 prefix. */
  blockedRanges?: readonly Cidr[];
}

export interface FetchedPage {
  body: Buffer;
  /** The media type without parameters, e.g. 'image/png'; 'application/octet-stream' if absent. */
  contentType: string;
  /** The URL the body came from, after redirects. */
  finalUrl: string;
}

/** Seams for tests; production code passes nothing. */
export interface FetchDependencies {
  resolve?: Resolver;
  /** Aborts the download (the worker lost its lease or is stopping); it then rejects at once. */
  signal?: AbortSignal;
}

const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent': 'ocr-invoice-pages/1.0',
  Accept: 'image/*, application/pdf',
  // Compressed bodies would need decompressing, which makes maxBytes meaningless (zip bombs).
  'Accept-Encoding': 'identity',
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
]);
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MIB = 1024 * 1024;
const KIB = 1024;

type HopOutcome = { kind: 'redirect'; location: string } | { kind: 'page'; page: FetchedPage };

/** What a single hop needs; `fail`/`succeed` settle it (later calls are no-ops). */
interface Hop {
  url: URL;
  limits: FetchLimits;
  succeed(outcome: HopOutcome): void;
  fail(error: FetchError): void;
}

/**
 * Downloads a page image from an untrusted URL: http(s) only, never to a private, loopback or
 * otherwise non-public address (unless the host is allowed), within size and time limits.
 * Rejects with a FetchError only.
 */
export async function fetchPage(
  url: string,
  limits: FetchLimits,
  dependencies: FetchDependencies = {},
): Promise<FetchedPage> {
  let target = checkScheme(parseUrl(url), 'refused:');
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.timeoutMs);
  const cancel = (): void => deadline.abort();
  dependencies.signal?.addEventListener('abort', cancel, { once: true });
  if (dependencies.signal?.aborted) {
    cancel();
  }
  try {
    for (let redirects = 0; ; redirects += 1) {
      const outcome = await fetchHop(target, limits, deadline.signal, dependencies);
      if (outcome.kind === 'page') {
        return outcome.page;
      }
      if (redirects >= limits.maxRedirects) {
        throw new FetchError(
          'too-many-redirects',
          `more than ${limits.maxRedirects} redirects (last from ${displayUrl(target)})`,
          false,
        );
      }
      target = followRedirect(target, outcome.location);
    }
  } finally {
    clearTimeout(timer);
    dependencies.signal?.removeEventListener('abort', cancel);
  }
}

function parseUrl(input: string): URL {
  try {
    return new URL(input);
  } catch {
    // The input is not echoed: it may hold credentials the URL parser could not separate.
    throw new FetchError('bad-url', 'page URL is not a valid URL', false);
  }
}

function followRedirect(from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new FetchError('bad-url', `${displayUrl(from)} redirected to an invalid URL`, false);
  }
  return checkScheme(next, `refused redirect from ${displayUrl(from)}:`);
}

/** Only plain http(s) without userinfo; anything else (file:, ftp:, data:) is never fetched. */
function checkScheme(url: URL, context: string): URL {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError('bad-url', `${context} ${displayUrl(url)} is not an http(s) URL`, false);
  }
  if (url.username !== '' || url.password !== '') {
    throw new FetchError('bad-url', `${context} ${displayUrl(url)} carries credentials`, false);
  }
  return url;
}

/**
 * The URL as it may appear in the errorLog: no userinfo, and the query elided because signed
 * URLs carry their access tokens there.
 */
function displayUrl(url: URL): string {
  const query = url.search === '' ? '' : '?…';
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}

function fetchHop(
  url: URL,
  limits: FetchLimits,
  signal: AbortSignal,
  dependencies: FetchDependencies,
): Promise<HopOutcome> {
  const literalError = literalHostError(url.hostname, limits.allowedHosts, limits.blockedRanges);
  if (literalError !== undefined) {
    return Promise.reject(literalError);
  }
  if (signal.aborted) {
    return Promise.reject(timeoutError(url, limits.timeoutMs, false));
  }
  return new Promise<HopOutcome>((resolve, reject) => {
    let responded = false;
    const request = startRequest(url, limits, dependencies);
    const onAbort = (): void => hop.fail(timeoutError(url, limits.timeoutMs, responded));
    // Settling always tears the connection down: the promise ignores a second settle, and
    // destroying the request is what stops a stalled or oversized body.
    const settle = (): void => {
      signal.removeEventListener('abort', onAbort);
      request.destroy();
    };
    const hop: Hop = {
      url,
      limits,
      succeed: (outcome) => {
        settle();
        resolve(outcome);
      },
      fail: (error) => {
        settle();
        reject(error);
      },
    };
    signal.addEventListener('abort', onAbort, { once: true });
    request.on('socket', (socket: Socket) => guardPeer(socket, hop));
    request.on('error', (error) => hop.fail(classifyError(error, url)));
    request.on('response', (response) => {
      responded = true;
      handleResponse(response, hop);
    });
    request.end();
  });
}

function startRequest(
  url: URL,
  limits: FetchLimits,
  dependencies: FetchDependencies,
): ClientRequest {
  const transport = url.protocol === 'https:' ? https : http;
  return transport.request(url, {
    method: 'GET',
    headers: REQUEST_HEADERS,
    // A fresh connection per hop: a pooled socket would skip the lookup, and so the check.
    agent: false,
    lookup: createGuardedLookup(limits.allowedHosts, dependencies.resolve, limits.blockedRanges),
  });
}

function guardPeer(socket: Socket, hop: Hop): void {
  const check = (): void => {
    const error = peerAddressError(
      hop.url.hostname,
      socket.remoteAddress,
      hop.limits.allowedHosts,
      hop.limits.blockedRanges,
    );
    if (error !== undefined) {
      hop.fail(error);
    }
  };
  if (socket.connecting) {
    // Prepended so the check runs before the queued request bytes are flushed on 'connect'.
    socket.prependOnceListener('connect', check);
  } else {
    check();
  }
}

function handleResponse(response: IncomingMessage, hop: Hop): void {
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (REDIRECT_STATUSES.has(status) && location !== undefined && location !== '') {
    hop.succeed({ kind: 'redirect', location });
    return;
  }
  const problem = status === 200 ? headerProblem(response, hop) : statusError(hop.url, status);
  if (problem !== undefined) {
    hop.fail(problem);
    return;
  }
  readBody(response, hop);
}

function statusError(url: URL, status: number): FetchError {
  // The standard reason phrase rather than the server's: it is ours to word, theirs to abuse.
  const reason = http.STATUS_CODES[status] ?? 'Unknown Status';
  const missingLocation = REDIRECT_STATUSES.has(status) ? ' without a Location header' : '';
  const transient = status >= 500 || status === 408 || status === 429;
  return new FetchError(
    'http-status',
    `GET ${displayUrl(url)} answered ${status} ${reason}${missingLocation}`,
    transient,
  );
}

/** Refuses a 200 by its headers alone, before any of the body is read. */
function headerProblem(response: IncomingMessage, hop: Hop): FetchError | undefined {
  const where = `GET ${displayUrl(hop.url)}`;
  const type = mediaType(response.headers['content-type']);
  if (!isAcceptedMediaType(type)) {
    return new FetchError(
      'unsupported-content-type',
      `${where} answered ${type}, not an image or PDF`,
      false,
    );
  }
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    return new FetchError(
      'unsupported-content-type',
      `${where} answered with Content-Encoding ${encoding}, which was not asked for`,
      false,
    );
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > hop.limits.maxBytes) {
    return tooLargeError(hop, `declares ${formatBytes(declared)}, larger than`);
  }
  return undefined;
}

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

function isAcceptedMediaType(type: string): boolean {
  return (
    type === '' ||
    type.startsWith('image/') ||
    type === 'application/pdf' ||
    type === DEFAULT_CONTENT_TYPE
  );
}

/** Streams the body, aborting as soon as it passes maxBytes (Content-Length may be absent or lie). */
function readBody(response: IncomingMessage, hop: Hop): void {
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > hop.limits.maxBytes) {
      hop.fail(tooLargeError(hop, 'body is larger than'));
      return;
    }
    chunks.push(chunk);
  });
  response.on('end', () => {
    hop.succeed({
      kind: 'page',
      page: {
        body: Buffer.concat(chunks, size),
        contentType: mediaType(response.headers['content-type']) || DEFAULT_CONTENT_TYPE,
        finalUrl: hop.url.href,
      },
    });
  });
  response.on('error', (error) => hop.fail(classifyError(error, hop.url)));
  response.on('close', () => {
    if (!response.complete) {
      hop.fail(
        new FetchError('network', `GET ${displayUrl(hop.url)}: connection closed mid-body`, true),
      );
    }
  });
}

function tooLargeError(hop: Hop, what: string): FetchError {
  const limit = formatBytes(hop.limits.maxBytes);
  return new FetchError('too-large', `GET ${displayUrl(hop.url)} ${what} ${limit}`, false);
}

function timeoutError(url: URL, timeoutMs: number, responded: boolean): FetchError {
  const what = responded ? 'response not complete' : 'no response';
  return new FetchError(
    'timeout',
    `GET ${displayUrl(url)}: ${what} within ${formatDuration(timeoutMs)}`,
    true,
  );
}

function errorCode(error: Error): string | undefined {
  return 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** Maps socket and DNS errors to FetchErrors; the guarded lookup's own FetchErrors pass through. */
function classifyError(error: Error, url: URL): FetchError {
  if (error instanceof FetchError) {
    return error;
  }
  const code = errorCode(error);
  const host = bareHostname(url.hostname);
  if (code === 'ENOTFOUND') {
    return new FetchError('dns', `${host} does not resolve (ENOTFOUND)`, false);
  }
  if (code === 'EAI_AGAIN') {
    return new FetchError('dns', `${host} could not be resolved for now (EAI_AGAIN)`, true);
  }
  const transient = code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
  return new FetchError('network', `GET ${displayUrl(url)} failed: ${error.message}`, transient);
}

function formatBytes(bytes: number): string {
  if (bytes >= MIB) {
    return `${round1(bytes / MIB)} MiB`;
  }
  return bytes >= KIB ? `${round1(bytes / KIB)} KiB` : `${bytes} bytes`;
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${round1(ms / 1000)} s` : `${ms} ms`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
