import type { ConsistencyCheck, ExtractedFields } from '../processing.types.js';
import { qualityScore } from './quality.js';

const PERFECT_IMAGE = { ocrConfidence: 1, dpi: 300, contrast: 64, sharpness: 1000 };
const ALL_KEY_FIELDS: ExtractedFields = {
  invoiceNumber: { value: 'INV-1', confidence: 1 },
  invoiceDate: { value: '2024-03-15', confidence: 1 },
  vendorName: { value: 'Acme Ltd', confidence: 1 },
  totalAmount: { value: 120, confidence: 1 },
  currency: { value: 'EUR', confidence: 1 },
};
const sumCheck = (passed: boolean): ConsistencyCheck => ({
  name: 'subtotalPlusTaxEqualsTotal',
  passed,
  detail: '',
  fields: [],
});

describe('qualityScore', () => {
  it('is 1 for a clean page whose key fields were all found, confident and checked', () => {
    expect(
      qualityScore({ ...PERFECT_IMAGE, fields: ALL_KEY_FIELDS, checks: [sumCheck(true)] }),
    ).toBe(1);
  });

  it('is 0 for an unreadable page where nothing was found', () => {
    const zero = { ocrConfidence: 0, dpi: 0, contrast: 0, sharpness: 0 };
    expect(qualityScore({ ...zero, fields: {}, checks: [sumCheck(false)] })).toBe(0);
  });

  it('weighs OCR 0.2, image 0.1, key fields 0.25, field confidence 0.25 and checks 0.2', () => {
    // 0.2 × 0.9 + 0.1 × (0.5 + 0.5 + 0.5) / 3 + 0.25 × 2/5 + 0.25 × 0.7 + 0.2 × 0.5 (not run)
    const fields: ExtractedFields = {
      invoiceNumber: { value: 'INV-1', confidence: 0.8 },
      totalAmount: { value: 120, confidence: 0.6 },
    };
    expect(
      qualityScore({
        ocrConfidence: 0.9,
        dpi: 150,
        contrast: 32,
        sharpness: 500,
        fields,
        checks: [],
      }),
    ).toBe(0.605);
  });

  it('scores a page whose sum check failed below the same page whose check held', () => {
    const failed = qualityScore({
      ...PERFECT_IMAGE,
      fields: ALL_KEY_FIELDS,
      checks: [sumCheck(false)],
    });
    const held = qualityScore({
      ...PERFECT_IMAGE,
      fields: ALL_KEY_FIELDS,
      checks: [sumCheck(true)],
    });
    expect(held - failed).toBeCloseTo(0.2, 5);
  });

  it('takes 0.25 × 1/5 off for each missing key field, whatever the OCR confidence says', () => {
    const four: ExtractedFields = { ...ALL_KEY_FIELDS };
    delete four.currency;
    expect(qualityScore({ ...PERFECT_IMAGE, fields: four, checks: [sumCheck(true)] })).toBe(0.95);
  });

  it('gives a born-digital page (infinite contrast and sharpness) full image marks', () => {
    expect(
      qualityScore({
        ocrConfidence: 1,
        dpi: 300,
        contrast: Number.POSITIVE_INFINITY,
        sharpness: Number.POSITIVE_INFINITY,
        fields: ALL_KEY_FIELDS,
        checks: [sumCheck(true)],
      }),
    ).toBe(1);
  });
});
