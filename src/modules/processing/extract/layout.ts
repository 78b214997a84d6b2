import type { Box, RecognizedPage, RecognizedWord } from '../processing.types.js';
import { centerY, meanConfidence, median, onSameRow, right, unionBox } from './geometry.js';

/**
 * A run of words on one text line with no wide gap inside: one "cell" of the page layout.
 * OCR engines often join a left column ("Acme Ltd") and a right column ("Invoice No: 42") that
 * share a baseline into one line; segments keep them apart so label rules never read across.
 */
export interface TextSegment {
  words: RecognizedWord[];
  /** The words joined by single spaces. */
  text: string;
  /** Character offset of each word in `text`, parallel to `words`. */
  wordStarts: number[];
  box: Box;
  confidence: number;
}

/** Words wider apart than this many median word heights start a new segment. */
export const SEGMENT_GAP_FACTOR = 3;

/** Every non-blank word of the page, in block/line order. */
export function pageWords(page: RecognizedPage): RecognizedWord[] {
  return page.blocks.flatMap((block) =>
    block.lines.flatMap((line) => line.words.filter((word) => word.text.trim() !== '')),
  );
}

/** The median word height, the page's natural length unit (font size independent of DPI). */
export function medianWordHeight(words: readonly RecognizedWord[]): number {
  return median(words.map((word) => word.box.height)) ?? 0;
}

/** A segment of `words` (which must be non-empty and in left-to-right order). */
export function makeSegment(words: readonly RecognizedWord[]): TextSegment {
  const wordStarts: number[] = [];
  let offset = 0;
  for (const word of words) {
    wordStarts.push(offset);
    offset += word.text.length + 1;
  }
  return {
    words: [...words],
    text: words.map((word) => word.text).join(' '),
    wordStarts,
    box: unionBox(words.map((word) => word.box)) as Box,
    confidence: meanConfidence(words),
  };
}

/** Splits left-to-right `words` wherever the horizontal gap exceeds `maxGap`. */
function splitAtGaps(words: readonly RecognizedWord[], maxGap: number): RecognizedWord[][] {
  const runs: RecognizedWord[][] = [];
  let current: RecognizedWord[] = [];
  for (const word of words) {
    const previous = current.at(-1);
    if (previous !== undefined && word.box.x - right(previous.box) > maxGap) {
      runs.push(current);
      current = [];
    }
    current.push(word);
  }
  if (current.length > 0) {
    runs.push(current);
  }
  return runs;
}

/**
 * Sorts segments into reading order: rows top to bottom, then left to right within a row.
 * Rows are formed by vertical overlap, not by exact y, because words on one visual line
 * rarely share the same top coordinate.
 */
export function readingOrder<T extends { box: Box }>(items: readonly T[]): T[] {
  const byTop = [...items].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
  const rows: T[][] = [];
  for (const item of byTop) {
    const row = rows.at(-1);
    if (row !== undefined && onSameRow(row[0].box, item.box)) {
      row.push(item);
    } else {
      rows.push([item]);
    }
  }
  return rows.flatMap((row) => row.sort((a, b) => a.box.x - b.box.x));
}

/** The page's lines as gap-separated segments, in reading order. */
export function toSegments(page: RecognizedPage): TextSegment[] {
  const maxGap = SEGMENT_GAP_FACTOR * medianWordHeight(pageWords(page));
  const segments = page.blocks.flatMap((block) =>
    block.lines.flatMap((line) => {
      const words = line.words
        .filter((word) => word.text.trim() !== '')
        .sort((a, b) => a.box.x - b.box.x);
      return splitAtGaps(words, maxGap).map(makeSegment);
    }),
  );
  return readingOrder(segments);
}

/** The words of `segment` that overlap the character span [start, end). */
export function wordsInSpan(segment: TextSegment, start: number, end: number): RecognizedWord[] {
  return segment.words.filter((word, index) => {
    const wordStart = segment.wordStarts[index];
    return wordStart < end && wordStart + word.text.length > start;
  });
}

/**
 * Groups words into visual rows by their vertical centres, ignoring how the OCR engine split
 * lines and blocks (table cells often come back as separate blocks). A word joins the current
 * row when its centre is within half a median word height of the row's mean centre.
 */
export function groupRows(words: readonly RecognizedWord[]): RecognizedWord[][] {
  const tolerance = medianWordHeight(words) / 2;
  const sorted = [...words].sort((a, b) => centerY(a.box) - centerY(b.box));
  const rows: { words: RecognizedWord[]; centerSum: number }[] = [];
  for (const word of sorted) {
    const row = rows.at(-1);
    const center = centerY(word.box);
    if (row !== undefined && Math.abs(center - row.centerSum / row.words.length) <= tolerance) {
      row.words.push(word);
      row.centerSum += center;
    } else {
      rows.push({ words: [word], centerSum: center });
    }
  }
  return rows.map((row) => row.words.sort((a, b) => a.box.x - b.box.x));
}
