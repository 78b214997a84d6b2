import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
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
}

/** What a child answers: started (or not), then one answer per page. */
export type PageProcessorMessage =
  | { type: 'ready' }
  | { type: 'start-failed'; message: string }
  | { type: 'result'; result: PageProcessingResult }
  /** `unreadable`: the bytes are at fault (UnsupportedImageError), a permanent failure. */
  | { type: 'failed'; unreadable: boolean; message: string };
