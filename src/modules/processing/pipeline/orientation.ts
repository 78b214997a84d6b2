import sharp from 'sharp';
import type { OcrEngine } from '../recognize/ocr-engine.js';
import { analysisCopy, type QuarterTurn } from '../preprocess/prepare-for-ocr.js';
import { horizontalLineRatio, otsuThreshold } from '../preprocess/image-analysis.js';
import type { RecognizedPage } from '../processing.types.js';

/** Width of the copy that candidate orientations are read on: small enough to be quick. */
const PROBE_WIDTH = 1400;
/** A first reading this good is taken without trying the opposite orientation. */
const CONFIDENT_MEAN = 0.8;
const CONFIDENT_WORDS = 15;

/** How readable an OCR result is: the confidence of the words that look like real words. */
export function readabilityScore(page: RecognizedPage): {
  score: number;
  words: number;
  mean: number;
} {
  const words = page.blocks
    .flatMap((block) => block.lines.flatMap((line) => line.words))
    .filter((word) => /[A-Za-z0-9]{3,}/.test(word.text) && word.confidence >= 0.6);
  const score = words.reduce((sum, word) => sum + word.confidence, 0);
  return { score, words: words.length, mean: words.length === 0 ? 0 : score / words.length };
}

/**
 * Which quarter-turn makes the page upright, without Tesseract's OSD (legacy engine only, and
 * often wrong): text lines decide between upright-or-upside-down and on-its-side, then reading a
 * downscaled copy both ways decides between the two (upside-down text reads badly). The upright
 * probe's reading comes back too: its words tell the page's language before the full reading.
 */
export async function detectOrientation(
  png: Buffer,
  size: { width: number; height: number; dpi: number },
  engine: OcrEngine,
): Promise<{ turn: QuarterTurn; probe: RecognizedPage }> {
  const copy = await analysisCopy(png);
  const sideways = horizontalLineRatio(copy, otsuThreshold(copy)) < 1;
  const candidates: [QuarterTurn, QuarterTurn] = sideways ? [90, 270] : [0, 180];
  const scores: number[] = [];
  const probes: RecognizedPage[] = [];
  // The probe's resolution, so that tesseract sizes its text right (PNG density metadata).
  const longSide = Math.max(size.width, size.height);
  const probeDpi = Math.round((size.dpi * Math.min(PROBE_WIDTH, longSide)) / longSide);
  for (const turn of candidates) {
    const probe = await sharp(png)
      .rotate(turn)
      .greyscale()
      .resize({ width: PROBE_WIDTH, withoutEnlargement: true })
      .normalise()
      .withDensity(probeDpi)
      .png()
      .toBuffer();
    const page = await engine.recognize(probe);
    const reading = readabilityScore(page);
    if (
      turn === candidates[0] &&
      reading.mean >= CONFIDENT_MEAN &&
      reading.words >= CONFIDENT_WORDS
    ) {
      return { turn, probe: page };
    }
    scores.push(reading.score);
    probes.push(page);
  }
  const second = scores[1] > scores[0];
  return { turn: second ? candidates[1] : candidates[0], probe: probes[second ? 1 : 0] };
}
