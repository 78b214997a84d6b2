import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../../config/index.js';
import { decodePage, type MeasuredProperties } from '../decode/decode-page.js';
import { extractInvoiceFields } from '../extract/invoice-fields.js';
import { detectLanguage, type PageLanguage } from '../extract/language.js';
import { readingOrderText } from '../extract/layout.js';
import { extractLineItems } from '../extract/line-items.js';
import { mapBox } from '../preprocess/geometry.js';
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
  /** Text in reading order (see `readingOrderText`); words, lines and blocks with their boxes. */
  recognized: RecognizedPage;
  /** The page's language (ISO 639-1), detected from its words. */
  language: PageLanguage;
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
  private readonly languages: readonly PageLanguage[];

  constructor(
    @Inject(OCR_ENGINE) private readonly engine: OcrEngine,
    config: ConfigService<Environment, true>,
  ) {
    this.languages = ['en', ...config.get('OCR_LANGUAGES', { infer: true })];
  }

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
    // The orientation probe (English model, small copy) has read the page once already: its
    // words pick the model for the full reading, so another language costs no second pass.
    const language = this.languageOf(orientation.probe);
    const prepared = await prepareForOcr(decoded.png, properties, orientation.turn);
    signal.throwIfAborted();
    const recognized = await this.engine.recognize(prepared.png, { language });
    signal.throwIfAborted();
    const toOriginal = (box: Box): Box =>
      mapBox(prepared.toOriginal, box, properties.width, properties.height);
    return this.read(recognized, properties, prepared.steps, measured, toOriginal);
  }

  private languageOf(page: RecognizedPage): PageLanguage {
    return detectLanguage(readingOrderText(page), this.languages)?.language ?? 'en';
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
    const text = readingOrderText(upright);
    const language = detectLanguage(text, this.languages)?.language ?? 'en';
    // The table is located once; field extraction reuses it.
    const table = extractLineItems(upright);
    const { fields, checks } = extractInvoiceFields(upright, { lineItems: table, language });
    return {
      imageProperties,
      preprocessing,
      recognized: { ...toOriginalCoordinates(upright, toOriginal), text },
      language,
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
        fields,
        checks,
      }),
    };
  }
}
