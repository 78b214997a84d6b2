import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsPlainJsonObject, plainJsonObjectProblem } from './is-plain-json-object.js';

const LIMITS = { maxBytes: 1024, maxDepth: 3, maxKeys: 100 };
const BAD_KEY = /^keys must not start with "\$" or contain "\." or a NUL character: /;

/** `levels` nested objects (`{ a: { a: … } }`), built without recursion. */
function nestedObjects(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i += 1) {
    value = { a: value };
  }
  return value;
}

describe('plainJsonObjectProblem', () => {
  it.each<[string, unknown]>([
    ['an array', []],
    ['an array of objects', [{ a: 1 }]],
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"a":1}'],
    ['a number', 1],
    ['a boolean', true],
  ])('rejects %s as not a JSON object', (_label, value) => {
    expect(plainJsonObjectProblem(value, LIMITS)).toBe('must be a JSON object');
  });

  it.each<[string, unknown]>([
    ['an empty object', {}],
    ['scalars and nulls', { a: 1, b: 'x', c: null, d: true }],
    ['arrays of objects', { items: [{ a: 1 }, { b: 2 }, [3]] }],
    ['keys with $ or "proto" not at the start', { a$: 1, price$: 2, proto: 3, __proto: 4 }],
    ['unicode keys', { clé: 'valeur' }],
  ])('accepts %s', (_label, value) => {
    expect(plainJsonObjectProblem(value, LIMITS)).toBeUndefined();
  });

  it.each<[string, unknown, string]>([
    ['a $ key', { $set: { a: 1 } }, '"$set"'],
    ['a bare $ key', { $: 1 }, '"$"'],
    ['a dotted key', { 'a.b': 1 }, '"a.b"'],
    ['a trailing dot', { 'a.': 1 }, '"a."'],
    ['a $ key in a nested object', { a: { b: { $gt: 1 } } }, 'a.b."$gt"'],
    [
      'a dotted key in an object inside an array',
      { items: [{ ok: 1 }, { 'bad.key': 2 }] },
      'items[1]."bad.key"',
    ],
    ['a $ key in an object after an array', { a: [[1], { $where: 'x' }] }, 'a[1]."$where"'],
  ])('rejects %s, naming where it is', (_label, value, where) => {
    const problem = plainJsonObjectProblem(value, LIMITS);
    expect(problem).toMatch(BAD_KEY);
    expect(problem?.endsWith(`: ${where}`)).toBe(true);
  });

  it('finds a bad key in objects inside nested arrays', () => {
    const deepLimits = { maxBytes: 1024, maxDepth: 10, maxKeys: 100 };
    expect(plainJsonObjectProblem({ a: [[{ ok: 1 }], [[{ $where: 'x' }]]] }, deepLimits)).toMatch(
      BAD_KEY,
    );
    expect(plainJsonObjectProblem({ a: [[{ ok: 1 }], [[{ fine: 'x' }]]] }, deepLimits)).toBe(
      undefined,
    );
  });

  it.each<[string, unknown, string]>([
    ['__proto__ from JSON.parse', JSON.parse('{"__proto__":1}'), '__proto__'],
    ['nested __proto__', JSON.parse('{"a":[{"__proto__":{"x":1}}]}'), 'a[0].__proto__'],
    ['constructor', { constructor: 1 }, 'constructor'],
    ['nested constructor', { a: { constructor: { prototype: 1 } } }, 'a.constructor'],
    ['prototype', { prototype: {} }, 'prototype'],
    ['toString', { toString: 'x' }, 'toString'],
    ['valueOf', { a: { valueOf: 1 } }, 'a.valueOf'],
  ])('rejects %s as a key', (_label, value, where) => {
    expect(plainJsonObjectProblem(value, LIMITS)).toBe(
      `keys must not be a member of Object.prototype (constructor, toString, valueOf, …) or prototype: ${where}`,
    );
  });

  it('rejects more than maxKeys keys in one object or items in one array', () => {
    const limits = { maxBytes: 4096, maxDepth: 3, maxKeys: 3 };
    expect(plainJsonObjectProblem({ a: 1, b: 2, c: 3 }, limits)).toBeUndefined();
    expect(plainJsonObjectProblem({ a: { w: 1, x: 2, y: 3, z: 4 } }, limits)).toBe(
      'must have at most 3 keys or items per object or array (at a)',
    );
    expect(plainJsonObjectProblem({ a: [1, 2, 3, 4] }, limits)).toBe(
      'must have at most 3 keys or items per object or array (at a)',
    );
  });

  describe('depth', () => {
    it('accepts exactly maxDepth levels of objects and arrays', () => {
      expect(plainJsonObjectProblem(nestedObjects(3), LIMITS)).toBeUndefined();
      expect(plainJsonObjectProblem({ a: [[1, 'deep scalar']] }, LIMITS)).toBeUndefined();
    });

    it('rejects one level more', () => {
      const message = /^must not be nested deeper than 3 levels \(at /;
      expect(plainJsonObjectProblem(nestedObjects(4), LIMITS)).toMatch(message);
      expect(plainJsonObjectProblem({ a: [[[]]] }, LIMITS)).toBe(
        'must not be nested deeper than 3 levels (at a[0][0])',
      );
      expect(plainJsonObjectProblem({ ok: 1, a: [{ b: {} }] }, LIMITS)).toMatch(message);
    });

    it('rejects a 100000-level value without exhausting the stack', () => {
      expect(plainJsonObjectProblem(nestedObjects(100_000), LIMITS)).toBe(
        'must not be nested deeper than 3 levels (at a.a.a)',
      );
    });
  });

  describe('size', () => {
    // {"a":"…"} is 8 bytes plus the string.
    it('accepts exactly maxBytes of JSON', () => {
      expect(plainJsonObjectProblem({ a: 'x'.repeat(1016) }, LIMITS)).toBeUndefined();
    });

    it('rejects one byte more', () => {
      expect(plainJsonObjectProblem({ a: 'x'.repeat(1017) }, LIMITS)).toBe(
        'must be at most 1024 bytes as JSON',
      );
    });

    it('counts UTF-8 bytes, not characters', () => {
      expect(plainJsonObjectProblem({ a: 'é'.repeat(508) }, LIMITS)).toBeUndefined();
      expect(plainJsonObjectProblem({ a: 'é'.repeat(509) }, LIMITS)).toBe(
        'must be at most 1024 bytes as JSON',
      );
    });
  });
});

describe('@IsPlainJsonObject', () => {
  class Holder {
    @IsPlainJsonObject({ maxBytes: 64, maxDepth: 2, maxKeys: 100 })
    metadata?: unknown;
  }

  function messagesFor(metadata: unknown): string[] {
    return validateSync(plainToInstance(Holder, { metadata })).flatMap((error) =>
      Object.values(error.constraints ?? {}),
    );
  }

  it('passes a valid object', () => {
    expect(messagesFor({ a: { b: 1 } })).toStrictEqual([]);
  });

  it('explains the problem prefixed with the property name', () => {
    expect(messagesFor({ 'a.b': 1 })).toStrictEqual([
      'metadata keys must not start with "$" or contain "." or a NUL character: "a.b"',
    ]);
    expect(messagesFor({ a: { b: {} } })).toStrictEqual([
      'metadata must not be nested deeper than 2 levels (at a.b)',
    ]);
    expect(messagesFor([])).toStrictEqual(['metadata must be a JSON object']);
  });
});
