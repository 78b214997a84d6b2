import { PageStatus } from '../../ocr-pages/ocr-page.enums.js';
import type { OcrPageChange } from '../../ocr-pages/ocr-pages.repository.js';
import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
import { bottom, overlap, right, unionBox } from '../extract/geometry.js';
import type { Box } from '../processing.types.js';
import type { Failure } from '../failure.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';

const round = (value: number, digits = 3): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

function overlaps(a: Box, b: Box): boolean {
  return overlap(a.x, right(a), b.x, right(b)) > 0 && overlap(a.y, bottom(a), b.y, bottom(b)) > 0;
}

/** The stored page after a successful run: every server-managed output field. */
export function completedChange(
  result: PageProcessingResult,
  startedAt: Date,
  now: Date,
): OcrPageChange {
  const { recognized } = result;
  const table = unionBox(result.tableData.map((cell) => cell.boundingBox));
  return {
    $set: {
      status: PageStatus.Completed,
      completedAt: now,
      processingTime: Math.max(0, now.getTime() - startedAt.getTime()),
      imageProperties: result.imageProperties,
      preprocessing: result.preprocessing,
      ocrResults: {
        text: recognized.text,
        confidence: round(recognized.confidence),
        language: result.language,
        words: recognized.blocks.flatMap((block) =>
          block.lines.flatMap((line) =>
            line.words.map((word) => ({
              text: word.text,
              confidence: round(word.confidence),
              boundingBox: word.box,
            })),
          ),
        ),
        blocks: recognized.blocks.map((block) => ({
          text: block.text,
          confidence: round(block.confidence),
          boundingBox: block.box,
          // Tesseract seldom labels tables; a text block over the line items is one.
          blockType:
            block.blockType === BlockType.Text && table && overlaps(block.box, table)
              ? BlockType.Table
              : block.blockType,
        })),
      },
      extractedFields: Object.fromEntries(
        Object.entries(result.extractedFields).map(([name, field]) => [
          name,
          {
            value: field.value,
            confidence: round(field.confidence),
            ...(field.boundingBox && { boundingBox: field.boundingBox }),
          },
        ]),
      ),
      tableData: result.tableData.map((cell) => ({ ...cell, confidence: round(cell.confidence) })),
      qualityScore: result.qualityScore,
      extractionChecks: result.checks,
    },
    $unset: { errorLog: 1, nextAttemptAt: 1 },
  };
}

/** A transient failure with retries left: back in the queue after a delay. */
export function retryChange(
  failure: Failure,
  retryCount: number,
  nextAttemptAt: Date,
): OcrPageChange {
  return {
    $set: { status: PageStatus.Pending, errorLog: failure.message, retryCount, nextAttemptAt },
  };
}

/** A permanent failure, or the last retry spent. */
export function failedChange(
  failure: Failure,
  startedAt: Date,
  now: Date,
  retryCount: number,
): OcrPageChange {
  return {
    $set: {
      status: PageStatus.Failed,
      errorLog: failure.message,
      retryCount,
      completedAt: now,
      processingTime: Math.max(0, now.getTime() - startedAt.getTime()),
    },
    $unset: { nextAttemptAt: 1 },
  };
}

/** The worker is stopping: the page goes back to the queue (still queued) for another worker. */
export function releasedChange(): OcrPageChange {
  return { $set: { status: PageStatus.Pending } };
}
