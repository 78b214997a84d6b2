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

/**
 * A "word" that is only marks a scan's dust and rules read as (`.`, `|`, `_,`, `'`, `°`): never
 * printed alone on an invoice, unlike `:` (French sets `Total :`), `·`, `-`, `&` or `€`.
 */
const DUST = /^[.,|¦_'‘’`´°*]+$/u;

/** Every word of the page that is text (not blank, not dust), in block/line order. */
export function pageWords(page: RecognizedPage): RecognizedWord[] {
  return page.blocks.flatMap((block) =>
    block.lines.flatMap((line) =>
      line.words.filter((word) => word.text.trim() !== '' && !DUST.test(word.text)),
    ),
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
 * A block of text: segments stacked under one another (an address, a column of labels, a table
 * column), or, once merged, side-by-side blocks whose lines share baselines (labels and their
 * values, the columns of a table), read as rows.
 */
interface TextBlock {
  segments: { segment: TextSegment; row: number }[];
  box: Box;
}

/** How far below a line the next line of its block may start, in median word heights. */
const BLOCK_LINE_GAP_FACTOR = 1.5;
/** Two lines share a baseline when their bottoms or centres are this close (of the smaller height). */
const SAME_LINE_FACTOR = 0.25;

/** Whether two segments sit on one printed line: their bottoms or their centres align. */
function sameLine(a: Box, b: Box): boolean {
  const tolerance = SAME_LINE_FACTOR * Math.min(a.height, b.height);
  return (
    Math.abs(bottom(a) - bottom(b)) <= tolerance || Math.abs(centerY(a) - centerY(b)) <= tolerance
  );
}

/**
 * Stacks segments (top to bottom) into blocks: a segment continues the block whose last line is
 * just above it (no more than BLOCK_LINE_GAP_FACTOR word heights) and shares some of its width.
 */
function stackBlocks(rows: readonly TextSegment[][], lineHeight: number): TextBlock[] {
  const blocks: TextBlock[] = [];
  rows.forEach((segments, row) => {
    for (const segment of segments) {
      let best: TextBlock | undefined;
      let bestGap = Infinity;
      for (const block of blocks) {
        const last = block.segments.at(-1)!.segment.box;
        const gap = segment.box.y - bottom(last);
        const below = centerY(segment.box) > bottom(last);
        const shared = overlap(last.x, right(last), segment.box.x, right(segment.box));
        if (
          below &&
          shared > 0 &&
          gap <= BLOCK_LINE_GAP_FACTOR * Math.max(lineHeight, last.height) &&
          gap < bestGap
        ) {
          best = block;
          bestGap = gap;
        }
      }
      if (best === undefined) {
        blocks.push({ segments: [{ segment, row }], box: segment.box });
      } else {
        best.segments.push({ segment, row });
        best.box = unionBox([best.box, segment.box]) as Box;
      }
    }
  });
  return blocks;
}

/** Share of the lines of the block with fewer lines that share a baseline with the other's. */
function alignedShare(a: TextBlock, b: TextBlock): number {
  const [fewer, more] = a.segments.length <= b.segments.length ? [a, b] : [b, a];
  const aligned = fewer.segments.filter(({ segment }) =>
    more.segments.some((other) => sameLine(segment.box, other.segment.box)),
  );
  return aligned.length / fewer.segments.length;
}

/** Whether two blocks stand side by side: they share some height and a gutter parts them. */
const sideBySide = (a: TextBlock, b: TextBlock): boolean =>
  overlap(a.box.y, bottom(a.box), b.box.y, bottom(b.box)) > 0 &&
  overlap(a.box.x, right(a.box), b.box.x, right(b.box)) <= 0;

/**
 * Side-by-side blocks count as one set of rows (labels and their values, the columns of a
 * table) when most lines of the one with fewer lines share a baseline with a line of the other;
 * a stray speck or a misread line does not split a table into columns.
 */
const MIN_ALIGNED_SHARE = 0.6;

/** Merges side-by-side blocks that are aligned line for line, until none are left. */
function mergeAlignedBlocks(blocks: TextBlock[]): TextBlock[] {
  const merged = [...blocks];
  for (let changed = true; changed;) {
    changed = false;
    outer: for (let i = 0; i < merged.length; i++) {
      for (let j = i + 1; j < merged.length; j++) {
        const [a, b] = [merged[i], merged[j]];
        if (
          overlap(a.box.y, bottom(a.box), b.box.y, bottom(b.box)) > 0 &&
          alignedShare(a, b) >= MIN_ALIGNED_SHARE
        ) {
          merged[i] = {
            segments: [...a.segments, ...b.segments],
            box: unionBox([a.box, b.box]) as Box,
          };
          merged.splice(j, 1);
          changed = true;
          break outer;
        }
      }
    }
  }
  return merged;
}

/** Rows (by index) each line of `segments` on, top to bottom, each row's segments left to right. */
function linesOf(segments: readonly { segment: TextSegment; row: number }[]): RecognizedWord[][] {
  const rows = new Map<number, TextSegment[]>();
  for (const { segment, row } of segments) {
    rows.set(row, [...(rows.get(row) ?? []), segment]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, line]) => line.sort((a, b) => a.box.x - b.box.x).flatMap((s) => s.words));
}

/**
 * A region's blocks column by column, left to right, and top to bottom within a column: blocks
 * that share some width are one column (a sidebar beside a title, its details and the
 * customer's block is two columns, whatever the few pixels between the right-hand blocks' left
 * edges).
 */
function columnOrder(region: readonly TextBlock[]): TextBlock[] {
  const columns: TextBlock[][] = [];
  for (const block of [...region].sort((a, b) => a.box.x - b.box.x)) {
    const joined = columns.filter((column) =>
      column.some(
        (member) => overlap(member.box.x, right(member.box), block.box.x, right(block.box)) > 0,
      ),
    );
    const column = [...joined.flat(), block];
    columns.splice(
      0,
      columns.length,
      ...columns.filter((other) => !joined.includes(other)),
      column,
    );
  }
  const left = (column: readonly TextBlock[]): number => Math.min(...column.map((b) => b.box.x));
  return columns
    .sort((a, b) => left(a) - left(b))
    .flatMap((column) => [...column].sort((a, b) => a.box.y - b.box.y));
}

/** A segment without two letters or digits in a row: a speck or stray mark, no text to place. */
const isSpeck = (segment: TextSegment): boolean => !/[\p{L}\p{N}]{2}/u.test(segment.text);

/**
 * The page's lines in reading order, each one's words left to right. By default the page is
 * read line by line: words grouped into visual rows (`visualRows`), so a table row is one line,
 * its cells left to right, and blocks whose lines share baselines (labels and their values, two
 * address columns set on one grid) read across the page. Where blocks stand side by side and
 * their lines do not line up (an address beside the invoice details set at another line pitch,
 * a large title beside a few small lines), interleaving them would mix two texts: those rows are
 * read block by block, left to right. Blocks are segments (rows cut at wide gaps) stacked under
 * one another; side-by-side blocks aligned line for line are one block.
 */
export function readingLines(page: RecognizedPage): RecognizedWord[][] {
  const words = pageWords(page);
  const lineHeight = medianWordHeight(words);
  const maxGap = SEGMENT_GAP_FACTOR * lineHeight;
  const rows = visualRows(words).map((row) => splitAtGaps(row, maxGap).map(makeSegment));
  const blocks = mergeAlignedBlocks(stackBlocks(rows, lineHeight)).filter(
    (block) => !block.segments.every(({ segment }) => isSpeck(segment)),
  );
  // Groups of side-by-side blocks that do not line up, each read block by block.
  const regions: TextBlock[][] = [];
  for (const block of blocks) {
    const partners = blocks.filter((other) => other !== block && sideBySide(block, other));
    if (
      partners.length === 0 ||
      partners.some((other) => alignedShare(block, other) >= MIN_ALIGNED_SHARE)
    ) {
      continue;
    }
    const region = regions.find((r) => r.some((member) => partners.includes(member)));
    if (region === undefined) {
      regions.push([block]);
    } else {
      region.push(block);
    }
  }
  const rowRange = (region: TextBlock[]): [number, number] => {
    const indexes = region.flatMap((block) => block.segments.map((s) => s.row));
    return [Math.min(...indexes), Math.max(...indexes)];
  };
  // A region is read block by block only when its rows hold nothing else.
  const byBlock = regions.filter((region) => {
    const [first, last] = rowRange(region);
    const members = new Set(region.flatMap((block) => block.segments.map((s) => s.segment)));
    return rows
      .slice(first, last + 1)
      .every((row) => row.every((segment) => members.has(segment) || isSpeck(segment)));
  });
  const lines: RecognizedWord[][] = [];
  for (let row = 0; row < rows.length; row++) {
    const region = byBlock.find((r) => rowRange(r)[0] === row);
    if (region !== undefined) {
      for (const block of columnOrder(region)) {
        lines.push(...linesOf(block.segments));
      }
      row = rowRange(region)[1];
    } else if (rows[row].length > 0) {
      lines.push(rows[row].flatMap((segment) => segment.words));
    }
  }
  return lines;
}

/**
 * The page's text in reading order (see `readingLines`): one line per printed line, its words
 * joined by single spaces. A line without a letter or digit (a scan's specks and rule marks read
 * as `.` or `—..`) is no text; its words keep their boxes in `blocks`. Built from word geometry
 * alone, so OCR output and a PDF's text layer read the same way.
 */
export function readingOrderText(page: RecognizedPage): string {
  return readingLines(page)
    .filter((line) => line.some((word) => /[\p{L}\p{N}]/u.test(word.text)))
    .map((line) => line.map((word) => word.text).join(' '))
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
