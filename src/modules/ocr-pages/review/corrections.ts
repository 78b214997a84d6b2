import { runConsistencyChecks } from '../../processing/extract/consistency.js';
import { FieldSource } from '../ocr-page.enums.js';
import type { BoundingBox, ExtractionCheck } from '../schemas/ocr-page.schema.js';
import type { CorrectedValue, InvoiceFieldName } from './field-values.js';

/**
 * An extracted field as stored in `extractedFields`. A corrected one keeps what was read
 * (`ocrValue`, and internally `ocrConfidence`/`ocrSource`) so that removing the correction
 * restores it exactly.
 */
export interface StoredField {
  value: CorrectedValue;
  confidence: number;
  boundingBox?: BoundingBox;
  source?: FieldSource;
  ocrValue?: CorrectedValue | null;
  ocrConfidence?: number;
  ocrSource?: FieldSource;
  correctedAt?: Date;
  correctedBy?: string;
}

/** A person's value for a field, kept apart from the run's output so reprocessing keeps it. */
export interface Correction {
  value: CorrectedValue;
  correctedAt: Date;
  correctedBy: string;
}

export type StoredFields = Record<string, StoredField>;
export type Corrections = Partial<Record<InvoiceFieldName, Correction>>;

/** A field as read (OCR or e-invoice), without any correction. */
function asRead(field: StoredField): StoredField {
  if (field.source !== FieldSource.Review) {
    return { ...field, source: field.source ?? FieldSource.Ocr };
  }
  if (field.ocrValue === null || field.ocrValue === undefined) {
    return field;
  }
  return {
    value: field.ocrValue,
    confidence: field.ocrConfidence ?? 0,
    ...(field.boundingBox && { boundingBox: field.boundingBox }),
    source: field.ocrSource ?? FieldSource.Ocr,
  };
}

/** `correction` over the field as read (which may be missing: the page did not print it). */
export function correctedField(read: StoredField | undefined, correction: Correction): StoredField {
  const known = restoredField(read);
  return {
    value: correction.value,
    confidence: 1,
    ...(known?.boundingBox && { boundingBox: known.boundingBox }),
    source: FieldSource.Review,
    ocrValue: known ? known.value : null,
    ...(known && { ocrConfidence: known.confidence, ocrSource: known.source }),
    correctedAt: correction.correctedAt,
    correctedBy: correction.correctedBy,
  };
}

/** The field as read again once its correction is removed; undefined when nothing was read. */
export function restoredField(field: StoredField | undefined): StoredField | undefined {
  if (!field) {
    return undefined;
  }
  const read = asRead(field);
  return read.source === FieldSource.Review ? undefined : read;
}

/**
 * A run's fields with the page's corrections laid over them: the corrected values win and
 * `ocrValue` is what this run read. Fields a run did not set are marked `source: "ocr"`.
 */
export function withCorrections(
  read: StoredFields,
  corrections: Corrections | undefined,
): StoredFields {
  const fields: StoredFields = {};
  for (const [name, field] of Object.entries(read)) {
    fields[name] = asRead(field);
  }
  for (const [name, correction] of Object.entries(corrections ?? {})) {
    if (correction) {
      fields[name] = correctedField(fields[name], correction);
    }
  }
  return fields;
}

/**
 * The line amounts a `lineAmountsSumToSubtotal` check summed, read back from its detail
 * (`a + b + … = sum[ ≠ expected]`): the line items themselves are not corrected.
 */
function lineAmountsOf(checks: readonly ExtractionCheck[] | undefined): number[] | undefined {
  const check = checks?.find((candidate) => candidate.name === 'lineAmountsSumToSubtotal');
  if (!check) {
    return undefined;
  }
  const addends = check.detail.split(' = ', 1)[0].split(' + ').map(Number);
  return addends.every(Number.isFinite) ? addends : undefined;
}

/** The extraction checks run again on `fields` (corrected values included). */
export function recheck(
  fields: StoredFields,
  previous: readonly ExtractionCheck[] | undefined,
): ExtractionCheck[] {
  return runConsistencyChecks(fields, lineAmountsOf(previous));
}
