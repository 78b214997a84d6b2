import type {
  CompletedPage,
  FailedPage,
  RetryLater,
} from '../../ocr-pages/page-processing.port.js';
import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
import { bottom, overlap, right, unionBox } from '../extract/geometry.js';
import type { Box } from '../processing.types.js';
import type { Failure } from '../failure.js';
import { BlockType, FieldSource } from '../../ocr-pages/ocr-page.enums.js';

const round = (value: number, digits = 3): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

function overlaps(a: Box, b: Box): boolean {
  return overlap(a.x, right(a), b.x, right(b)) > 0 && overlap(a.y, bottom(a), b.y, bottom(b)) > 0;
}

/**
 * The most a page stores of a run's output. A dense text-layer PDF can hold tens of thousands of
 * words; these keep every page document in the low MBs (far below MongoDB's 16 MB) and every
 * list response bounded. What is cut is flagged by `ocrResults.truncated`.
 */
export interface StoredOutputLimits {
  maxWords: number;
  maxBlocks: number;
  maxTableCells: number;
  /** Characters of `ocrResults.text` and of each block's text. */
  maxTextChars: number;
}

function capped<T>(items: T[], max: number, cut: { happened: boolean }): T[] {
  if (items.length > max) {
    cut.happened = true;
    return items.slice(0, max);
  }
  return items;
}

function cappedText(text: string, max: number, cut: { happened: boolean }): string {
  if (text.length > max) {
    cut.happened = true;
    return text.slice(0, max);
  }
  return text;
}

/** What a successful run stores: every server-managed output field. */
export function completedOutcome(
  result: PageProcessingResult,
  startedAt: Date,
  now: Date,
  limits: StoredOutputLimits,
): CompletedPage {
  const { recognized } = result;
  const table = unionBox(result.tableData.map((cell) => cell.boundingBox));
  const cut = { happened: false };
  const words = capped(
    recognized.blocks.flatMap((block) => block.lines.flatMap((line) => line.words)),
    limits.maxWords,
    cut,
  );
  const blocks = capped(recognized.blocks, limits.maxBlocks, cut);
  const cells = capped(result.tableData, limits.maxTableCells, cut);
  const text = cappedText(recognized.text, limits.maxTextChars, cut);
  const blockTexts = blocks.map((block) => cappedText(block.text, limits.maxTextChars, cut));
  return {
    completedAt: now,
    processingTime: Math.max(0, now.getTime() - startedAt.getTime()),
    imageProperties: result.imageProperties,
    preprocessing: result.preprocessing,
    ocrResults: {
      text,
      confidence: round(recognized.confidence),
      language: result.language,
      words: words.map((word) => ({
        text: word.text,
        confidence: round(word.confidence),
        boundingBox: word.box,
      })),
      blocks: blocks.map((block, index) => ({
        text: blockTexts[index],
        confidence: round(block.confidence),
        boundingBox: block.box,
        // Tesseract seldom labels tables; a text block over the line items is one.
        blockType:
          block.blockType === BlockType.Text && table && overlaps(block.box, table)
            ? BlockType.Table
            : block.blockType,
      })),
      ...(cut.happened && { truncated: true }),
    },
    extractedFields: Object.fromEntries(
      Object.entries(result.extractedFields).map(([name, field]) => [
        name,
        {
          value: field.value,
          confidence: round(field.confidence),
          ...(field.boundingBox && { boundingBox: field.boundingBox }),
          source: field.source ?? FieldSource.Ocr,
        },
      ]),
    ),
    tableData: cells.map((cell) => ({ ...cell, confidence: round(cell.confidence) })),
    qualityScore: result.qualityScore,
    extractionChecks: result.checks,
    ...(result.eInvoice && { eInvoice: result.eInvoice }),
  };
}

/** A transient failure with retries left: back in the queue after a delay. */
export function retryOutcome(
  failure: Failure,
  retryCount: number,
  nextAttemptAt: Date,
): RetryLater {
  return { errorLog: failure.message, retryCount, nextAttemptAt };
}

/** A permanent failure, or the last retry spent. */
export function failedOutcome(
  failure: Failure,
  startedAt: Date,
  now: Date,
  retryCount: number,
): FailedPage {
  return {
    errorLog: failure.message,
    retryCount,
    completedAt: now,
    processingTime: Math.max(0, now.getTime() - startedAt.getTime()),
  };
}
