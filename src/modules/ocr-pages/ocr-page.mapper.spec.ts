import { Types } from 'mongoose';
import { toOcrPageResponse } from './ocr-page.mapper.js';
import {
  AnnotationType,
  BlockType,
  ColorSpace,
  ImageFormat,
  PageStatus,
  PageType,
} from './ocr-page.enums.js';
import type { OcrPageRecord } from './ocr-pages.repository.js';

const ID = '60f7b1b3e4b0e8b3f8b3f8b5';
const JOB = '60f7b1b3e4b0e8b3f8b3f8b4';
const BOX = { x: 1, y: 2, width: 3, height: 4 };

/** A stored page, as a lean read returns it. */
function record(fields: Record<string, unknown>): OcrPageRecord {
  return fields as unknown as OcrPageRecord;
}

describe('toOcrPageResponse', () => {
  it('maps a whole record: ids and dates to strings, revision dropped', () => {
    const page = record({
      _id: new Types.ObjectId(ID),
      job: new Types.ObjectId(JOB),
      pageNumber: 2,
      pageUrl: 'https://files.example.com/2.png',
      status: PageStatus.Completed,
      pageType: PageType.Content,
      imageProperties: {
        width: 10,
        height: 20,
        dpi: 300,
        colorSpace: ColorSpace.Grayscale,
        format: ImageFormat.Tiff,
        size: 1000,
      },
      preprocessing: { enhanced: true, deskewed: false, rotationAngle: 0.5 },
      ocrResults: {
        text: 'INVOICE 42',
        confidence: 0.97,
        words: [{ text: 'INVOICE', confidence: 0.99, boundingBox: BOX }],
        blocks: [
          { text: 'INVOICE 42', confidence: 0.95, boundingBox: BOX, blockType: BlockType.Title },
        ],
      },
      extractedFields: { total: { value: '42.00', currency: 'EUR' } },
      tableData: [{ rowIndex: 0, columnIndex: 1, cellText: 'Qty', confidence: 0.9 }],
      processingTime: 1234,
      startedAt: new Date('2024-01-01T00:00:00Z'),
      completedAt: new Date('2024-01-01T00:00:01.234Z'),
      errorLog: 'retry 1: timeout',
      retryCount: 1,
      qualityScore: 0.88,
      annotations: [
        {
          type: AnnotationType.Note,
          text: 'check',
          coordinates: BOX,
          createdBy: 'alice',
          createdAt: new Date('2024-01-02T03:04:05Z'),
        },
      ],
      metadata: { source: 'scanner', tags: ['a'] },
      revision: 7,
      createdAt: new Date('2023-12-31T00:00:00Z'),
      updatedAt: new Date('2024-01-01T00:00:02Z'),
    });

    expect(toOcrPageResponse(page)).toStrictEqual({
      _id: ID,
      job: JOB,
      pageNumber: 2,
      pageUrl: 'https://files.example.com/2.png',
      status: 'completed',
      pageType: 'content',
      imageProperties: {
        width: 10,
        height: 20,
        dpi: 300,
        colorSpace: 'grayscale',
        format: 'tiff',
        size: 1000,
      },
      preprocessing: { enhanced: true, deskewed: false, rotationAngle: 0.5 },
      ocrResults: {
        text: 'INVOICE 42',
        confidence: 0.97,
        words: [{ text: 'INVOICE', confidence: 0.99, boundingBox: BOX }],
        blocks: [{ text: 'INVOICE 42', confidence: 0.95, boundingBox: BOX, blockType: 'title' }],
      },
      extractedFields: { total: { value: '42.00', currency: 'EUR', source: 'ocr' } },
      tableData: [{ rowIndex: 0, columnIndex: 1, cellText: 'Qty', confidence: 0.9 }],
      processingTime: 1234,
      startedAt: '2024-01-01T00:00:00.000Z',
      completedAt: '2024-01-01T00:00:01.234Z',
      errorLog: 'retry 1: timeout',
      retryCount: 1,
      qualityScore: 0.88,
      annotations: [
        {
          type: 'note',
          text: 'check',
          coordinates: BOX,
          createdBy: 'alice',
          createdAt: '2024-01-02T03:04:05.000Z',
        },
      ],
      metadata: { source: 'scanner', tags: ['a'] },
      createdAt: '2023-12-31T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:02.000Z',
    });
  });

  it('never includes revision', () => {
    const response = toOcrPageResponse(record({ _id: new Types.ObjectId(ID), revision: 3 }));
    expect(response).not.toHaveProperty('revision');
  });

  it('maps a partial record to exactly its keys', () => {
    const response = toOcrPageResponse(
      record({ _id: new Types.ObjectId(ID), status: PageStatus.Pending }),
    );
    expect(response).toStrictEqual({ _id: ID, status: 'pending' });
    expect(Object.keys(response)).toStrictEqual(['_id', 'status']);
  });

  it('omits undefined fields instead of writing them as undefined or null', () => {
    const response = toOcrPageResponse(
      record({
        _id: new Types.ObjectId(ID),
        pageNumber: 1,
        pageUrl: undefined,
        startedAt: undefined,
        imageProperties: { dpi: 72, width: undefined },
        ocrResults: { text: 'x', confidence: undefined },
        tableData: [{ rowIndex: 0, columnIndex: 0, cellText: '', boundingBox: undefined }],
        annotations: [{ type: AnnotationType.Flag, createdAt: new Date('2024-01-01T00:00:00Z') }],
      }),
    );
    expect(response).toStrictEqual({
      _id: ID,
      pageNumber: 1,
      imageProperties: { dpi: 72 },
      ocrResults: { text: 'x' },
      tableData: [{ rowIndex: 0, columnIndex: 0, cellText: '' }],
      annotations: [{ type: 'flag', createdAt: '2024-01-01T00:00:00.000Z' }],
    });
    expect(JSON.stringify(response)).not.toContain('null');
  });

  it('keeps falsy but defined values', () => {
    expect(
      toOcrPageResponse(
        record({
          _id: new Types.ObjectId(ID),
          retryCount: 0,
          errorLog: '',
          qualityScore: 0,
          preprocessing: { enhanced: false },
          metadata: {},
        }),
      ),
    ).toStrictEqual({
      _id: ID,
      retryCount: 0,
      errorLog: '',
      qualityScore: 0,
      preprocessing: { enhanced: false },
      metadata: {},
    });
  });

  it('copies only the known keys of words, blocks, table cells and annotations', () => {
    const boxWithExtra = { ...BOX, _id: 'x', rotation: 90 };
    const response = toOcrPageResponse(
      record({
        _id: new Types.ObjectId(ID),
        ocrResults: {
          words: [{ text: 'a', confidence: 0.5, boundingBox: boxWithExtra, font: 'Arial' }],
          blocks: [{ text: 'b', confidence: 0.6, boundingBox: boxWithExtra, internal: true }],
          pipelineVersion: 'v9',
        },
        tableData: [
          { rowIndex: 1, columnIndex: 2, cellText: 'c', boundingBox: boxWithExtra, raw: 'c ' },
        ],
        annotations: [
          {
            type: AnnotationType.Correction,
            coordinates: boxWithExtra,
            createdAt: new Date('2024-01-01T00:00:00Z'),
            reviewerNotes: 'secret',
          },
        ],
      }),
    );
    expect(response).toStrictEqual({
      _id: ID,
      ocrResults: {
        words: [{ text: 'a', confidence: 0.5, boundingBox: BOX }],
        blocks: [{ text: 'b', confidence: 0.6, boundingBox: BOX }],
      },
      tableData: [{ rowIndex: 1, columnIndex: 2, cellText: 'c', boundingBox: BOX }],
      annotations: [
        { type: 'correction', coordinates: BOX, createdAt: '2024-01-01T00:00:00.000Z' },
      ],
    });
  });

  it('keeps empty arrays and omits absent words and blocks', () => {
    expect(
      toOcrPageResponse(
        record({
          _id: new Types.ObjectId(ID),
          ocrResults: { text: '', words: [] },
          tableData: [],
          annotations: [],
        }),
      ),
    ).toStrictEqual({
      _id: ID,
      ocrResults: { text: '', words: [] },
      tableData: [],
      annotations: [],
    });
  });

  it('does not share nested arrays with the record', () => {
    const annotations = [{ type: AnnotationType.Note, createdAt: new Date(0) }];
    const response = toOcrPageResponse(record({ _id: new Types.ObjectId(ID), annotations }));
    expect(response.annotations).not.toBe(annotations);
  });
});
