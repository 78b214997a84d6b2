import { Inject, Injectable } from '@nestjs/common';
import { decodePage, type MeasuredProperties } from '../decode/decode-page.js';
import { extractInvoiceFields } from '../extract/invoice-fields.js';
import { extractLineItems } from '../extract/line-items.js';
import { mapBox } from '../preprocess/affine.js';
import {
  measureImage,
  prepareForOcr,
  type PreprocessingSteps,
} from '../preprocess/prepare-for-ocr.js';
import type {
  Box,
  ConsistencyCheck,
  ExtractedFields,
  RecognizedPage,
  TableCellResult,
} from '../processing.types.js';
import { OCR_ENGINE, type OcrEngine } from '../recognize/ocr-engine.js';
import { detectOrientation } from './orientation.js';
import { qualityScore } from './quality.js';

/** Everything processing learns about a page, in the original image's coordinates. */
export interface PageProcessingResult {
  imageProperties: MeasuredProperties;
  preprocessing: PreprocessingSteps;
  recognized: RecognizedPage;
  extractedFields: ExtractedFields;
  checks: ConsistencyCheck[];
  tableData: TableCellResult[];
  qualityScore: number;
}

/** A born-digital PDF page is read from its text layer: no image work was done. */
const NOTHING_DONE: PreprocessingSteps = {
  enhanced: false,
  deskewed: false,
  denoised: false,
  binarized: false,
  rotationAngle: 0,
};

/** OCR boxes are in the prepared image's pixels; this puts every box back on the original. */
export function toOriginalCoordinates(
  page: RecognizedPage,
  toOriginal: (box: Box) => Box,
): RecognizedPage {
  const map = <T extends { box: Box }>(item: T): T => ({ ...item, box: toOriginal(item.box) });
  return {
    ...page,
    blocks: page.blocks.map((block) => ({
      ...map(block),
      lines: block.lines.map((line) => ({ ...map(line), words: line.words.map(map) })),
    })),
  };
}

/**
 * decode → (orientation, deskew, enhance, denoise, binarise) → recognise → extract: the work on
 * one page's bytes. `signal` aborts between steps (the worker lost its claim, or is stopping).
 */
@Injectable()
export class PagePipeline {
  constructor(@Inject(OCR_ENGINE) private readonly engine: OcrEngine) {}

  async process(bytes: Buffer, signal: AbortSignal): Promise<PageProcessingResult> {
    const decoded = await decodePage(bytes);
    signal.throwIfAborted();
    if (decoded.kind === 'text-layer') {
      return this.read(
        decoded.page,
        decoded.properties,
        NOTHING_DONE,
        { contrast: Number.POSITIVE_INFINITY, sharpness: Number.POSITIVE_INFINITY },
        decoded.toDisplayed,
      );
    }
    const { properties } = decoded;
    const measured = await measureImage(decoded.png);
    const orientation = await detectOrientation(decoded.png, properties, this.engine);
    signal.throwIfAborted();
    const prepared = await prepareForOcr(decoded.png, properties, orientation);
    signal.throwIfAborted();
    const recognized = await this.engine.recognize(prepared.png);
    signal.throwIfAborted();
    const toOriginal = (box: Box): Box =>
      mapBox(prepared.toOriginal, box, properties.width, properties.height);
    return this.read(recognized, properties, prepared.steps, measured, toOriginal);
  }

  /**
   * Extracts fields and line items on the upright page (layout rules read top to bottom, left to
   * right), then moves every box onto the original image.
   */
  private read(
    upright: RecognizedPage,
    imageProperties: MeasuredProperties,
    preprocessing: PreprocessingSteps,
    measured: { contrast: number; sharpness: number },
    toOriginal: (box: Box) => Box = (box) => box,
  ): PageProcessingResult {
    const table = extractLineItems(upright);
    const { fields, checks } = extractInvoiceFields(upright, { lineAmounts: table.lineAmounts });
    return {
      imageProperties,
      preprocessing,
      recognized: toOriginalCoordinates(upright, toOriginal),
      extractedFields: Object.fromEntries(
        Object.entries(fields).map(([name, field]) => [
          name,
          { ...field, ...(field.boundingBox && { boundingBox: toOriginal(field.boundingBox) }) },
        ]),
      ),
      checks,
      tableData: table.cells.map((cell) => ({
        ...cell,
        boundingBox: toOriginal(cell.boundingBox),
      })),
      qualityScore: qualityScore({
        ocrConfidence: upright.confidence,
        dpi: imageProperties.dpi,
        contrast: measured.contrast,
        sharpness: measured.sharpness,
      }),
    };
  }
}
