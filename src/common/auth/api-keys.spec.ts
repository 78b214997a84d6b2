import { createHash } from 'node:crypto';
import {
  actorOfKey,
  findApiKey,
  hasScope,
  hashApiKey,
  parseApiKeys,
  presentedApiKey,
  scopeForMethod,
  type Scope,
} from './api-keys.js';

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const READER = sha256('reader-secret');
const WRITER = sha256('writer-secret');
const ADMIN = sha256('admin-secret');

describe('parseApiKeys', () => {
  it('parses hashes and scopes, normalising the hex to lower case', () => {
    const keys = parseApiKeys([`${READER}:read`, ` ${WRITER.toUpperCase()}:read+write `]);
    expect(keys.map((key) => ({ id: key.id, scopes: [...key.scopes] }))).toStrictEqual([
      { id: READER, scopes: ['read'] },
      { id: WRITER, scopes: ['read', 'write'] },
    ]);
    expect(keys[1]?.hash.toString('hex')).toBe(WRITER);
  });

  it('reads an optional name after `=`; the actor is the name, else the first 8 hex of the hash', () => {
    const keys = parseApiKeys([`${READER}:read=alice.b@acme-1`, `${WRITER}:read+write`]);
    expect(keys[0]).toMatchObject({ id: READER, name: 'alice.b@acme-1' });
    expect([...keys[0].scopes]).toStrictEqual(['read']);
    expect(keys[1]).not.toHaveProperty('name');
    expect(keys.map(actorOfKey)).toStrictEqual(['alice.b@acme-1', WRITER.slice(0, 8)]);
  });

  it('accepts no keys', () => {
    expect(parseApiKeys([])).toStrictEqual([]);
  });

  it.each<[string, string]>([
    ['a key in clear', 'reader-secret:read'],
    ['no scope', READER],
    ['an empty scope', `${READER}:`],
    ['an unknown scope', `${READER}:root`],
    ['a trailing +', `${READER}:read+`],
    ['a short hash', `${READER.slice(2)}:read`],
    ['a long hash', `${READER}00:read`],
    ['a non-hex hash', `${'g'.repeat(64)}:read`],
    ['scopes separated by commas inside the entry', `${READER}:read;write`],
    ['an empty name', `${READER}:read=`],
    ['a name with a space', `${READER}:read=al ice`],
    ['a name too long', `${READER}:read=${'a'.repeat(65)}`],
    ['two names', `${READER}:read=a=b`],
  ])('refuses %s, naming API_KEYS and the entry but not its value', (_label, entry) => {
    expect(() => parseApiKeys([`${ADMIN}:admin`, entry])).toThrow(
      /^API_KEYS: entry 2 is not <sha256 hex>:<scope>/,
    );
    try {
      parseApiKeys([entry]);
    } catch (error) {
      expect((error as Error).message).not.toContain(entry);
    }
  });

  it('refuses a hash given twice (in any case)', () => {
    expect(() => parseApiKeys([`${READER}:read`, `${READER.toUpperCase()}:write`])).toThrow(
      'API_KEYS: entry 2 repeats the hash of an earlier entry',
    );
  });
});

describe('findApiKey', () => {
  const keys = parseApiKeys([`${READER}:read`, `${WRITER}:read+write`, `${ADMIN}:admin`]);

  it.each<[string, string, string | undefined]>([
    ['the read key', 'reader-secret', READER],
    ['the write key', 'writer-secret', WRITER],
    ['the admin key', 'admin-secret', ADMIN],
    ['an unknown key', 'guessed-secret', undefined],
    ['an empty key', '', undefined],
    ['a one-character key', 'x', undefined],
    ['a very long key', 'x'.repeat(10_000), undefined],
    ['a prefix of a key', 'reader', undefined],
    ['a key with extra text', 'reader-secret ', undefined],
    ['a key in another case', 'READER-SECRET', undefined],
    ['the configured hash itself', READER, undefined],
    ['non-ASCII text', 'clé-secrète-ü', undefined],
  ])('finds %s', (_label, presented, id) => {
    expect(findApiKey(keys, presented)?.id).toBe(id);
  });

  it('finds nothing when no key is configured', () => {
    expect(findApiKey([], 'reader-secret')).toBeUndefined();
  });

  it('hashes every presented key to 32 bytes, so lengths never differ', () => {
    for (const secret of ['', 'x', 'x'.repeat(100_000)]) {
      expect(hashApiKey(secret)).toHaveLength(32);
    }
  });

  it('compares against every configured key, not stopping at the first match', () => {
    const compared: string[] = [];
    const spied = keys.map((key) => ({
      ...key,
      get hash() {
        compared.push(key.id);
        return key.hash;
      },
    }));
    expect(findApiKey(spied, 'reader-secret')?.id).toBe(READER);
    expect(new Set(compared)).toStrictEqual(new Set([READER, WRITER, ADMIN]));
  });
});

describe('hasScope', () => {
  const [reader, writer, admin] = parseApiKeys([
    `${READER}:read`,
    `${WRITER}:write`,
    `${ADMIN}:admin`,
  ]);

  it.each<[string, typeof reader, Scope, boolean]>([
    ['read', reader, 'read', true],
    ['read', reader, 'write', false],
    ['read', reader, 'admin', false],
    ['write', writer, 'write', true],
    ['write (which implies read)', writer, 'read', true],
    ['write', writer, 'metrics', false],
    ['metrics', parseApiKeys([`${READER}:metrics`])[0], 'metrics', true],
    ['metrics', parseApiKeys([`${READER}:metrics`])[0], 'read', false],
    ['admin', admin, 'metrics', true],
    ['admin', admin, 'read', true],
    ['admin', admin, 'write', true],
    ['admin', admin, 'admin', true],
  ])('a %s key asked for %s: %s', (_label, key, scope, expected) => {
    expect(hasScope(key, scope)).toBe(expected);
  });
});

describe('scopeForMethod', () => {
  it.each<[string, Scope]>([
    ['GET', 'read'],
    ['HEAD', 'read'],
    ['get', 'read'],
    ['POST', 'write'],
    ['PUT', 'write'],
    ['PATCH', 'write'],
    ['DELETE', 'write'],
    ['OPTIONS', 'write'],
  ])('%s needs %s', (method, scope) => {
    expect(scopeForMethod(method)).toBe(scope);
  });
});

describe('presentedApiKey', () => {
  it.each<[string, Record<string, string | string[] | undefined>, string | undefined]>([
    ['nothing', {}, undefined],
    ['a Bearer token', { authorization: 'Bearer abc' }, 'abc'],
    ['a bearer token in lower case', { authorization: 'bearer abc' }, 'abc'],
    ['a Bearer token with surrounding blanks', { authorization: 'Bearer   abc  ' }, 'abc'],
    ['an X-API-Key header', { 'x-api-key': 'abc' }, 'abc'],
    ['both: Bearer wins', { authorization: 'Bearer one', 'x-api-key': 'two' }, 'one'],
    [
      'Basic auth and an X-API-Key',
      { authorization: 'Basic dXNlcjpwdw==', 'x-api-key': 'two' },
      'two',
    ],
    ['Basic auth only', { authorization: 'Basic dXNlcjpwdw==' }, undefined],
    ['a Bearer without a token', { authorization: 'Bearer ' }, undefined],
    ['a Bearer token with a space inside', { authorization: 'Bearer a b' }, undefined],
    ['a repeated X-API-Key', { 'x-api-key': ['a', 'b'] }, ''],
    ['a blank X-API-Key', { 'x-api-key': '  ' }, ''],
  ])('reads %s', (_label, headers, expected) => {
    expect(presentedApiKey(headers)).toBe(expected);
  });
});
