import type { OcrEngineName } from '../../../config/index.js';
import type { PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';

/**
 * An OCR engine: reads a prepared page image (the pipeline's binary PBM; tesseract.js and
 * tesseract-cli also read any format tesseract reads, such as PNG) and returns its text, lines,
 * words and blocks with boxes in that image's pixels and confidences in [0, 1]. One engine reads
 * one page at a time; it lives in a page-processor child (see isolation/), one per concurrent page.
 */
export interface OcrEngine {
  recognize(image: Buffer, options?: RecognizeOptions): Promise<RecognizedPage>;
  /** Ends the engine's worker thread or processes. */
  close(): Promise<void>;
}

/**
 * Images narrower or lower than this many pixels are not handed to an engine: they hold no letter
 * OCR could read, and tesseract fails on an image of a few pixels instead of reading it as blank.
 */
export const MIN_READABLE_PIXELS = 8;
/**
 * Nor an image with a side longer than this: tesseract refuses it ("Image too large"), its
 * coordinates being 16-bit. Decoding and preparation keep pages within it.
 */
export const MAX_READABLE_SIDE = 32_767;

export interface RecognizeOptions {
  /** The page's language (ISO 639-1, one of the enabled ones); English when not given. */
  language?: PageLanguage;
  /** The image's resolution, for an image that does not carry one (a PBM). */
  dpi?: number;
}

export interface OcrEngineOptions {
  /** Which engine (the OCR_ENGINE setting). */
  engine: OcrEngineName;
  /** The languages pages may be read in (English and OCR_LANGUAGES). */
  languages: PageLanguage[];
  /**
   * Whether the engine may start its next OCR process ahead of the read (tesseract-cli; see
   * TesseractCliEngine): worth it only where a core is left idle by the pages being processed,
   * since the model then loads there instead of on the page's way.
   */
  standby?: boolean;
}
