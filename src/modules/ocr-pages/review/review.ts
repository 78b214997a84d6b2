import { ReviewStatus } from '../ocr-page.enums.js';
import type { ExtractionCheck } from '../schemas/ocr-page.schema.js';
import type { StoredFields } from './corrections.js';

/**
 * The fields every invoice has and an accounting import cannot do without. A page missing one,
 * or reading one below REVIEW_CONFIDENCE_THRESHOLD, needs a person.
 */
export const REVIEW_KEY_FIELDS = [
  'invoiceNumber',
  'invoiceDate',
  'vendorName',
  'totalAmount',
  'currency',
] as const;

export interface ReviewThresholds {
  /** Key fields read with a lower confidence need review. */
  confidence: number;
  /** Pages with a lower qualityScore need review. */
  quality: number;
}

export interface ReviewOutcome {
  status: ReviewStatus.Needed | ReviewStatus.NotNeeded;
  /** `missingField:<name>`, `lowConfidence:<name>`, `failedCheck:<check>`, `lowQuality`. */
  reasons: string[];
}

/** Short names of the checks, as review reasons give them. */
const CHECK_REASON: Record<string, string> = {
  subtotalPlusTaxEqualsTotal: 'total',
  lineAmountsSumToSubtotal: 'subtotal',
  dueDateNotBeforeInvoiceDate: 'dueDate',
};

/** Whether a processed page needs review, and why. */
export function reviewOf(
  fields: StoredFields,
  checks: readonly ExtractionCheck[],
  qualityScore: number | undefined,
  thresholds: ReviewThresholds,
): ReviewOutcome {
  const reasons: string[] = [];
  for (const name of REVIEW_KEY_FIELDS) {
    const field = fields[name];
    if (!field) {
      reasons.push(`missingField:${name}`);
    } else if (field.confidence < thresholds.confidence) {
      reasons.push(`lowConfidence:${name}`);
    }
  }
  for (const check of checks.filter((candidate) => !candidate.passed)) {
    reasons.push(`failedCheck:${CHECK_REASON[check.name] ?? check.name}`);
  }
  if (qualityScore !== undefined && qualityScore < thresholds.quality) {
    reasons.push('lowQuality');
  }
  return { status: reasons.length > 0 ? ReviewStatus.Needed : ReviewStatus.NotNeeded, reasons };
}
