import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
import type { PageLanguage } from '../extract/language.js';
import type { OcrEngineOptions } from '../recognize/ocr-engine.js';

/** What a page-processor child is started with (its only command-line argument, as JSON). */
export interface PageProcessorSettings {
  ocr: OcrEngineOptions;
  maxDocumentPages: number;
  /** Threads for the child's image work (libvips): the cores its siblings leave it. */
  imageThreads: number;
}

/** The parent asks a child to process one page's bytes. */
export interface ProcessPageMessage {
  type: 'process';
  bytes: Uint8Array;
  /** Which page of a multi-page PDF or TIFF to read (1-based). */
  page: number;
  /**
   * The language of the page the pool read last, by any child: the model the page is read with
   * first (the pages of one job or customer are mostly in one language, and a child's own last
   * page is older news when several children share the work).
   */
  language?: PageLanguage;
}

/** What a child answers: started (or not), then one answer per page. */
export type PageProcessorMessage =
  | { type: 'ready' }
  | { type: 'start-failed'; message: string }
  | { type: 'result'; result: PageProcessingResult }
  /** `unreadable`: the bytes are at fault (UnsupportedImageError), a permanent failure. */
  | { type: 'failed'; unreadable: boolean; message: string };
