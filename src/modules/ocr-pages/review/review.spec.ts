import { ReviewStatus } from '../ocr-page.enums.js';
import type { StoredFields } from './corrections.js';
import { reviewOf } from './review.js';

const thresholds = { confidence: 0.8, quality: 0.6 };
const sure = (value: string | number) => ({ value, confidence: 0.95 });
const FIELDS: StoredFields = {
  invoiceNumber: sure('INV-1'),
  invoiceDate: sure('2026-03-01'),
  vendorName: sure('ACME'),
  totalAmount: sure(120),
  currency: sure('EUR'),
};
const passed = { name: 'subtotalPlusTaxEqualsTotal', passed: true, detail: '' };

describe('reviewOf', () => {
  it('needs no review when every key field is sure, every check passed and quality is good', () => {
    expect(reviewOf(FIELDS, [passed], 0.9, thresholds)).toEqual({
      status: ReviewStatus.NotNeeded,
      reasons: [],
    });
  });

  it('names each key field below the threshold or missing, each failed check, and low quality', () => {
    const fields: StoredFields = { ...FIELDS, totalAmount: { value: 120, confidence: 0.79 } };
    delete fields.currency;
    const checks = [
      { name: 'subtotalPlusTaxEqualsTotal', passed: false, detail: '' },
      { name: 'dueDateNotBeforeInvoiceDate', passed: false, detail: '' },
      { name: 'lineAmountsSumToSubtotal', passed: true, detail: '' },
    ];
    expect(reviewOf(fields, checks, 0.59, thresholds)).toEqual({
      status: ReviewStatus.Needed,
      reasons: [
        'lowConfidence:totalAmount',
        'missingField:currency',
        'failedCheck:total',
        'failedCheck:dueDate',
        'lowQuality',
      ],
    });
  });

  it('takes the thresholds as bounds: exactly at the threshold is fine', () => {
    const fields = { ...FIELDS, totalAmount: { value: 1, confidence: 0.8 } };
    expect(reviewOf(fields, [], 0.6, thresholds).status).toBe(ReviewStatus.NotNeeded);
  });

  it('ignores fields that are not key fields, and a corrected key field is sure', () => {
    const fields = {
      ...FIELDS,
      purchaseOrder: { value: 'PO', confidence: 0.1 },
      totalAmount: { value: 1, confidence: 1, source: undefined },
    };
    expect(reviewOf(fields, [], 0.9, thresholds).reasons).toEqual([]);
  });
});
