import type { OcrEngineName } from '../../../config/index.js';
import type { RecognizedPage } from '../processing.types.js';

/**
 * An OCR engine: reads a prepared page image (PNG) and returns its text, lines, words and blocks
 * with boxes in that image's pixels and confidences in [0, 1]. One engine reads one page at a
 * time; it lives in a page-processor child (see isolation/), one per concurrent page.
 */
export interface OcrEngine {
  recognize(png: Buffer): Promise<RecognizedPage>;
  /** Ends the engine's worker thread or processes. */
  close(): Promise<void>;
}

export interface OcrEngineOptions {
  /** Which engine (the OCR_ENGINE setting). */
  engine: OcrEngineName;
  /** Tesseract language codes read together, e.g. `['eng', 'deu']` (`-l eng+deu`). */
  languages: string[];
}

/** The languages a page is read in unless told otherwise. */
export const DEFAULT_OCR_LANGUAGES = ['eng'];
