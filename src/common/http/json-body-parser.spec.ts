import { MAX_BODY_DEPTH, jsonDepth } from './json-body-parser.js';

/** `levels` nested objects (`{ a: { a: … } }`), built without recursion. */
function nestedObjects(levels: number): unknown {
  let value: unknown = {};
  for (let i = 1; i < levels; i += 1) {
    value = { a: value };
  }
  return value;
}

describe('jsonDepth', () => {
  it.each([0, 1.5, 'text', '', true, false, null, undefined])('is 0 for the scalar %p', (value) => {
    expect(jsonDepth(value)).toBe(0);
  });

  it.each<[string, unknown, number]>([
    ['an empty object', {}, 1],
    ['an empty array', [], 1],
    ['a flat object', { a: 1, b: 'x', c: null }, 1],
    ['a flat array', [1, 'x', null], 1],
    ['an object in an object', { a: { b: 1 } }, 2],
    ['an array of objects', [{ a: 1 }, { b: 2 }], 2],
    ['nested arrays', [[[]]], 3],
    ['mixed nesting', { a: [{ b: [1] }] }, 4],
    ['the deepest of several branches', { a: {}, b: { c: { d: {} } }, e: [1] }, 4],
  ])('measures %s', (_label, value, depth) => {
    expect(jsonDepth(value)).toBe(depth);
  });

  it('measures exactly MAX_BODY_DEPTH levels', () => {
    expect(jsonDepth(nestedObjects(MAX_BODY_DEPTH))).toBe(MAX_BODY_DEPTH);
  });

  it('exceeds MAX_BODY_DEPTH one level further', () => {
    expect(jsonDepth(nestedObjects(MAX_BODY_DEPTH + 1))).toBe(MAX_BODY_DEPTH + 1);
  });

  it('handles a 100000-level value without throwing and reports it too deep', () => {
    const deepObjects = nestedObjects(100_000);
    let deepArrays: unknown = [];
    for (let i = 1; i < 100_000; i += 1) {
      deepArrays = [deepArrays];
    }
    expect(jsonDepth(deepObjects)).toBeGreaterThan(MAX_BODY_DEPTH);
    expect(jsonDepth(deepArrays)).toBeGreaterThan(MAX_BODY_DEPTH);
  });
});
