import type { Box, RecognizedPage, RecognizedWord } from '../processing.types.js';
import {
  bottom,
  centerY,
  meanConfidence,
  median,
  onSameRow,
  overlap,
  right,
  unionBox,
} from './geometry.js';

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

/**
 * The page's visual rows, top to bottom, each one's words left to right, whatever lines and
 * blocks the OCR engine (or the PDF's text runs) grouped them into. A word joins the row whose
 * vertical band it shares most, if it shares at least half of the smaller height: a large title
 * and a small name on one baseline are one row, while neighbouring body lines stay apart. Side by
 * side columns are read line by line across the page; a table row is one row, its cells left to
 * right.
 */
export function visualRows(words: readonly RecognizedWord[]): RecognizedWord[][] {
  const rows: { words: RecognizedWord[]; top: number; bottom: number }[] = [];
  const sorted = [...words].sort((a, b) => centerY(a.box) - centerY(b.box) || a.box.x - b.box.x);
  for (const word of sorted) {
    let best: (typeof rows)[number] | undefined;
    let bestShare = 0;
    // Only the last few rows can still overlap a word further down the page.
    for (const row of rows.slice(-4)) {
      const shared = overlap(row.top, row.bottom, word.box.y, bottom(word.box));
      const rowHeight = median(row.words.map((w) => w.box.height)) ?? 0;
      const share = shared / Math.max(1, Math.min(rowHeight, word.box.height));
      if (share >= 0.5 && share > bestShare) {
        best = row;
        bestShare = share;
      }
    }
    if (best === undefined) {
      rows.push({ words: [word], top: word.box.y, bottom: bottom(word.box) });
    } else {
      best.words.push(word);
      // The band is the row's typical word, so one tall word does not swallow the next line.
      best.top = median(best.words.map((w) => w.box.y)) ?? best.top;
      best.bottom = median(best.words.map((w) => bottom(w.box))) ?? best.bottom;
    }
  }
  return rows
    .sort((a, b) => a.top + a.bottom - (b.top + b.bottom))
    .map((row) => row.words.sort((a, b) => a.box.x - b.box.x));
}

/**
 * The page's text in reading order: one line per visual row, its words joined by single spaces.
 * Built from word geometry alone, so OCR output and a PDF's text layer read the same way.
 */
export function readingOrderText(page: RecognizedPage): string {
  return visualRows(pageWords(page))
    .map((row) => row.map((word) => word.text).join(' '))
    .join('\n');
}

/** The page's visual rows as gap-separated segments, in reading order. */
export function toSegments(page: RecognizedPage): TextSegment[] {
  const words = pageWords(page);
  const maxGap = SEGMENT_GAP_FACTOR * medianWordHeight(words);
  return visualRows(words).flatMap((row) => splitAtGaps(row, maxGap).map(makeSegment));
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
