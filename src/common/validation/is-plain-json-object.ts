import { ValidateBy, type ValidationOptions } from 'class-validator';
import { RESERVED_NAMES, RESERVED_NAMES_TEXT } from './strict-validation.pipe.js';

export interface PlainJsonObjectLimits {
  /** Largest serialized size in bytes. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most keys in any one object (and items in any one array). */
  maxKeys: number;
}

/** Where a key sits, for messages: `a.b`, `items[1]`; a key that is not a plain name is quoted. */
function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${name}` : name;
}

/**
 * Why a value is not a free-form JSON object that can be stored exactly as sent as a MongoDB
 * sub-document, or undefined when it is. The message names the offending key. Keys may not start
 * with `$` or contain `.` or NUL (MongoDB operators, paths, and what BSON cannot store), nor be
 * a reserved name (`RESERVED_NAMES`: `constructor`, `toString`, …). Bounded by depth, keys per
 * object and total size.
 */
export function plainJsonObjectProblem(
  value: unknown,
  limits: PlainJsonObjectLimits,
): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be a JSON object';
  }
  // Iterative walk: a deep value must not be able to exhaust the stack.
  const stack: Array<{ node: unknown; depth: number; path: string }> = [
    { node: value, depth: 1, path: '' },
  ];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    const where = path ? ` (at ${path})` : '';
    if (depth > limits.maxDepth) {
      return `must not be nested deeper than ${limits.maxDepth} levels${where}`;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(node)
      ? node.map((item, index) => [index, item])
      : Object.entries(node);
    if (entries.length > limits.maxKeys) {
      return `must have at most ${limits.maxKeys} keys or items per object or array${where}`;
    }
    for (const [key, child] of entries) {
      if (typeof key === 'string') {
        if (key.startsWith('$') || key.includes('.') || key.includes('\0')) {
          return `keys must not start with "$" or contain "." or a NUL character: ${childPath(path, key)}`;
        }
        if (RESERVED_NAMES.has(key)) {
          return `keys must not be ${RESERVED_NAMES_TEXT}: ${childPath(path, key)}`;
        }
      }
      stack.push({ node: child, depth: depth + 1, path: childPath(path, key) });
    }
  }
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > limits.maxBytes) {
    return `must be at most ${limits.maxBytes} bytes as JSON`;
  }
  return undefined;
}

export function IsPlainJsonObject(
  limits: PlainJsonObjectLimits,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPlainJsonObject',
      validator: {
        validate: (value) => plainJsonObjectProblem(value, limits) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${plainJsonObjectProblem(args?.value, limits) ?? 'is invalid'}`,
      },
    },
    options,
  );
}
