import type { ConsistencyCheck, ExtractedFields } from '../processing.types.js';

/** The fields every invoice has; one missing is a sign the page was not read well. */
const KEY_FIELDS = [
  'invoiceNumber',
  'invoiceDate',
  'vendorName',
  'totalAmount',
  'currency',
] as const;

/**
 * The page's qualityScore in [0, 1]: how likely its extracted data is right. It combines what
 * the image and the OCR say with what extraction found out:
 *
 *   0.20 × OCR confidence    (mean word confidence)
 * + 0.10 × image            (mean of resolution min(1, dpi / 300), contrast min(1, grey-level
 *                             standard deviation / 64), sharpness min(1, variance of the
 *                             Laplacian / 1000))
 * + 0.25 × key fields found (share of invoiceNumber, invoiceDate, vendorName, totalAmount,
 *                             currency that were extracted)
 * + 0.25 × field confidence (mean confidence of the extracted fields, 0 when none)
 * + 0.20 × checks           (1 when subtotal + tax = total held, 0.5 when it could not be run,
 *                             0 when it failed; every other failed check takes off 0.5 more)
 *
 * A born-digital PDF page (text layer, nothing scanned) has OCR confidence 1 and full marks for
 * the image terms, so its score is decided by the extraction terms.
 */
export function qualityScore(input: {
  ocrConfidence: number;
  dpi: number;
  contrast: number;
  sharpness: number;
  fields: ExtractedFields;
  checks: readonly ConsistencyCheck[];
}): number {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const image =
    (clamp(input.dpi / 300) + clamp(input.contrast / 64) + clamp(input.sharpness / 1000)) / 3;
  const found = KEY_FIELDS.filter((name) => input.fields[name] !== undefined).length;
  const confidences = Object.values(input.fields).map((field) => field.confidence);
  const meanConfidence =
    confidences.length === 0 ? 0 : confidences.reduce((a, b) => a + b, 0) / confidences.length;
  const sum = input.checks.find((check) => check.name === 'subtotalPlusTaxEqualsTotal');
  const otherFailures = input.checks.filter(
    (check) => check.name !== 'subtotalPlusTaxEqualsTotal' && !check.passed,
  ).length;
  const checks = clamp((sum === undefined ? 0.5 : sum.passed ? 1 : 0) - 0.5 * otherFailures);
  const score =
    0.2 * clamp(input.ocrConfidence) +
    0.1 * image +
    0.25 * (found / KEY_FIELDS.length) +
    0.25 * clamp(meanConfidence) +
    0.2 * checks;
  return Math.round(score * 1000) / 1000;
}
