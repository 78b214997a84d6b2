/**
 * The page's qualityScore in [0, 1]:
 *
 *   0.6 × OCR confidence  (mean word confidence)
 * + 0.2 × resolution      (min(1, dpi / 300): OCR reads best at 300 DPI)
 * + 0.1 × contrast        (min(1, grey-level standard deviation / 64))
 * + 0.1 × sharpness       (min(1, variance of the Laplacian / 1000), on a 1200-px-wide copy)
 *
 * A born-digital PDF page (text layer, nothing scanned) scores by its text confidence (1) with
 * full marks for the image terms.
 */
export function qualityScore(input: {
  ocrConfidence: number;
  dpi: number;
  contrast: number;
  sharpness: number;
}): number {
  const clamp = (value: number): number => Math.min(1, Math.max(0, value));
  const score =
    0.6 * clamp(input.ocrConfidence) +
    0.2 * clamp(input.dpi / 300) +
    0.1 * clamp(input.contrast / 64) +
    0.1 * clamp(input.sharpness / 1000);
  return Math.round(score * 1000) / 1000;
}
