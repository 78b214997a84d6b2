import { medianWordHeight, pageWords, toSegments, type TextSegment } from '../extract/layout.js';
import { bottom, mapPageBoxes, meanConfidence, right, unionBox } from '../extract/geometry.js';
import { MIN_READABLE_PIXELS } from './ocr-engine.js';
import type {
  Box,
  RecognizedBlock,
  RecognizedLine,
  RecognizedPage,
  RecognizedWord,
} from '../processing.types.js';

/**
 * A word with two letters or more read with less confidence than this, on a line that OCR ran
 * across a gap in the row, is a sign that OCR lost its way on that line. Tesseract's line finder
 * does so where two columns set at different line pitches meet (a bold customer name beside the
 * invoice's details): it cuts lines across both and reads `Fabrikam Sverige AB` as `brilam` at
 * confidence 0. Read on its own, the same block reads right. A weak word whose line stays within
 * its own run of words was read from well-formed lines: read again, the same pixels give the same
 * word (on the corpus: a place name with a letter the model lacks, a web address, a faint label),
 * so it costs a reading and gains nothing. (Numbers are left alone: a table's cells have their own
 * checks, and a lone digit read with low confidence is no sign of a lost line.)
 */
export const WEAK_WORD_CONFIDENCE = 0.4;
/** At most this many regions of a page are read a second time: each reading costs OCR time. */
export const MAX_REREAD_REGIONS = 3;
/**
 * A second reading replaces the first only if every word of it has at least MIN_REREAD_CONFIDENCE
 * (a reading that is unsure of a word may have misread it where the first did not), its words are
 * MIN_CONFIDENCE_GAIN more confident on average, and it read at least MIN_TEXT_KEPT of the first
 * reading's letters and digits (a crop read confidently but only in part is no better).
 */
const MIN_REREAD_CONFIDENCE = 0.8;
const MIN_CONFIDENCE_GAIN = 0.05;
const MIN_TEXT_KEPT = 0.8;
/**
 * Segments this many word heights apart or closer belong to one region (the lines of an address
 * block), and the region's margin: a misread word's box can miss some of its ink.
 */
const MARGIN_FACTOR = 0.75;
/**
 * A region larger than this share of the page is not read again: it would cost nearly a second
 * reading of the page, and a crop that large has the same columns the first reading mixed up.
 */
const MAX_REGION_SHARE = 0.2;

const TWO_LETTERS = /\p{L}.*\p{L}/u;

function isWeak(word: RecognizedWord): boolean {
  return word.confidence < WEAK_WORD_CONFIDENCE && TWO_LETTERS.test(word.text);
}

function centreInside(word: RecognizedWord, region: Box): boolean {
  const x = word.box.x + word.box.width / 2;
  const y = word.box.y + word.box.height / 2;
  return x >= region.x && x <= right(region) && y >= region.y && y <= bottom(region);
}

/**
 * The regions of a prepared page worth reading a second time, on their own: each is a run of
 * words (a segment: no wide gap inside, so never across a column gap) that holds a weak word of
 * a line OCR ran across a gap,
 * grown by every segment within MARGIN_FACTOR word heights of it (the rest of its lines and of
 * its block), with that margin around it. Regions larger than MAX_REGION_SHARE of the page, or
 * too small for an engine to read (MIN_READABLE_PIXELS), are left as read. The weakest first.
 */
export function weakRegions(page: RecognizedPage, width: number, height: number): Box[] {
  const lineOfWord = new Map<RecognizedWord, RecognizedLine>(
    page.blocks.flatMap((block) =>
      block.lines.flatMap((line) => line.words.map((word) => [word, line] as const)),
    ),
  );
  // A weak word on a line that holds words of another run: a line cut across a gap.
  const lostLine = (segment: TextSegment): boolean =>
    segment.words.some(
      (word) =>
        isWeak(word) &&
        (lineOfWord.get(word)?.words ?? []).some((other) => !segment.words.includes(other)),
    );
  const segments = toSegments(page);
  const seeds = segments.filter(lostLine);
  if (seeds.length === 0) {
    return [];
  }
  const margin = Math.round(MARGIN_FACTOR * medianWordHeight(pageWords(page)));
  const near = (a: Box, b: Box): boolean =>
    a.x - margin <= right(b) &&
    b.x <= right(a) + margin &&
    a.y - margin <= bottom(b) &&
    b.y <= bottom(a) + margin;
  const regions: { box: Box; words: RecognizedWord[] }[] = [];
  for (const seed of seeds) {
    if (regions.some((region) => seed.words.every((word) => region.words.includes(word)))) {
      continue;
    }
    const region = { box: seed.box, words: [...seed.words] };
    const taken = new Set([seed]);
    for (let grown = true; grown;) {
      grown = false;
      for (const segment of segments) {
        if (!taken.has(segment) && near(region.box, segment.box)) {
          taken.add(segment);
          region.box = unionBox([region.box, segment.box]) as Box;
          region.words.push(...segment.words);
          grown = true;
        }
      }
    }
    regions.push(region);
  }
  const doubt = (words: readonly RecognizedWord[]): number =>
    words.filter(isWeak).reduce((sum, word) => sum + (1 - word.confidence), 0);
  return regions
    .filter(({ box }) => box.width * box.height <= MAX_REGION_SHARE * width * height)
    .sort((a, b) => doubt(b.words) - doubt(a.words))
    .slice(0, MAX_REREAD_REGIONS)
    .map(({ box }) => {
      const x = Math.max(0, box.x - margin);
      const y = Math.max(0, box.y - margin);
      return {
        x,
        y,
        width: Math.min(width, right(box) + margin) - x,
        height: Math.min(height, bottom(box) + margin) - y,
      };
    })
    .filter(
      (region) => region.width >= MIN_READABLE_PIXELS && region.height >= MIN_READABLE_PIXELS,
    );
}

/** A reading of a crop, moved to where the crop sits on the page. */
export function offsetPage(page: RecognizedPage, dx: number, dy: number): RecognizedPage {
  return mapPageBoxes(page, (box) => ({ ...box, x: box.x + dx, y: box.y + dy }));
}

function textWords(words: readonly RecognizedWord[]): RecognizedWord[] {
  return words.filter((word) => /[\p{L}\p{N}]/u.test(word.text));
}

/**
 * The page with the words in `region` replaced by a second reading of the region alone (in page
 * coordinates), when that reading is clearly more confident; otherwise `undefined`.
 */
export function withRereadRegion(
  page: RecognizedPage,
  region: Box,
  reread: RecognizedPage,
): RecognizedPage | undefined {
  const before = textWords(
    page.blocks.flatMap((block) => block.lines.flatMap((line) => line.words)),
  ).filter((word) => centreInside(word, region));
  const after = textWords(
    reread.blocks.flatMap((block) => block.lines.flatMap((line) => line.words)),
  );
  const characters = (words: readonly RecognizedWord[]): number =>
    words.reduce((sum, word) => sum + word.text.replace(/[^\p{L}\p{N}]/gu, '').length, 0);
  if (
    after.length === 0 ||
    after.some((word) => word.confidence < MIN_REREAD_CONFIDENCE) ||
    meanConfidence(after) < meanConfidence(before) + MIN_CONFIDENCE_GAIN ||
    characters(after) < MIN_TEXT_KEPT * characters(before)
  ) {
    return undefined;
  }
  const touched = (line: RecognizedLine): boolean =>
    line.words.some((word) => centreInside(word, region));
  const kept: RecognizedBlock[] = [];
  for (const block of page.blocks) {
    if (!block.lines.some(touched)) {
      kept.push(block);
      continue;
    }
    const lines = block.lines.flatMap((line) => {
      if (!touched(line)) {
        return [line];
      }
      const words = line.words.filter((word) => !centreInside(word, region));
      return words.length > 0 ? [lineOf(words)] : [];
    });
    if (lines.length > 0) {
      kept.push({
        ...block,
        lines,
        text: lines.map((line) => line.text).join('\n'),
        box: unionBox(lines.map((line) => line.box)) as Box,
        confidence: meanConfidence(lines.flatMap((line) => line.words)),
      });
    }
  }
  const blocks = [...kept, ...reread.blocks.filter((block) => block.lines.length > 0)];
  const words = blocks.flatMap((block) => block.lines.flatMap((line) => line.words));
  return {
    text: blocks.map((block) => block.text).join('\n\n'),
    confidence: meanConfidence(words),
    blocks,
  };
}

function lineOf(words: RecognizedWord[]): RecognizedLine {
  return {
    text: words.map((word) => word.text).join(' '),
    confidence: meanConfidence(words),
    box: unionBox(words.map((word) => word.box)) as Box,
    words,
  };
}
