import type { QuarterTurn } from '../preprocess/prepare-for-ocr.js';
import {
  horizontalLineRatio,
  otsuThreshold,
  type GrayImage,
} from '../preprocess/image-analysis.js';
import type { RecognizedPage } from '../processing.types.js';

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

/** Whether a reading is good enough to take without trying the page the other way up. */
export function isConfidentReading(page: RecognizedPage): boolean {
  const reading = readabilityScore(page);
  return reading.mean >= CONFIDENT_MEAN && reading.words >= CONFIDENT_WORDS;
}

/**
 * The quarter-turn to read the page at first, from the text lines of its analysis copy (see
 * analysisCopy; no OCR): 0 when lines
 * run across the page, 90 when they run down it. Whether that reading is upside down is settled
 * by the reading itself (see PagePipeline): upside-down text reads badly, and the page is then
 * read once more turned half way round. Tesseract's OSD is not used (legacy engine only).
 */
export function firstTurn(copy: GrayImage): QuarterTurn {
  return horizontalLineRatio(copy, otsuThreshold(copy)) < 1 ? 90 : 0;
}
