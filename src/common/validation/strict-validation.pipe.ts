import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { AppError, type ErrorDetail } from '../http/app-error.js';

/**
 * Key names no stored object may have: the members of Object.prototype (`constructor`,
 * `toString`, `valueOf`, `hasOwnProperty`, `__proto__`, …) and `prototype`. class-transformer and
 * Mongoose drop some of them and libraries call others as methods on the object (a
 * `propertyIsEnumerable` key holding an array was stored as binary), so they are refused by name.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** For messages: `constructor, toString, …`. */
export const RESERVED_NAMES_TEXT =
  'a member of Object.prototype (constructor, toString, valueOf, …) or prototype';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The paths of keys the client sent that are missing from what class-transformer built. It skips
 * a property whose name an object inherits (`constructor`, `toString`, `valueOf`, …) without a
 * word, so the whitelist never sees it; such a key would be lost. Values passed through untouched
 * (free-form JSON such as `metadata`, the same object on both sides) are not walked.
 */
export function droppedKeyPaths(raw: unknown, built: unknown, path = ''): string[] {
  if (!isObject(raw) || !isObject(built) || raw === built) {
    return [];
  }
  const dropped: string[] = [];
  for (const key of Object.keys(raw)) {
    const field = path ? `${path}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(built, key)) {
      dropped.push(field);
    } else {
      dropped.push(...droppedKeyPaths(raw[key], built[key], field));
    }
  }
  return dropped;
}

/**
 * The global ValidationPipe, plus one rule: every key a client sends in a body is either
 * kept or refused with a 400 that names it, never dropped on the way to the DTO.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !isObject(value)) {
      return super.transform(value, metadata);
    }
    // A copy as sent: the ValidationPipe deletes `constructor` and `__proto__` keys in place.
    const sent = structuredClone(value);
    const built: unknown = await super.transform(value, metadata);
    const dropped = droppedKeyPaths(sent, built);
    if (dropped.length > 0) {
      const details: ErrorDetail[] = dropped.map((field) => ({
        field,
        message: RESERVED_NAMES.has(field.slice(field.lastIndexOf('.') + 1))
          ? `${field} is a reserved name: ${RESERVED_NAMES_TEXT}`
          : `${field} is not a known property`,
      }));
      throw AppError.validation(details);
    }
    return built;
  }
}
