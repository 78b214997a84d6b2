/**
 * Builders for RecognizedPage fixtures, so specs describe page layouts literally:
 *
 *   page(
 *     line(40, [['ACME', 50, 60], ['INVOICE', 600, 110]]),
 *     line(80, phrase(600, 'Invoice No: INV-001')),
 *   )
 *
 * Test support only; kept out of `*.spec.ts` so several specs can import it.
 */
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import type { RecognizedLine, RecognizedPage, RecognizedWord } from '../processing.types.js';
import { meanConfidence, unionBox } from './geometry.js';

/** `[text, x, width, confidence?]`: one word on a line. */
export type WordSpec = readonly [text: string, x: number, width: number, confidence?: number];

/** Every fixture word is this tall; gaps above 3 × 20 px split a line into segments. */
export const WORD_HEIGHT = 20;
export const DEFAULT_CONFIDENCE = 0.9;
/** `phrase` lays words out at this many pixels per character, one character apart. */
export const CHAR_WIDTH = 10;

/** A word with its box. */
export function word(
  text: string,
  x: number,
  y: number,
  width: number,
  confidence = DEFAULT_CONFIDENCE,
): RecognizedWord {
  return { text, confidence, box: { x, y, width, height: WORD_HEIGHT } };
}

/** A line at `y` made of the given words. */
export function line(y: number, words: readonly WordSpec[]): RecognizedLine {
  const built = words.map(([text, x, width, confidence]) => word(text, x, y, width, confidence));
  return {
    text: built.map((w) => w.text).join(' '),
    confidence: meanConfidence(built),
    box: unionBox(built.map((w) => w.box)) ?? { x: 0, y, width: 0, height: WORD_HEIGHT },
    words: built,
  };
}

/**
 * The words of `text` starting at `x`, each CHAR_WIDTH px per character and separated by one
 * character width, as a proportional font would roughly set them.
 */
export function phrase(x: number, text: string, confidence?: number): WordSpec[] {
  const specs: WordSpec[] = [];
  let left = x;
  for (const token of text.split(' ').filter((t) => t !== '')) {
    const width = token.length * CHAR_WIDTH;
    specs.push(confidence === undefined ? [token, left, width] : [token, left, width, confidence]);
    left += width + CHAR_WIDTH;
  }
  return specs;
}

/** A page holding `lines` in one text block. */
export function page(...lines: RecognizedLine[]): RecognizedPage {
  const words = lines.flatMap((l) => l.words);
  const text = lines.map((l) => l.text).join('\n');
  return {
    text,
    confidence: meanConfidence(words),
    blocks: [
      {
        text,
        confidence: meanConfidence(words),
        box: unionBox(lines.map((l) => l.box)) ?? { x: 0, y: 0, width: 0, height: 0 },
        blockType: BlockType.Text,
        lines,
      },
    ],
  };
}
