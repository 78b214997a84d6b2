import type {
  ConsistencyCheck,
  ExtractedField,
  ExtractedFields,
  InvoiceFieldName,
} from '../processing.types.js';
import { roundConfidence } from './geometry.js';

/** A failed check halves the confidence of every field it involves. */
export const FAILED_CHECK_FACTOR = 0.5;

/** Money compared in whole cents, so 0.1 + 0.2 equals 0.3 and a 1-cent rounding slip passes. */
const cents = (amount: number): number => Math.round(amount * 100);
const TOLERANCE_CENTS = 1;
const money = (amount: number): string => amount.toFixed(2);

function numberOf(field: ExtractedField | undefined): number | undefined {
  return typeof field?.value === 'number' ? field.value : undefined;
}

function stringOf(field: ExtractedField | undefined): string | undefined {
  return typeof field?.value === 'string' ? field.value : undefined;
}

/** A check outcome; only a failure names the fields it lowers. */
function outcome(
  name: ConsistencyCheck['name'],
  passed: boolean,
  detail: string,
  involved: InvoiceFieldName[],
): ConsistencyCheck {
  return { name, passed, detail, fields: passed ? [] : involved };
}

/** `a + b + … = sum`, and `≠ expected` when they differ. */
function sumDetail(addends: readonly number[], expected: number, passed: boolean): string {
  const sum = addends.reduce((total, amount) => total + cents(amount), 0) / 100;
  const equation = `${addends.map(money).join(' + ')} = ${money(sum)}`;
  return passed ? equation : `${equation} ≠ ${money(expected)}`;
}

function sumsTo(addends: readonly number[], expected: number): boolean {
  const sum = addends.reduce((total, amount) => total + cents(amount), 0);
  return Math.abs(sum - cents(expected)) <= TOLERANCE_CENTS;
}

function subtotalPlusTax(fields: ExtractedFields): ConsistencyCheck | undefined {
  const subtotal = numberOf(fields.subtotal);
  const tax = numberOf(fields.taxAmount);
  const total = numberOf(fields.totalAmount);
  if (subtotal === undefined || tax === undefined || total === undefined) {
    return undefined;
  }
  const passed = sumsTo([subtotal, tax], total);
  return outcome('subtotalPlusTaxEqualsTotal', passed, sumDetail([subtotal, tax], total, passed), [
    'subtotal',
    'taxAmount',
    'totalAmount',
  ]);
}

function lineAmountsToSubtotal(
  fields: ExtractedFields,
  lineAmounts: readonly number[] | undefined,
): ConsistencyCheck | undefined {
  const subtotal = numberOf(fields.subtotal);
  if (subtotal === undefined || lineAmounts === undefined || lineAmounts.length === 0) {
    return undefined;
  }
  const passed = sumsTo(lineAmounts, subtotal);
  return outcome('lineAmountsSumToSubtotal', passed, sumDetail(lineAmounts, subtotal, passed), [
    'subtotal',
  ]);
}

function dueNotBeforeIssue(fields: ExtractedFields): ConsistencyCheck | undefined {
  const issued = stringOf(fields.invoiceDate);
  const due = stringOf(fields.dueDate);
  if (issued === undefined || due === undefined) {
    return undefined;
  }
  // ISO dates compare correctly as strings.
  const passed = due >= issued;
  const detail = passed ? `${due} ≥ ${issued}` : `${due} < ${issued}`;
  return outcome('dueDateNotBeforeInvoiceDate', passed, detail, ['invoiceDate', 'dueDate']);
}

/**
 * The arithmetic and date checks whose inputs were all extracted: subtotal + tax = total, line
 * amounts sum to the subtotal, the due date is not before the invoice date.
 */
export function runConsistencyChecks(
  fields: ExtractedFields,
  lineAmounts?: readonly number[],
): ConsistencyCheck[] {
  return [
    subtotalPlusTax(fields),
    lineAmountsToSubtotal(fields, lineAmounts),
    dueNotBeforeIssue(fields),
  ].filter((check) => check !== undefined);
}

/**
 * Lowers the confidence of the fields named by failed checks (once per failed check). Values
 * are never changed: a failed check says something is wrong, not which number to trust.
 */
export function applyCheckPenalties(
  fields: ExtractedFields,
  checks: readonly ConsistencyCheck[],
): ExtractedFields {
  const result: ExtractedFields = { ...fields };
  for (const name of checks.flatMap((check) => (check.passed ? [] : check.fields))) {
    const field = result[name];
    if (field !== undefined) {
      result[name] = {
        ...field,
        confidence: roundConfidence(field.confidence * FAILED_CHECK_FACTOR),
      };
    }
  }
  return result;
}
