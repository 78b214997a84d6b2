import { ValidateBy, type ValidationOptions } from 'class-validator';

export interface PlainJsonObjectLimits {
  /** Largest serialized size in bytes. */
  maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
}

/**
 * Why a value is not a free-form JSON object safe to store as a MongoDB sub-document,
 * or undefined when it is. Keys may not start with `$` or contain `.` or NUL (MongoDB operators,
 * paths, and what BSON cannot store), and `__proto__`/`constructor`/`prototype` keys are refused outright.
 */
export function plainJsonObjectProblem(
  value: unknown,
  limits: PlainJsonObjectLimits,
): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be a JSON object';
  }
  // Iterative walk: a deep value must not be able to exhaust the stack.
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) {
      continue;
    }
    if (depth > limits.maxDepth) {
      return `must not be nested deeper than ${limits.maxDepth} levels`;
    }
    const entries = Array.isArray(node)
      ? node.map((item) => ['', item] as const)
      : Object.entries(node);
    for (const [key, child] of entries) {
      if (!Array.isArray(node)) {
        if (key.startsWith('$') || key.includes('.') || key.includes('\0')) {
          return 'keys must not start with "$" or contain "." or a NUL character';
        }
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
          return `keys must not be "${key}"`;
        }
      }
      stack.push({ node: child, depth: depth + 1 });
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
