import { decodePage, type DecodeLimits, type MeasuredProperties } from '../decode/decode-page.js';
import { applyEInvoice, type PageEInvoice } from '../e-invoice/apply-e-invoice.js';
import { findEInvoice, type EInvoiceFinding } from '../e-invoice/read-e-invoice.js';
import { mapPageBoxes } from '../extract/geometry.js';
import { extractInvoiceFields } from '../extract/invoice-fields.js';
import { detectLanguage, type PageLanguage } from '../extract/language.js';
import { readingOrderText } from '../extract/layout.js';
import { extractLineItems } from '../extract/line-items.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { compose, IDENTITY, mapBox } from '../preprocess/affine.js';
import { contrast, sharpness } from '../preprocess/image-analysis.js';
import {
  analysisCopy,
  prepareForOcr,
  preparedRegion,
  toPbm,
  turnHalf,
  type PreparedImage,
  type PreprocessingSteps,
} from '../preprocess/prepare-for-ocr.js';
import type {
  Box,
  ConsistencyCheck,
  ExtractedFields,
  RecognizedPage,
  TableCellResult,
} from '../processing.types.js';
import { MIN_READABLE_PIXELS, type OcrEngine } from '../recognize/ocr-engine.js';
import { offsetPage, weakRegions, withRereadRegion } from '../recognize/weak-regions.js';
import { isConfidentReading, orientationOf, readabilityScore } from './orientation.js';
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
  /** The e-invoice embedded in the page's PDF, when it opens the document and carries one. */
  eInvoice?: PageEInvoice;
  /** Where the page's time went (not stored): for measurements such as bench:ocr. */
  timings: PageTimings;
}

/** The stages of a page's processing. */
export type PageStage = 'decode' | 'analyse' | 'prepare' | 'recognize' | 'extract';

/** Milliseconds spent per stage, and how many times the page was handed to the OCR engine. */
export interface PageTimings {
  ms: Record<PageStage, number>;
  ocrReads: number;
}

/** Accumulates a page's stage times. */
class StageClock {
  readonly timings: PageTimings = {
    ms: { decode: 0, analyse: 0, prepare: 0, recognize: 0, extract: 0 },
    ocrReads: 0,
  };

  async time<T>(stage: PageStage, work: () => Promise<T> | T): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.timings.ms[stage] += performance.now() - started;
    }
  }
}

/** What a page too small to hold a letter reads as. */
const NO_TEXT: RecognizedPage = { text: '', confidence: 0, blocks: [] };

/** A born-digital PDF page is read from its text layer: no image work was done. */
const NOTHING_DONE: PreprocessingSteps = {
  enhanced: false,
  deskewed: false,
  denoised: false,
  binarized: false,
  rotationAngle: 0,
};

/**
 * decode (scaled to what OCR needs) → (orientation, deskew, enhance, denoise, binarise) →
 * recognise → extract: the work on one page's bytes. It runs in a page-processor child process
 * (see isolation/), never on the API's event loop.
 */
export class PagePipeline {
  private readonly languages: readonly PageLanguage[];
  /** The language of the last page read: the model the next page is read with first. */
  private lastLanguage: PageLanguage = 'en';

  constructor(
    private readonly engine: OcrEngine,
    private readonly limits: DecodeLimits,
    /** The languages pages may be in (English and OCR_LANGUAGES). */
    languages: readonly PageLanguage[],
  ) {
    this.languages = languages.includes('en') ? languages : ['en', ...languages];
  }

  /**
   * Loads the OCR model (reading a blank image) and compiles extraction's expressions (reading a
   * one-word page), so that the first page waits for neither (together about a second).
   */
  async warmUp(): Promise<void> {
    const blank = { data: new Uint8Array(64 * 32).fill(255), width: 64, height: 32 };
    await this.engine.recognize(toPbm(blank), { dpi: 300 });
    const word = { text: 'Invoice', confidence: 1, box: { x: 0, y: 0, width: 60, height: 12 } };
    const line = { ...word, words: [word] };
    const page = {
      text: word.text,
      confidence: 1,
      blocks: [{ ...word, blockType: BlockType.Text, lines: [line] }],
    };
    extractInvoiceFields(page, { lineItems: extractLineItems(page) });
  }

  /**
   * `page`: which page of a multi-page PDF or TIFF to read (1-based; default the first).
   * `likelyLanguage`: the language the page is most likely in (the caller's last page's), read
   * with first; by default the language of this pipeline's last page.
   */
  async process(
    bytes: Buffer,
    page = 1,
    likelyLanguage?: PageLanguage,
  ): Promise<PageProcessingResult> {
    if (likelyLanguage !== undefined && this.languages.includes(likelyLanguage)) {
      this.lastLanguage = likelyLanguage;
    }
    const clock = new StageClock();
    const decoded = await clock.time('decode', () => decodePage(bytes, this.limits, { page }));
    // An embedded e-invoice is read (here, in the page-processor child) and the page too: the
    // reading cross-checks the e-invoice (see applyEInvoice).
    const eInvoice = findEInvoice(decoded.embeddedXml ?? []);
    if (decoded.kind === 'text-layer') {
      return clock.time('extract', () =>
        this.read(
          decoded.page,
          decoded.properties,
          NOTHING_DONE,
          { contrast: Number.POSITIVE_INFINITY, sharpness: Number.POSITIVE_INFINITY },
          clock.timings,
          decoded.toDisplayed,
          eInvoice,
        ),
      );
    }
    const { properties, working } = decoded;
    // One grey copy for every measurement: quality, text-line direction, skew (when upright).
    const { copy, measured, orientation } = await clock.time('analyse', async () => {
      const copy = await analysisCopy(decoded.pixels);
      const measured = { contrast: contrast(copy), sharpness: sharpness(copy) };
      return { copy, measured, orientation: await orientationOf(copy) };
    });
    const { turn } = orientation;
    const recognize = (image: PreparedImage, language: PageLanguage): Promise<RecognizedPage> => {
      if (image.width < MIN_READABLE_PIXELS || image.height < MIN_READABLE_PIXELS) {
        return Promise.resolve(NO_TEXT);
      }
      clock.timings.ocrReads++;
      return clock.time('recognize', () =>
        this.engine.recognize(image.image, { language, dpi: image.dpi }),
      );
    };
    // One reading at the orientation the text lines suggest, with the model of the language the
    // previous page was in (the pages of one job or customer are mostly in one language); a
    // second, turned half way round, only when the line profiles could not tell which way up the
    // page is and the first reading is not confidently readable. The reading's words tell the
    // page's language: only a page in another language than the model that read it is read once
    // more, with its own model.
    const guess = this.lastLanguage;
    let prepared = await clock.time('prepare', () =>
      prepareForOcr(decoded.pixels, {
        dpi: working.dpi,
        orientation: turn,
        analysis: turn === 0 ? copy : undefined,
        // A JPEG's ringing is not seen by the grain measure: the decoder tells it.
        lossy: decoded.lossy,
      }),
    );
    let recognized = await recognize(prepared, guess);
    if (!orientation.settled && !isConfidentReading(recognized)) {
      const turned = await clock.time('prepare', () => turnHalf(prepared));
      const second = await recognize(turned, guess);
      if (readabilityScore(second).score > readabilityScore(recognized).score) {
        prepared = turned;
        recognized = second;
      }
    }
    // Too little text to tell: the model that read it stays.
    const language = (await clock.time('extract', () => this.languageOf(recognized))) ?? guess;
    if (language !== guess) {
      recognized = await recognize(prepared, language);
    }
    this.lastLanguage = language;
    // Where OCR lost its way (words read at next to no confidence), the region is read again on
    // its own, and that reading kept when it is clearly more confident.
    for (const region of weakRegions(recognized, prepared.width, prepared.height)) {
      clock.timings.ocrReads++;
      const reread = await clock.time('recognize', () =>
        this.engine.recognize(preparedRegion(prepared, region), { language, dpi: prepared.dpi }),
      );
      recognized =
        withRereadRegion(recognized, region, offsetPage(reread, region.x, region.y)) ?? recognized;
    }
    // Prepared image → working copy → the page as fetched.
    const toFetched = compose(prepared.toOriginal, {
      ...IDENTITY,
      a: properties.width / working.width,
      e: properties.height / working.height,
    });
    const toOriginal = (box: Box): Box =>
      mapBox(toFetched, box, properties.width, properties.height);
    return clock.time('extract', () =>
      this.read(
        recognized,
        properties,
        prepared.steps,
        measured,
        clock.timings,
        toOriginal,
        eInvoice,
      ),
    );
  }

  private languageOf(page: RecognizedPage): PageLanguage | undefined {
    return detectLanguage(readingOrderText(page), this.languages)?.language;
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
    timings: PageTimings,
    toOriginal: (box: Box) => Box = (box) => box,
    eInvoiceFinding?: EInvoiceFinding,
  ): PageProcessingResult {
    const text = readingOrderText(upright);
    const detected = detectLanguage(text, this.languages)?.language;
    // A text-layer page tells the language of the pages that follow too, at no OCR cost.
    this.lastLanguage = detected ?? this.lastLanguage;
    const language = detected ?? 'en';
    // The table is located once; field extraction reuses it.
    const table = extractLineItems(upright);
    const { fields, checks, eInvoice } = applyEInvoice(
      extractInvoiceFields(upright, { lineItems: table, language }),
      eInvoiceFinding,
    );
    return {
      imageProperties,
      preprocessing,
      // OCR boxes are in the prepared image's pixels: every box goes back onto the original.
      recognized: { ...mapPageBoxes(upright, toOriginal), text },
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
      ...(eInvoice && { eInvoice }),
      timings,
    };
  }
}
