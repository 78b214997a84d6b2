import { decodePage, type DecodeLimits, type MeasuredProperties } from '../decode/decode-page.js';
import { extractInvoiceFields } from '../extract/invoice-fields.js';
import { extractLineItems } from '../extract/line-items.js';
import { compose, IDENTITY, mapBox } from '../preprocess/affine.js';
import {
  measureImage,
  prepareForOcr,
  turnHalf,
  type PreprocessingSteps,
} from '../preprocess/prepare-for-ocr.js';
import type {
  Box,
  ConsistencyCheck,
  ExtractedFields,
  RecognizedPage,
  TableCellResult,
} from '../processing.types.js';
import type { OcrEngine } from '../recognize/ocr-engine.js';
import { firstTurn, isConfidentReading, readabilityScore } from './orientation.js';
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
 * decode (scaled to what OCR needs) → (orientation, deskew, enhance, denoise, binarise) →
 * recognise → extract: the work on one page's bytes. It runs in a page-processor child process
 * (see isolation/), never on the API's event loop.
 */
export class PagePipeline {
  constructor(
    private readonly engine: OcrEngine,
    private readonly limits: DecodeLimits,
  ) {}

  async process(bytes: Buffer): Promise<PageProcessingResult> {
    const decoded = await decodePage(bytes, this.limits);
    if (decoded.kind === 'text-layer') {
      return this.read(
        decoded.page,
        decoded.properties,
        NOTHING_DONE,
        { contrast: Number.POSITIVE_INFINITY, sharpness: Number.POSITIVE_INFINITY },
        decoded.toDisplayed,
      );
    }
    const { properties, working } = decoded;
    const measured = await measureImage(decoded.png);
    // One reading at the orientation the text lines suggest; a second, turned half way round,
    // only when the first is not confidently readable (an upside-down or poor page).
    let prepared = await prepareForOcr(decoded.png, working, await firstTurn(decoded.png));
    let recognized = await this.engine.recognize(prepared.png);
    if (!isConfidentReading(recognized)) {
      const turned = await turnHalf(prepared);
      const second = await this.engine.recognize(turned.png);
      if (readabilityScore(second).score > readabilityScore(recognized).score) {
        prepared = turned;
        recognized = second;
      }
    }
    // Prepared image → working copy → the page as fetched.
    const toFetched = compose(prepared.toOriginal, {
      ...IDENTITY,
      a: properties.width / working.width,
      e: properties.height / working.height,
    });
    const toOriginal = (box: Box): Box =>
      mapBox(toFetched, box, properties.width, properties.height);
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
