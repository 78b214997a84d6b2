import { turnQuarter, type QuarterTurn } from '../preprocess/prepare-for-ocr.js';
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
 * An ascender share at or above this says the text is upright, at or below UPSIDE_DOWN_AT that it
 * is upside down (on the benchmark corpus, upright pages measure 0.54–0.80 and upside-down ones
 * 0.22–0.44); in between the reading decides (see PagePipeline).
 */
const UPRIGHT_FROM = 0.52;
const UPSIDE_DOWN_AT = 0.47;

/** How to turn a page before it is read, from its analysis copy (see analysisCopy; no OCR). */
export interface Orientation {
  turn: QuarterTurn;
  /**
   * Whether the line profiles settle which way up the text is: when they do not, the page is
   * read once more turned half way round if the first reading is not confidently readable.
   */
  settled: boolean;
}

/**
 * The turn that makes the page upright: a quarter turn when its text lines run down the page
 * (line profiles across and down it), then a half turn more when the ascenders point down (see
 * ascenderShare). Tesseract's OSD is not used (legacy engine only).
 */
export async function orientationOf(copy: GrayImage): Promise<Orientation> {
  const quarter: QuarterTurn = horizontalLineRatio(copy, otsuThreshold(copy)) < 1 ? 90 : 0;
  const turned = quarter === 0 ? copy : await turnQuarter(copy, quarter);
  const share = ascenderShare(turned, otsuThreshold(turned));
  if (share !== undefined && share <= UPSIDE_DOWN_AT) {
    return { turn: quarter === 0 ? 180 : 270, settled: true };
  }
  return { turn: quarter, settled: share !== undefined && share >= UPRIGHT_FROM };
}

/** Width of the vertical strips the line profiles are taken in (skew smears wider ones). */
const STRIP_WIDTH = 48;

/**
 * How much of the ink beside the text lines' core (x-height) band lies above it rather than
 * below, in [0, 1], or undefined when the page shows too little of either. Latin text has far
 * more ascenders (capitals, digits, b d f h k l t) than descenders (g j p q y): upright text gives
 * well above one half, text upside down well below. Measured on the line profiles of narrow
 * vertical strips, so that a slightly skewed page still shows sharp lines.
 */
export function ascenderShare(copy: GrayImage, threshold: number): number | undefined {
  const { data, width, height } = copy;
  const profile = new Float64Array(height);
  let above = 0;
  let below = 0;
  for (let left = 0; left + STRIP_WIDTH <= width; left += STRIP_WIDTH) {
    for (let y = 0; y < height; y++) {
      let ink = 0;
      const row = y * width + left;
      for (let x = 0; x < STRIP_WIDTH; x++) {
        if (data[row + x] <= threshold) {
          ink++;
        }
      }
      profile[y] = ink;
    }
    // Each run of inked rows is a text line (or a rule, a box edge, a picture).
    for (let y = 0; y < height;) {
      if (profile[y] === 0) {
        y++;
        continue;
      }
      const top = y;
      let peak = 0;
      while (y < height && profile[y] > 0) {
        peak = Math.max(peak, profile[y]);
        y++;
      }
      const bottom = y; // exclusive
      const lineHeight = bottom - top;
      if (lineHeight < 6 || lineHeight > 60) {
        continue;
      }
      // The core band: the rows where the line's ink is densest.
      let coreTop = top;
      while (profile[coreTop] < peak * 0.4) {
        coreTop++;
      }
      let coreBottom = bottom - 1;
      while (profile[coreBottom] < peak * 0.4) {
        coreBottom--;
      }
      for (let r = top; r < coreTop; r++) {
        above += profile[r];
      }
      for (let r = coreBottom + 1; r < bottom; r++) {
        below += profile[r];
      }
    }
  }
  return above + below < 200 ? undefined : above / (above + below);
}
