import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Block, type Worker } from 'tesseract.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import type { Box, RecognizedBlock, RecognizedLine, RecognizedPage } from '../processing.types.js';
import { TESSERACT_MODELS, type PageLanguage } from '../extract/language.js';
import type { OcrEngine, RecognizeOptions } from './ocr-engine.js';

/**
 * The directory of a language's LSTM model, shipped in its @tesseract.js-data package: nothing is
 * downloaded at run time.
 */
export function modelDir(language: PageLanguage): string {
  const model = TESSERACT_MODELS[language];
  return join(
    dirname(createRequire(import.meta.url).resolve(`@tesseract.js-data/${model}/package.json`)),
    '4.0.0_best_int',
  );
}
/** createWorker never settles when the model cannot be loaded, so it gets a deadline. */
const WORKER_START_TIMEOUT_MS = 60_000;

/**
 * Tesseract's page-layout block kinds (PolyBlockType), as the contract's blockType. tesseract.js
 * reports them as numbers, although its typings say strings: both are accepted.
 */
export function blockTypeOf(tesseractType: unknown): BlockType {
  const code =
    typeof tesseractType === 'number' || typeof tesseractType === 'string'
      ? String(tesseractType)
      : '';
  switch (code) {
    case '2':
    case '3':
    case 'HEADING_TEXT':
    case 'PULLOUT_TEXT':
      return BlockType.Title;
    case '6':
    case 'TABLE':
      return BlockType.Table;
    case '9':
    case '10':
    case '11':
    case 'FLOWING_IMAGE':
    case 'HEADING_IMAGE':
    case 'PULLOUT_IMAGE':
      return BlockType.Image;
    default:
      return BlockType.Text;
  }
}

function box(bbox: { x0: number; y0: number; x1: number; y1: number }): Box {
  return { x: bbox.x0, y: bbox.y0, width: bbox.x1 - bbox.x0, height: bbox.y1 - bbox.y0 };
}

const unit = (confidence: number): number => Math.min(1, Math.max(0, confidence / 100));

/** tesseract.js's block tree (blocks → paragraphs → lines → words) as RecognizedPage. */
export function toRecognizedPage(text: string, blocks: Block[] | null): RecognizedPage {
  const recognizedBlocks: RecognizedBlock[] = (blocks ?? []).map((block) => {
    const lines: RecognizedLine[] = block.paragraphs.flatMap((paragraph) =>
      paragraph.lines
        .map((line) => ({
          text: line.text.trim(),
          confidence: unit(line.confidence),
          box: box(line.bbox),
          words: line.words
            .filter((word) => word.text.trim().length > 0)
            .map((word) => ({
              text: word.text,
              confidence: unit(word.confidence),
              box: box(word.bbox),
            })),
        }))
        .filter((line) => line.words.length > 0),
    );
    return {
      text: block.text.trim(),
      confidence: unit(block.confidence),
      box: box(block.bbox),
      blockType: blockTypeOf(block.blocktype),
      lines,
    };
  });
  const words = recognizedBlocks.flatMap((block) => block.lines.flatMap((line) => line.words));
  const confidence =
    words.length === 0 ? 0 : words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
  return {
    text: text.trim(),
    confidence,
    blocks: recognizedBlocks.filter((b) => b.lines.length > 0),
  };
}

/**
 * tesseract.js (WebAssembly) behind the OcrEngine interface: one tesseract.js worker thread with
 * one language's model, started on first use and kept warm for the pages that follow; a page in
 * another language replaces it with that language's (about a second).
 */
export class TesseractJsEngine implements OcrEngine {
  private worker: { language: PageLanguage; started: Promise<Worker>; dpi?: string } | undefined;

  constructor(private readonly languages: readonly PageLanguage[]) {}

  /** Fails fast when a model is not installed (npm ci installs them). */
  static async checkModels(languages: readonly PageLanguage[]): Promise<void> {
    for (const language of languages) {
      const model = TESSERACT_MODELS[language];
      const dir = modelDir(language);
      await access(join(dir, `${model}.traineddata.gz`)).catch(() => {
        throw new Error(
          `The OCR model is missing at ${dir}: reinstall @tesseract.js-data/${model}`,
        );
      });
    }
  }

  async recognize(image: Buffer, options: RecognizeOptions = {}): Promise<RecognizedPage> {
    const wanted = options.language ?? 'en';
    const language = this.languages.includes(wanted) ? wanted : 'en';
    if (this.worker?.language !== language) {
      await this.close();
      this.worker = { language, started: startWorker(language) };
    }
    const worker = await this.worker.started;
    // A PBM carries no resolution: tesseract is told it (0: read it from the image, or estimate
    // it from the text's size).
    const dpi = String(Math.round(options.dpi ?? 0));
    if (this.worker.dpi !== dpi) {
      await worker.setParameters({ user_defined_dpi: dpi });
      this.worker.dpi = dpi;
    }
    const { data } = await worker.recognize(image, {}, { text: true, blocks: true });
    return toRecognizedPage(data.text, data.blocks);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await (await worker?.started.catch(() => undefined))?.terminate();
  }
}

/**
 * Tesseract's start-up parameters (tesseract.js types only a few of them). The Italian model asks
 * for a word list of its own (`ita.special-words`) that no package ships: without this, every
 * start wrote "Error: failed to load ./ita.special-words" to the service's stderr, beside its
 * JSON log. No model here has such a list, so none is looked for.
 */
const INIT_PARAMETERS: Record<string, string> = { user_words_suffix: '' };

function startWorker(language: PageLanguage): Promise<Worker> {
  const started = (async () => {
    const worker = await createWorker(
      TESSERACT_MODELS[language],
      OEM.LSTM_ONLY,
      {
        langPath: modelDir(language),
        gzip: true,
        cacheMethod: 'none',
        // Without a handler a failed job throws in the worker's callback and ends the process.
        errorHandler: () => undefined,
      },
      INIT_PARAMETERS,
    );
    try {
      // Automatic page segmentation: invoices mix headings, columns and tables.
      await worker.setParameters({
        tessedit_pageseg_mode: PSM.AUTO,
        preserve_interword_spaces: '1',
      });
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return worker;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('the OCR engine did not start'));
      // If it starts after all, nobody will use it: end its thread.
      void started.then((worker) => worker.terminate()).catch(() => undefined);
    }, WORKER_START_TIMEOUT_MS);
  });
  return Promise.race([started, deadline]).finally(() => clearTimeout(timer));
}
