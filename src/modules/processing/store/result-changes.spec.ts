import { BlockType, ColorSpace, ImageFormat } from '../../ocr-pages/ocr-page.enums.js';
import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
import type { Box, RecognizedBlock, RecognizedWord, TableCellResult } from '../processing.types.js';
import {
  completedOutcome,
  failedOutcome,
  retryOutcome,
  type StoredOutputLimits,
} from './result-changes.js';

const box = (x: number, y: number, width: number, height: number): Box => ({ x, y, width, height });

const word = (text: string, confidence: number, at: Box): RecognizedWord => ({
  text,
  confidence,
  box: at,
});

function textBlock(
  blockType: BlockType,
  at: Box,
  lines: RecognizedWord[][],
  confidence = 0.87654,
): RecognizedBlock {
  return {
    text: lines.map((words) => words.map((w) => w.text).join(' ')).join('\n'),
    confidence,
    box: at,
    blockType,
    lines: lines.map((words) => ({
      text: words.map((w) => w.text).join(' '),
      confidence: 0.5,
      box: at,
      words,
    })),
  };
}

const cell = (
  rowIndex: number,
  columnIndex: number,
  cellText: string,
  boundingBox: Box,
): TableCellResult => ({ rowIndex, columnIndex, cellText, confidence: 0.912345, boundingBox });

/** A page with a heading, a text block above the line items, and one over them. */
function result(overrides: Partial<PageProcessingResult> = {}): PageProcessingResult {
  return {
    imageProperties: {
      width: 2480,
      height: 3508,
      dpi: 300,
      colorSpace: ColorSpace.Rgb,
      format: ImageFormat.Png,
      size: 123_456,
    },
    preprocessing: {
      enhanced: true,
      deskewed: true,
      denoised: false,
      binarized: true,
      rotationAngle: 1.5,
    },
    recognized: {
      text: 'INVOICE\nAcme Ltd\nWidget 2 10.00',
      confidence: 0.876543,
      blocks: [
        textBlock(BlockType.Title, box(100, 100, 400, 80), [
          [word('INVOICE', 0.99949, box(100, 100, 400, 80))],
        ]),
        textBlock(BlockType.Text, box(100, 300, 600, 100), [
          [word('Acme', 0.91234, box(100, 300, 200, 40)), word('Ltd', 0.8, box(320, 300, 100, 40))],
        ]),
        textBlock(BlockType.Text, box(100, 1000, 2000, 60), [
          [
            word('Widget', 0.70001, box(100, 1000, 300, 60)),
            word('2', 0.6, box(1200, 1000, 50, 60)),
          ],
          [word('10.00', 0.5555, box(1800, 1040, 200, 40))],
        ]),
      ],
    },
    extractedFields: {
      invoiceNumber: {
        value: 'INV-001',
        confidence: 0.912345,
        boundingBox: box(1500, 100, 300, 40),
      },
      totalAmount: { value: 10, confidence: 0.66666 },
    },
    checks: [
      {
        name: 'subtotalPlusTaxEqualsTotal',
        passed: false,
        detail: '8.00 + 1.00 = 9.00 ≠ 10.00',
        fields: ['totalAmount'],
      },
    ],
    tableData: [
      cell(0, 0, 'Description', box(100, 950, 300, 40)),
      cell(0, 1, 'Qty', box(1200, 950, 100, 40)),
      cell(1, 0, 'Widget', box(100, 1000, 300, 60)),
      cell(1, 1, '2', box(1200, 1000, 100, 60)),
    ],
    qualityScore: 0.812,
    language: 'en',
    timings: {
      ms: { decode: 40, analyse: 20, prepare: 90, recognize: 1500, extract: 200 },
      ocrReads: 1,
    },
    ...overrides,
  };
}

const NO_LIMITS: StoredOutputLimits = {
  maxWords: 1e6,
  maxBlocks: 1e6,
  maxTableCells: 1e6,
  maxTextChars: 1e9,
};
const startedAt = new Date('2024-05-01T10:00:00.000Z');
const now = new Date('2024-05-01T10:00:02.345Z');

describe('completedOutcome', () => {
  it('sets every output field and clears the error and retry time', () => {
    const input = result();
    const change = completedOutcome(input, startedAt, now, NO_LIMITS);

    expect(change).not.toHaveProperty('status');
    expect(change).not.toHaveProperty('errorLog');
    expect(change).toMatchObject({
      completedAt: now,
      processingTime: 2345,
      imageProperties: input.imageProperties,
      preprocessing: input.preprocessing,
      qualityScore: 0.812,
      extractionChecks: input.checks,
    });
  });

  it('cuts words, blocks, cells and text to the limits and says so', () => {
    const limits = { maxWords: 2, maxBlocks: 1, maxTableCells: 1, maxTextChars: 7 };
    const { ocrResults, tableData } = completedOutcome(result(), startedAt, now, limits);
    expect(ocrResults.words).toHaveLength(2);
    expect(ocrResults.blocks).toHaveLength(1);
    expect(ocrResults.text).toBe('INVOICE');
    expect(tableData).toHaveLength(1);
    expect(ocrResults.truncated).toBe(true);
    expect(completedOutcome(result(), startedAt, now, NO_LIMITS).ocrResults).not.toHaveProperty(
      'truncated',
    );
  });

  it('never stores a negative processing time', () => {
    const change = completedOutcome(result(), now, startedAt, NO_LIMITS);
    expect(change.processingTime).toBe(0);
  });

  it('flattens the words of every block and line, in order, with rounded confidences', () => {
    const { ocrResults } = completedOutcome(result(), startedAt, now, NO_LIMITS);
    expect(ocrResults.text).toBe('INVOICE\nAcme Ltd\nWidget 2 10.00');
    expect(ocrResults.confidence).toBe(0.877);
    expect(ocrResults.words).toEqual([
      { text: 'INVOICE', confidence: 0.999, boundingBox: box(100, 100, 400, 80) },
      { text: 'Acme', confidence: 0.912, boundingBox: box(100, 300, 200, 40) },
      { text: 'Ltd', confidence: 0.8, boundingBox: box(320, 300, 100, 40) },
      { text: 'Widget', confidence: 0.7, boundingBox: box(100, 1000, 300, 60) },
      { text: '2', confidence: 0.6, boundingBox: box(1200, 1000, 50, 60) },
      { text: '10.00', confidence: 0.556, boundingBox: box(1800, 1040, 200, 40) },
    ]);
  });

  it('marks a text block over the line-item table as a table block', () => {
    const { ocrResults } = completedOutcome(result(), startedAt, now, NO_LIMITS);
    expect(ocrResults.blocks).toEqual([
      {
        text: 'INVOICE',
        confidence: 0.877,
        boundingBox: box(100, 100, 400, 80),
        blockType: BlockType.Title,
      },
      {
        text: 'Acme Ltd',
        confidence: 0.877,
        boundingBox: box(100, 300, 600, 100),
        blockType: BlockType.Text,
      },
      {
        text: 'Widget 2\n10.00',
        confidence: 0.877,
        boundingBox: box(100, 1000, 2000, 60),
        blockType: BlockType.Table,
      },
    ]);
  });

  it('keeps a non-text block over the table, and a block only touching it, as they are', () => {
    const input = result();
    input.recognized.blocks = [
      // Over the table, but a title: not re-labelled.
      textBlock(BlockType.Title, box(100, 950, 400, 40), [
        [word('Items', 0.9, box(100, 950, 400, 40))],
      ]),
      // Ends exactly where the table (y 950 … 1060) starts: no overlap.
      textBlock(BlockType.Text, box(100, 900, 400, 50), [
        [word('Notes', 0.9, box(100, 900, 400, 50))],
      ]),
      // Level with the table, but right of it (x 100 … 1300).
      textBlock(BlockType.Text, box(1300, 950, 400, 40), [
        [word('Page', 0.9, box(1300, 950, 400, 40))],
      ]),
    ];
    const { ocrResults } = completedOutcome(input, startedAt, now, NO_LIMITS);
    expect(ocrResults.blocks?.map((b) => b.blockType)).toEqual([
      BlockType.Title,
      BlockType.Text,
      BlockType.Text,
    ]);
  });

  it('leaves every block type as it is when there is no table', () => {
    const { ocrResults, tableData } = completedOutcome(
      result({ tableData: [] }),
      startedAt,
      now,
      NO_LIMITS,
    );
    expect(tableData).toEqual([]);
    expect(ocrResults.blocks?.map((b) => b.blockType)).toEqual([
      BlockType.Title,
      BlockType.Text,
      BlockType.Text,
    ]);
  });

  it('stores extracted fields with value, rounded confidence, source and box only when there is one', () => {
    const { extractedFields } = completedOutcome(result(), startedAt, now, NO_LIMITS);
    expect(extractedFields).toEqual({
      invoiceNumber: {
        value: 'INV-001',
        confidence: 0.912,
        boundingBox: box(1500, 100, 300, 40),
        source: 'ocr',
      },
      totalAmount: { value: 10, confidence: 0.667, source: 'ocr' },
    });
    expect(Object.keys(extractedFields.totalAmount as object)).not.toContain('boundingBox');
  });

  it('stores the table cells with rounded confidences', () => {
    const { tableData } = completedOutcome(result(), startedAt, now, NO_LIMITS);
    expect(tableData).toEqual(result().tableData.map((c) => ({ ...c, confidence: 0.912 })));
  });

  it('stores an empty page as empty lists', () => {
    const change = completedOutcome(
      result({
        recognized: { text: '', confidence: 0, blocks: [] },
        extractedFields: {},
        checks: [],
        tableData: [],
      }),
      startedAt,
      now,
      NO_LIMITS,
    );
    expect(change).toMatchObject({
      ocrResults: { text: '', confidence: 0, words: [], blocks: [] },
      extractedFields: {},
      tableData: [],
      extractionChecks: [],
    });
  });
});

describe('retryOutcome', () => {
  it('carries the error, the retry count and the next attempt', () => {
    const nextAttemptAt = new Date('2024-05-01T10:05:00.000Z');
    expect(
      retryOutcome({ message: 'Fetching the page failed: 503', transient: true }, 2, nextAttemptAt),
    ).toEqual({ errorLog: 'Fetching the page failed: 503', retryCount: 2, nextAttemptAt });
  });
});

describe('failedOutcome', () => {
  it('carries the error, the retry count and the time spent', () => {
    expect(
      failedOutcome(
        { message: 'The page could not be read: svg', transient: false },
        startedAt,
        now,
        3,
      ),
    ).toEqual({
      errorLog: 'The page could not be read: svg',
      retryCount: 3,
      completedAt: now,
      processingTime: 2345,
    });
  });

  it('cuts words, blocks, cells and text to the limits and says so', () => {
    const limits = { maxWords: 2, maxBlocks: 1, maxTableCells: 1, maxTextChars: 7 };
    const { ocrResults, tableData } = completedOutcome(result(), startedAt, now, limits);
    expect(ocrResults.words).toHaveLength(2);
    expect(ocrResults.blocks).toHaveLength(1);
    expect(ocrResults.text).toBe('INVOICE');
    expect(tableData).toHaveLength(1);
    expect(ocrResults.truncated).toBe(true);
    expect(completedOutcome(result(), startedAt, now, NO_LIMITS).ocrResults).not.toHaveProperty(
      'truncated',
    );
  });

  it('never stores a negative processing time', () => {
    const change = failedOutcome({ message: 'x', transient: false }, now, startedAt, 0);
    expect(change.processingTime).toBe(0);
  });
});
