import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import {
  createGuardedLookup,
  literalHostError,
  peerAddressError,
  type Cidr,
} from '../processing/fetch/address-guard.js';
import { FetchError } from '../processing/fetch/fetch-error.js';

export interface SendLimits {
  /** Deadline of one attempt: connecting, sending and the receiver's answer. */
  timeoutMs: number;
  /** Hosts that may be private or loopback (FETCH_ALLOWED_HOSTS, shared with page downloads). */
  allowedHosts: readonly string[];
  /** Further ranges never reached (FETCH_BLOCKED_RANGES, shared with page downloads). */
  blockedRanges: readonly Cidr[];
}

/** How one attempt ended: the receiver's status, or why no status came back. */
export type SendOutcome = { statusCode: number } | { error: string };

/** What a receiver may send back that we read: enough to finish the exchange, nothing kept. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one signed delivery. The receiver's address passes the same guard as page downloads
 * (public addresses only unless allowed, checked on the address actually connected to), no
 * redirect is followed (a 3xx is a failed attempt), and the answer's body is discarded.
 * Never rejects: errors come back as a generic reason that names no address.
 */
export function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  limits: SendLimits,
): Promise<SendOutcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ error: 'invalid URL' });
  }
  if (literalHostError(target.hostname, limits.allowedHosts, limits.blockedRanges) !== undefined) {
    return Promise.resolve({ error: 'address not allowed' });
  }
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const transport = target.protocol === 'https:' ? https : http;
    const request = transport.request(target, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'ocr-invoice-pages-webhooks/1.0',
      },
      // A fresh connection per attempt: a pooled socket would skip the guarded lookup.
      agent: false,
      lookup: createGuardedLookup(limits.allowedHosts, undefined, limits.blockedRanges),
      timeout: limits.timeoutMs,
    });
    const finish = (outcome: SendOutcome): void => {
      if (!settled) {
        settled = true;
        clearTimeout(deadline);
        request.destroy();
        resolve(outcome);
      }
    };
    // `timeout` above only covers idle sockets; this bounds the whole attempt.
    const deadline = setTimeout(() => finish({ error: 'timed out' }), limits.timeoutMs);
    request.on('socket', (socket: Socket) => {
      const check = (): void => {
        if (
          peerAddressError(
            target.hostname,
            socket.remoteAddress,
            limits.allowedHosts,
            limits.blockedRanges,
          )
        ) {
          finish({ error: 'address not allowed' });
        }
      };
      if (socket.connecting) {
        socket.prependOnceListener('connect', check);
      } else {
        check();
      }
    });
    request.on('timeout', () => finish({ error: 'timed out' }));
    request.on('error', (error) =>
      finish({ error: error instanceof FetchError ? 'address not allowed' : 'could not connect' }),
    );
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          finish({ statusCode });
        }
      });
      response.on('end', () => finish({ statusCode }));
      response.on('error', () => finish({ statusCode }));
    });
    request.end(body);
  });
}
