import { Types } from 'mongoose';
import { invalidFilter } from './invalid-filter.js';
import { QUERY_LIMITS } from './query-limits.js';
import type { FieldSpec, QuerySpec } from './query-spec.js';

/** A MongoDB filter built by the translator from allow-listed parts only. */
export type MongoFilter = Record<string, unknown>;

const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);
const COMPARISON_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);
const LIST_OPERATORS = new Set(['$in', '$nin']);
const FIELD_OPERATORS = [...COMPARISON_OPERATORS, ...LIST_OPERATORS, '$exists'];
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const OPEN_MAP_KEY = /^[A-Za-z0-9_-]+$/;
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value)
    ? 'an array'
    : typeof value === 'object'
      ? 'an object'
      : `a ${typeof value}`;
}

/** A client's key as quoted in an error: printable characters only, at most 40 of them. */
function label(key: string): string {
  const printable = key.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/**
 * Whether an ISO date names a real calendar day of the years 0001–9999: `new Date` rolls
 * 2026-02-30 over into March instead of refusing it. setUTCFullYear, unlike Date.UTC, does not
 * turn the years 0–99 into 1900–1999.
 */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** A field a filter may name: a declared path, or a key under one of the open maps. */
type ResolvedField = { kind: 'declared'; spec: FieldSpec } | { kind: 'open' };

/**
 * Turns a client's `filter` JSON into a MongoDB query, from the resource's QuerySpec alone.
 * Every key is looked up in the spec or the operator allow-list and every value checked and
 * converted for its field's type; the result is built from scratch, so nothing the client sent
 * reaches MongoDB unless it was recognised. Anything else is a 400 INVALID_FILTER saying what and
 * where (as a path like `$or[1].status.$in[0]`).
 */
export class FilterTranslator {
  private conditions = 0;

  private constructor(private readonly spec: QuerySpec) {}

  static translate(spec: QuerySpec, raw: string): MongoFilter {
    if (Buffer.byteLength(raw, 'utf8') > QUERY_LIMITS.maxFilterBytes) {
      throw invalidFilter('filter', `filter must be at most ${QUERY_LIMITS.maxFilterBytes} bytes`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw invalidFilter('filter', 'filter is not valid JSON');
    }
    return new FilterTranslator(spec).translateFilter(parsed, 'filter', 1);
  }

  private fail(where: string, message: string): never {
    throw invalidFilter('filter', `${where} ${message}`);
  }

  private checkDepth(depth: number, where: string): void {
    if (depth > QUERY_LIMITS.maxDepth) {
      this.fail(where, `is nested deeper than ${QUERY_LIMITS.maxDepth} levels`);
    }
  }

  private countCondition(where: string): void {
    this.conditions += 1;
    if (this.conditions > QUERY_LIMITS.maxConditions) {
      this.fail(where, `makes more than ${QUERY_LIMITS.maxConditions} conditions`);
    }
  }

  private translateFilter(node: unknown, where: string, depth: number): MongoFilter {
    this.checkDepth(depth, where);
    if (!isPlainObject(node)) {
      this.fail(where, `must be a JSON object, not ${describe(node)}`);
    }
    const result: MongoFilter = {};
    for (const [key, value] of Object.entries(node)) {
      const at = `${where}.${label(key)}`;
      if (FORBIDDEN_KEYS.has(key)) {
        this.fail(at, 'is a forbidden key');
      }
      if (LOGICAL_OPERATORS.has(key)) {
        result[key] = this.translateLogical(value, at, depth + 1);
      } else if (key.startsWith('$')) {
        this.fail(at, 'is not an allowed operator (use $and, $or or $nor at this level)');
      } else {
        result[key] = this.translateField(key, this.resolveField(key, at), value, at, depth + 1);
      }
    }
    return result;
  }

  private translateLogical(value: unknown, where: string, depth: number): MongoFilter[] {
    this.checkDepth(depth, where);
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(where, 'must be a non-empty array of filters');
    }
    if (value.length > QUERY_LIMITS.maxConditions) {
      this.fail(where, `has more than ${QUERY_LIMITS.maxConditions} filters`);
    }
    return value.map((item, index) => this.translateFilter(item, `${where}[${index}]`, depth + 1));
  }

  private resolveField(path: string, where: string): ResolvedField {
    const declared = this.spec.fields[path];
    if (declared?.filter) {
      return { kind: 'declared', spec: declared };
    }
    const map = this.spec.openMaps.find((name) => path.startsWith(`${name}.`));
    if (map) {
      const keys = path.slice(map.length + 1).split('.');
      if (
        keys.length <= QUERY_LIMITS.maxOpenMapKeyDepth &&
        keys.every((key) => OPEN_MAP_KEY.test(key) && !FORBIDDEN_KEYS.has(key))
      ) {
        return { kind: 'open' };
      }
      this.fail(
        where,
        `is not a valid ${map} key (letters, digits, "_" and "-", at most ${QUERY_LIMITS.maxOpenMapKeyDepth} levels joined by ".")`,
      );
    }
    this.fail(where, 'is not a field that can be filtered');
  }

  private translateField(
    path: string,
    field: ResolvedField,
    value: unknown,
    where: string,
    depth: number,
  ): unknown {
    if (!isPlainObject(value)) {
      this.countCondition(where);
      return this.convert(field, value, where);
    }
    this.checkDepth(depth, where);
    const operators = Object.entries(value);
    if (operators.length === 0) {
      this.fail(where, 'must not be an empty object');
    }
    const result: Record<string, unknown> = {};
    for (const [operator, operand] of operators) {
      const at = `${where}.${label(operator)}`;
      this.countCondition(at);
      if (!operator.startsWith('$')) {
        this.fail(
          at,
          `is not an operator: compare ${path} to a value, or use ${FIELD_OPERATORS.join(' ')}`,
        );
      }
      result[operator] = this.translateOperator(field, operator, operand, at, depth + 1);
    }
    return result;
  }

  private translateOperator(
    field: ResolvedField,
    operator: string,
    operand: unknown,
    where: string,
    depth: number,
  ): unknown {
    if (COMPARISON_OPERATORS.has(operator)) {
      if (RANGE_OPERATORS.has(operator) && field.kind === 'declared') {
        if (field.spec.type === 'boolean' || operand === null) {
          this.fail(where, 'cannot compare by order here');
        }
      }
      return this.convert(field, operand, where);
    }
    if (LIST_OPERATORS.has(operator)) {
      this.checkDepth(depth, where);
      if (!Array.isArray(operand)) {
        this.fail(where, 'must be an array');
      }
      if (operand.length > QUERY_LIMITS.maxInItems) {
        this.fail(where, `must have at most ${QUERY_LIMITS.maxInItems} items`);
      }
      return operand.map((item, index) => this.convert(field, item, `${where}[${index}]`));
    }
    if (operator === '$exists') {
      if (typeof operand !== 'boolean') {
        this.fail(where, 'must be true or false');
      }
      return operand;
    }
    this.fail(where, `is not an allowed operator (allowed: ${FIELD_OPERATORS.join(' ')})`);
  }

  /** Checks a value against its field's type and converts it to what MongoDB stores. */
  private convert(field: ResolvedField, value: unknown, where: string): unknown {
    if (value === null) {
      // Matches a missing or null field, whatever its type.
      return null;
    }
    if (typeof value === 'object') {
      this.fail(where, `must be a single value, not ${describe(value)}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      // JSON numbers beyond the double range parse to Infinity, which no stored value holds.
      this.fail(where, 'must be a finite number');
    }
    if (
      typeof value === 'string' &&
      Buffer.byteLength(value, 'utf8') > QUERY_LIMITS.maxStringBytes
    ) {
      this.fail(where, `must be at most ${QUERY_LIMITS.maxStringBytes} bytes`);
    }
    if (field.kind === 'open') {
      return value;
    }
    const spec = field.spec;
    switch (spec.type) {
      case 'objectId':
        if (typeof value === 'string' && /^[0-9a-fA-F]{24}$/.test(value)) {
          return new Types.ObjectId(value);
        }
        return this.fail(where, 'must be a 24-character hex ObjectId');
      case 'string':
        if (typeof value === 'string') {
          return value;
        }
        return this.fail(where, 'must be a string');
      case 'enum':
        if (typeof value === 'string' && spec.values!.includes(value)) {
          return value;
        }
        return this.fail(where, `must be one of: ${spec.values!.join(', ')}`);
      case 'number':
        if (typeof value === 'number' && Number.isFinite(value)) {
          return value;
        }
        return this.fail(where, 'must be a number');
      case 'integer':
        if (typeof value === 'number' && Number.isSafeInteger(value)) {
          return value;
        }
        return this.fail(where, 'must be an integer');
      case 'boolean':
        if (typeof value === 'boolean') {
          return value;
        }
        return this.fail(where, 'must be true or false');
      case 'date': {
        const date =
          typeof value === 'string' && ISO_DATE.test(value) && isCalendarDate(value)
            ? new Date(value)
            : undefined;
        if (date && !Number.isNaN(date.getTime())) {
          return date;
        }
        return this.fail(
          where,
          'must be an ISO-8601 date of the years 0001–9999, e.g. 2026-01-31 or 2026-01-31T08:00:00Z',
        );
      }
    }
  }
}
