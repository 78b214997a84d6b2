import { FieldSource } from '../ocr-page.enums.js';
import { correctedField, recheck, restoredField, withCorrections } from './corrections.js';

const at = new Date('2026-03-02T10:00:00Z');
const box = { x: 1, y: 2, width: 3, height: 4 };

describe('corrections', () => {
  it('a corrected field keeps what was read, and restoring gives it back exactly', () => {
    const read = { value: 130, confidence: 0.45, boundingBox: box, source: FieldSource.Ocr };
    const corrected = correctedField(read, { value: 120, correctedAt: at, correctedBy: 'alice' });
    expect(corrected).toEqual({
      value: 120,
      confidence: 1,
      boundingBox: box,
      source: FieldSource.Review,
      ocrValue: 130,
      ocrConfidence: 0.45,
      ocrSource: FieldSource.Ocr,
      correctedAt: at,
      correctedBy: 'alice',
    });
    expect(restoredField(corrected)).toEqual(read);
    // Corrected twice: what was read is still the OCR value, not the first correction.
    const again = correctedField(corrected, { value: 125, correctedAt: at, correctedBy: 'bob' });
    expect(again).toMatchObject({ value: 125, ocrValue: 130, correctedBy: 'bob' });
    expect(restoredField(again)).toEqual(read);
  });

  it('a field the page did not yield has ocrValue null and restores to nothing', () => {
    const corrected = correctedField(undefined, {
      value: 'PO-1',
      correctedAt: at,
      correctedBy: 'a',
    });
    expect(corrected.ocrValue).toBeNull();
    expect(restoredField(corrected)).toBeUndefined();
  });

  it('a new reading keeps the corrections and updates ocrValue only; other fields are "ocr"', () => {
    const fields = withCorrections(
      {
        totalAmount: { value: 131, confidence: 0.5 },
        vendorName: { value: 'ACME', confidence: 0.9 },
      },
      { totalAmount: { value: 120, correctedAt: at, correctedBy: 'alice' } },
    );
    expect(fields.totalAmount).toMatchObject({ value: 120, source: 'review', ocrValue: 131 });
    expect(fields.vendorName).toEqual({ value: 'ACME', confidence: 0.9, source: 'ocr' });
    // An e-invoice value keeps its source.
    const einvoice = withCorrections(
      { currency: { value: 'EUR', confidence: 1, source: FieldSource.EInvoice } },
      {},
    );
    expect(einvoice.currency.source).toBe('e-invoice');
  });

  it('re-runs the checks on corrected values, the line amounts read back from the last run', () => {
    const previous = [
      {
        name: 'lineAmountsSumToSubtotal',
        passed: false,
        detail: '40.00 + 60.50 = 100.50 ≠ 90.00',
        fields: ['subtotal'],
      },
    ];
    const checks = recheck(
      {
        subtotal: { value: 100.5, confidence: 1 },
        taxAmount: { value: 19.1, confidence: 0.9 },
        totalAmount: { value: 119.6, confidence: 0.9 },
      },
      previous,
    );
    expect(checks).toEqual([
      {
        name: 'subtotalPlusTaxEqualsTotal',
        passed: true,
        detail: '100.50 + 19.10 = 119.60',
        fields: [],
      },
      {
        name: 'lineAmountsSumToSubtotal',
        passed: true,
        detail: '40.00 + 60.50 = 100.50',
        fields: [],
      },
    ]);
  });
});
