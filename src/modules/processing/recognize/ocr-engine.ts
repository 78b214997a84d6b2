import type { PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';

/**
 * An OCR engine: reads a prepared page image (PNG) and returns its text, lines, words and blocks
 * with boxes in that image's pixels and confidences in [0, 1]. The default is tesseract.js; a
 * team plugs in another by providing a class for this token in the processing module.
 */
export interface OcrEngine {
  recognize(png: Buffer, options?: RecognizeOptions): Promise<RecognizedPage>;
}

export interface RecognizeOptions {
  /** The page's language (ISO 639-1, one of the enabled ones); English when not given. */
  language?: PageLanguage;
}

export const OCR_ENGINE = Symbol('OCR_ENGINE');
