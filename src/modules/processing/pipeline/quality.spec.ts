import { qualityScore } from './quality.js';

describe('qualityScore', () => {
  it('is 1 for perfect inputs', () => {
    expect(qualityScore({ ocrConfidence: 1, dpi: 300, contrast: 64, sharpness: 1000 })).toBe(1);
  });

  it('is 0 for zeros', () => {
    expect(qualityScore({ ocrConfidence: 0, dpi: 0, contrast: 0, sharpness: 0 })).toBe(0);
  });

  it('weighs confidence 0.6, resolution 0.2, contrast 0.1 and sharpness 0.1', () => {
    // 0.6 × 0.9 + 0.2 × (150 / 300) + 0.1 × (32 / 64) + 0.1 × (500 / 1000)
    expect(qualityScore({ ocrConfidence: 0.9, dpi: 150, contrast: 32, sharpness: 500 })).toBe(0.74);
  });

  it.each([
    [{ ocrConfidence: 1, dpi: 0, contrast: 0, sharpness: 0 }, 0.6],
    [{ ocrConfidence: 0, dpi: 300, contrast: 0, sharpness: 0 }, 0.2],
    [{ ocrConfidence: 0, dpi: 0, contrast: 64, sharpness: 0 }, 0.1],
    [{ ocrConfidence: 0, dpi: 0, contrast: 0, sharpness: 1000 }, 0.1],
  ])('gives each term its weight alone: %o → %d', (input, expected) => {
    expect(qualityScore(input)).toBe(expected);
  });

  it('caps each term at full marks', () => {
    expect(qualityScore({ ocrConfidence: 1.5, dpi: 600, contrast: 128, sharpness: 5000 })).toBe(1);
    // A born-digital PDF page: infinite contrast and sharpness count as full marks.
    expect(
      qualityScore({
        ocrConfidence: 1,
        dpi: 300,
        contrast: Number.POSITIVE_INFINITY,
        sharpness: Number.POSITIVE_INFINITY,
      }),
    ).toBe(1);
  });

  it('never goes below 0 for negative inputs', () => {
    expect(qualityScore({ ocrConfidence: -1, dpi: -300, contrast: -5, sharpness: -1 })).toBe(0);
  });

  it('rounds to 3 decimals', () => {
    // 0.6 × 0.8 + 0.2 × (200 / 300) + 0.1 × (10 / 64) + 0.1 × (123 / 1000) = 0.6412…
    expect(qualityScore({ ocrConfidence: 0.8, dpi: 200, contrast: 10, sharpness: 123 })).toBe(
      0.641,
    );
  });
});
