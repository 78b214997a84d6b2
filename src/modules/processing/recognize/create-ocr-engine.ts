import type { OcrEngine, OcrEngineOptions } from './ocr-engine.js';
import { TesseractApiEngine } from './tesseract-api.engine.js';
import { TesseractCliEngine } from './tesseract-cli.engine.js';
import { TesseractJsEngine } from './tesseract-ocr.engine.js';

/** The engine OCR_ENGINE names, reading `languages`. */
export function createOcrEngine(options: OcrEngineOptions): OcrEngine {
  switch (options.engine) {
    case 'tesseract.js':
      return new TesseractJsEngine(options.languages);
    case 'tesseract-cli':
      return new TesseractCliEngine(options.languages, { standby: options.standby ?? false });
    case 'tesseract-api':
      return new TesseractApiEngine(options.languages);
  }
}
