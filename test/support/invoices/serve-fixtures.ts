/**
 * A tiny loopback HTTP server (node:http only) that serves fixture files and misbehaves on
 * request, for testing page download paths.
 *
 * Routes (GET and HEAD):
 * - `/<name>`            a file from `files` (keys may be given with or without a leading slash)
 * - `/status/:code`      answers with that status (200..599) and a short text body
 * - `/slow`              sends headers and then trickles one byte per `slowIntervalMs`; the body
 *                        (declared `slowBytes` long) never completes within 30 s
 * - `/huge`              streams `hugeBytes` (default 50 MiB) of image/png-labelled bytes;
 *                        `?chunked=1` omits Content-Length
 * - `/redirect?to=URL`   302 to URL (`&status=301|303|307|308` for another code)
 * - `/flaky/:name`       503 (Retry-After: 0) for the first N requests of that name, then the file;
 *                        N = `flakyFailures` (default 2), per request `?failures=N`
 * - `/html`              a text/html page
 * - `/corrupt.png`       image/png whose body is the PNG signature followed by random bytes
 * Anything else is 404. Built-in routes win over files of the same name. Every request is
 * recorded in `requests`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createPrng } from '../../../corpus/invoice-model.js';

export interface FixtureFile {
  body: Buffer;
  contentType: string;
}

export interface FixtureServerOptions {
  /** 503s before `/flaky/:name` serves the file. Default 2. */
  flakyFailures?: number;
  /** Size of `/huge`. Default 50 MiB. */
  hugeBytes?: number;
  /** Declared size of `/slow`. Default 1 MiB. */
  slowBytes?: number;
  /** Delay between the bytes `/slow` trickles. Default 1000 ms. */
  slowIntervalMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as requested. */
  url: string;
}

export interface FixtureServer {
  /** Origin, e.g. http://127.0.0.1:43121 */
  readonly baseUrl: string;
  /** Absolute URL for a path ('/x' or 'x'). */
  url(path: string): string;
  /** Requests received so far, in order. */
  readonly requests: readonly RecordedRequest[];
  /** Stops listening, drops open connections (ending /slow and /huge) and clears timers. */
  close(): Promise<void>;
}

const MIB = 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function corruptPng(): Buffer {
  const rng = createPrng(0xbadc0de);
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) {
    noise[i] = rng.int(0, 255);
  }
  return Buffer.concat([PNG_SIGNATURE, noise]);
}

const HTML_PAGE = Buffer.from(
  '<!doctype html><html><head><title>Not an image</title></head>' +
    '<body><h1>Login required</h1><p>This is an HTML page, not an invoice.</p></body></html>',
);

export async function startFixtureServer(
  files: Record<string, FixtureFile>,
  options: FixtureServerOptions = {},
): Promise<FixtureServer> {
  const flakyFailures = options.flakyFailures ?? 2;
  const hugeBytes = options.hugeBytes ?? 50 * MIB;
  const slowBytes = options.slowBytes ?? MIB;
  const slowIntervalMs = options.slowIntervalMs ?? 1000;

  const byPath = new Map<string, FixtureFile>(
    Object.entries(files).map(([name, file]) => [name.startsWith('/') ? name : `/${name}`, file]),
  );
  const flakyCounts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const requests: RecordedRequest[] = [];
  const corrupt = corruptPng();

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    contentType: string,
    body: Buffer,
    headers: Record<string, string> = {},
  ): void => {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': String(body.length),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const sendText = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    text: string,
    headers: Record<string, string> = {},
  ): void => send(req, res, status, 'text/plain; charset=utf-8', Buffer.from(text), headers);

  const sendFile = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    const file = byPath.get(path);
    if (file) {
      send(req, res, 200, file.contentType, file.body);
    } else {
      sendText(req, res, 404, `no fixture at ${path}`);
    }
  };

  const slow = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(slowBytes) });
    res.write(PNG_SIGNATURE);
    let sent = PNG_SIGNATURE.length;
    const timer = setInterval(() => {
      if (res.destroyed || sent >= slowBytes - 1) {
        // Never send the last byte: the body stays incomplete until the client gives up.
        clearInterval(timer);
        timers.delete(timer);
        return;
      }
      res.write(Buffer.from([0]));
      sent += 1;
    }, slowIntervalMs);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const huge = (req: IncomingMessage, res: ServerResponse, chunked: boolean): void => {
    res.writeHead(200, {
      'content-type': 'image/png',
      ...(chunked ? {} : { 'content-length': String(hugeBytes) }),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const chunk = Buffer.alloc(64 * 1024, 0x5a);
    PNG_SIGNATURE.copy(chunk);
    let remaining = hugeBytes;
    const pump = (): void => {
      while (remaining > 0 && !res.destroyed) {
        const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
        remaining -= piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) {
        res.end();
      }
    };
    pump();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? 'GET';
    requests.push({ method, url: req.url ?? '/' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      sendText(req, res, 400, 'malformed path');
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      sendText(req, res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return;
    }

    const status = /^\/status\/(\d{3})$/.exec(path);
    if (status) {
      const code = Number(status[1]);
      if (code < 200 || code > 599) {
        sendText(req, res, 400, `unsupported status ${code}`);
      } else {
        sendText(req, res, code, `status ${code}`);
      }
      return;
    }
    if (path.startsWith('/flaky/')) {
      const name = path.slice('/flaky/'.length);
      const failuresParam = url.searchParams.get('failures');
      const failures = failuresParam === null ? flakyFailures : Number(failuresParam);
      const key = `${name}?${failures}`;
      const seen = flakyCounts.get(key) ?? 0;
      flakyCounts.set(key, seen + 1);
      if (seen < failures) {
        sendText(req, res, 503, 'temporarily unavailable', { 'retry-after': '0' });
      } else {
        sendFile(req, res, `/${name}`);
      }
      return;
    }
    switch (path) {
      case '/slow':
        slow(res);
        return;
      case '/huge':
        huge(req, res, url.searchParams.get('chunked') === '1');
        return;
      case '/redirect': {
        const to = url.searchParams.get('to');
        const code = Number(url.searchParams.get('status') ?? '302');
        if (to === null || ![301, 302, 303, 307, 308].includes(code)) {
          sendText(req, res, 400, 'use /redirect?to=URL[&status=301|302|303|307|308]');
        } else {
          sendText(req, res, code, `redirecting to ${to}`, { location: to });
        }
        return;
      }
      case '/html':
        send(req, res, 200, 'text/html; charset=utf-8', HTML_PAGE);
        return;
      case '/corrupt.png':
        send(req, res, 200, 'image/png', corrupt);
        return;
      default:
        sendFile(req, res, path);
    }
  };

  const server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    url: (path: string): string => `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`,
    requests,
    close: async (): Promise<void> => {
      for (const timer of timers) {
        clearInterval(timer);
      }
      timers.clear();
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeAllConnections();
      await closed;
    },
  };
}
