import type { ErrorDetail } from '../../../common/http/app-error.js';
import { INVOICE_FIELD_NAMES } from '../ocr-page.enums.js';

export type InvoiceFieldName = (typeof INVOICE_FIELD_NAMES)[number];

/** A field's value as a person sets it: a number for amounts, otherwise a string. */
export type CorrectedValue = string | number;

const DATE_FIELDS: ReadonlySet<string> = new Set(['invoiceDate', 'dueDate']);
const AMOUNT_FIELDS: ReadonlySet<string> = new Set(['subtotal', 'taxAmount', 'totalAmount']);
const FIELD_NAMES: ReadonlySet<string> = new Set(INVOICE_FIELD_NAMES);

/** Strings other than dates and currency: 1 to this many characters. */
export const MAX_FIELD_LENGTH = 200;
/** Amounts above this are not invoice amounts (and lose cents as doubles long before). */
const MAX_AMOUNT = 1e12;

/**
 * ISO 4217 codes of the currencies in use, as the ICU data Node ships with keeps them (updated
 * with each Node release; withdrawn codes such as DEM are not in it).
 */
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are.
  date.setUTCFullYear(year, month - 1, day);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** Whether `value` is a finite amount with at most two decimals (cents). */
export function isAmount(value: number): boolean {
  if (!Number.isFinite(value) || Math.abs(value) > MAX_AMOUNT) {
    return false;
  }
  // 1234.5 and 1234.56 are written exactly like that; 0.001 and 1e-7 are not cents.
  return /^-?\d+(\.\d{1,2})?$/.test(String(value));
}

export function isCurrencyCode(value: string): boolean {
  return CURRENCIES.has(value);
}

/** Why `value` is not a valid value for `name`, or undefined when it is. */
export function fieldValueProblem(name: InvoiceFieldName, value: unknown): string | undefined {
  if (AMOUNT_FIELDS.has(name)) {
    return typeof value === 'number' && isAmount(value)
      ? undefined
      : `${name} must be a finite number with at most 2 decimals`;
  }
  if (typeof value !== 'string') {
    return `${name} must be a string`;
  }
  if (DATE_FIELDS.has(name)) {
    return isCalendarDate(value) ? undefined : `${name} must be a calendar date YYYY-MM-DD`;
  }
  if (name === 'currency') {
    return isCurrencyCode(value) ? undefined : 'currency must be an ISO 4217 currency code';
  }
  return value.trim().length >= 1 && value.length <= MAX_FIELD_LENGTH
    ? undefined
    : `${name} must be 1 to ${MAX_FIELD_LENGTH} characters`;
}

/** What a correction request changes: a field's new value, or null to restore the OCR value. */
export type FieldCorrections = Partial<Record<InvoiceFieldName, CorrectedValue | null>>;

/**
 * Checks the `fields` of a correction request: every name one of the invoice fields, every value
 * valid for its field or null. Returns the corrections, or the problems (one per field, named
 * `fields.<name>`; unknown names in one detail naming them). Values are never echoed back.
 */
export function parseFieldCorrections(
  fields: Record<string, unknown>,
): { corrections: FieldCorrections } | { problems: ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const names = Object.keys(fields);
  const unknown = names.filter((name) => !FIELD_NAMES.has(name));
  if (unknown.length > 0) {
    problems.push({
      field: 'fields',
      message: `unknown field(s): ${unknown
        .slice(0, 3)
        .map((name) => name.slice(0, 40))
        .join(
          ', ',
        )}${unknown.length > 3 ? ', …' : ''}; fields are ${INVOICE_FIELD_NAMES.join(', ')}`,
    });
  }
  if (names.length === 0) {
    problems.push({ field: 'fields', message: 'fields must name at least one field' });
  }
  const corrections: FieldCorrections = {};
  for (const name of names.filter((candidate) => FIELD_NAMES.has(candidate))) {
    const field = name as InvoiceFieldName;
    const value = fields[name];
    if (value === null) {
      corrections[field] = null;
      continue;
    }
    const problem = fieldValueProblem(field, value);
    if (problem) {
      problems.push({ field: `fields.${name}`, message: problem });
    } else {
      corrections[field] = value as CorrectedValue;
    }
  }
  return problems.length > 0 ? { problems } : { corrections };
}
