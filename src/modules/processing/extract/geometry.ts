import type { Box, RecognizedPage, RecognizedWord } from '../processing.types.js';

/** The median of `values`, or undefined for an empty list. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) {
    return undefined;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The smallest box containing every box; undefined for an empty list. */
export function unionBox(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) {
    return undefined;
  }
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * Rounds a confidence to 4 decimals. Means of binary fractions (0.9 + 0.8) / 2 come out as
 * 0.8500000000000001; rounding keeps stored values and test expectations exact.
 */
export function roundConfidence(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The mean confidence of `words` (0 for none: no evidence means no confidence). */
export function meanConfidence(words: readonly RecognizedWord[]): number {
  if (words.length === 0) {
    return 0;
  }
  const sum = words.reduce((total, word) => total + word.confidence, 0);
  return roundConfidence(sum / words.length);
}

export const right = (box: Box): number => box.x + box.width;
export const bottom = (box: Box): number => box.y + box.height;
export const centerX = (box: Box): number => box.x + box.width / 2;
export const centerY = (box: Box): number => box.y + box.height / 2;

/** Length of the overlap of two intervals (0 when they are disjoint). */
export function overlap(start1: number, end1: number, start2: number, end2: number): number {
  return Math.max(0, Math.min(end1, end2) - Math.max(start1, start2));
}

/** Whether two boxes share some horizontal extent (they sit in the same column). */
export function overlapsHorizontally(a: Box, b: Box): boolean {
  return overlap(a.x, right(a), b.x, right(b)) > 0;
}

/**
 * Whether two boxes sit on the same text row: their vertical overlap is at least half of the
 * smaller height, so neighbouring rows (which touch or overlap slightly) are kept apart.
 */
export function onSameRow(a: Box, b: Box): boolean {
  const shared = overlap(a.y, bottom(a), b.y, bottom(b));
  return shared >= Math.min(a.height, b.height) / 2;
}

/** Horizontal distance from `x` to the interval [start, end] (0 inside it). */
export function distanceToInterval(x: number, start: number, end: number): number {
  if (x < start) {
    return start - x;
  }
  return x > end ? x - end : 0;
}

/** The page with every block's, line's and word's box passed through `map`. */
export function mapPageBoxes(page: RecognizedPage, map: (box: Box) => Box): RecognizedPage {
  const mapped = <T extends { box: Box }>(item: T): T => ({ ...item, box: map(item.box) });
  return {
    ...page,
    blocks: page.blocks.map((block) => ({
      ...mapped(block),
      lines: block.lines.map((line) => ({ ...mapped(line), words: line.words.map(mapped) })),
    })),
  };
}
