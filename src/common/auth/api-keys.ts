import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * What a key may do: `read` pages, `write` them (which implies `read`: every write answers with
 * the page), scrape `metrics`; `admin` implies every other scope.
 */
export const SCOPES = ['read', 'write', 'metrics', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * One `API_KEYS` entry: the SHA-256 of the secret in hex, a colon, scopes joined by `+`, and
 * optionally `=` and a name that history and corrections record as the actor
 * (`9f86d0…:read+write=alice`). Neither hex nor scopes contain `=`, so the name cannot be
 * mistaken for part of the key. Secrets are never configured in clear.
 */
export const API_KEY_ENTRY_PATTERN =
  /^[0-9a-f]{64}:(?:read|write|metrics|admin)(?:\+(?:read|write|metrics|admin))*(?:=[A-Za-z0-9][A-Za-z0-9._@-]{0,63})?$/i;

/** A configured key. Only its hash is known; `id` (the hex hash) tracks it for rate limiting. */
export interface ApiKey {
  id: string;
  hash: Buffer;
  scopes: ReadonlySet<Scope>;
  /** Who the key belongs to, as history and corrections name it. */
  name?: string;
}

/** Names the actor of a change made with `key`: its name, else the first 8 hex of its hash. */
export function actorOfKey(key: ApiKey): string {
  return key.name ?? key.id.slice(0, 8);
}

/** SHA-256 of a presented secret: every digest has the same length, whatever was sent. */
export function hashApiKey(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Parses the `API_KEYS` entries. A malformed entry or a hash given twice is refused by its
 * position only: the message must not quote configuration values.
 */
export function parseApiKeys(entries: readonly string[]): ApiKey[] {
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const trimmed = entry.trim();
    if (!API_KEY_ENTRY_PATTERN.test(trimmed)) {
      throw new Error(
        `API_KEYS: entry ${index + 1} is not <sha256 hex>:<scope>[+<scope>][=<name>] with scopes ${SCOPES.join(', ')} and a name of letters, digits and . _ @ - (at most 64)`,
      );
    }
    const [key, name] = trimmed.split('=') as [string, string | undefined];
    const [hex, scopes] = key.split(':') as [string, string];
    const id = hex.toLowerCase();
    if (seen.has(id)) {
      throw new Error(`API_KEYS: entry ${index + 1} repeats the hash of an earlier entry`);
    }
    seen.add(id);
    return {
      id,
      hash: Buffer.from(id, 'hex'),
      scopes: new Set(scopes.split('+') as Scope[]),
      ...(name !== undefined && { name }),
    };
  });
}

/**
 * The configured key whose hash matches the presented secret's, if any. Every configured hash is
 * compared, in constant time, whatever matched before: the time taken tells nothing about which
 * key (or how much of one) was right.
 */
export function findApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = hashApiKey(presented);
  let found: ApiKey | undefined;
  for (const key of keys) {
    // Both are SHA-256 digests; the length check only keeps timingSafeEqual from throwing.
    const equal = key.hash.length === digest.length && timingSafeEqual(key.hash, digest);
    if (equal && found === undefined) {
      found = key;
    }
  }
  return found;
}

/** Whether the key grants `scope` (`admin` grants all, `write` grants `read` too). */
export function hasScope(key: ApiKey, scope: Scope): boolean {
  return (
    key.scopes.has('admin') ||
    key.scopes.has(scope) ||
    (scope === 'read' && key.scopes.has('write'))
  );
}

/** The scope an operation needs when it names none: reading for GET and HEAD, writing otherwise. */
export function scopeForMethod(method: string): Scope {
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' ? 'read' : 'write';
}

/**
 * The secret a request presents: `Authorization: Bearer <key>`, else `X-API-Key: <key>`.
 * `undefined` when neither is there; an empty string when a header is there but unusable
 * (repeated, or blank), which no key matches.
 */
export function presentedApiKey(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    if (bearer) {
      return bearer[1];
    }
  }
  const header = headers['x-api-key'];
  if (header === undefined) {
    return undefined;
  }
  return typeof header === 'string' ? header.trim() : '';
}
