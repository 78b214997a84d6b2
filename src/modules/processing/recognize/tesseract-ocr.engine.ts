import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, PSM, type Block, type Worker } from 'tesseract.js';
import type { Environment } from '../../../config/index.js';
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
function blockTypeOf(tesseractType: unknown): BlockType {
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

interface Slot {
  worker: Promise<Worker>;
  jobs: number;
  /** The language whose model the worker has loaded. */
  language: PageLanguage;
}

interface Waiter {
  language: PageLanguage;
  resolve: (slot: Slot) => void;
}

/**
 * tesseract.js behind the OcrEngine interface. Each worker runs in its own worker thread, so
 * recognition never blocks the event loop. A small pool serves concurrent pages; a worker is
 * replaced after OCR_WORKER_RECYCLE_AFTER pages because tesseract's memory grows over many jobs.
 */
@Injectable()
export class TesseractOcrEngine implements OcrEngine, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TesseractOcrEngine.name);
  private readonly poolSize: number;
  private readonly recycleAfter: number;
  private readonly idle: Slot[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly all = new Set<Slot>();
  private readonly languages: readonly PageLanguage[];

  constructor(config: ConfigService<Environment, true>) {
    this.poolSize = config.get('PROCESSING_CONCURRENCY', { infer: true });
    this.recycleAfter = config.get('OCR_WORKER_RECYCLE_AFTER', { infer: true });
    this.languages = config.get('OCR_LANGUAGES', { infer: true });
  }

  async onModuleInit(): Promise<void> {
    for (const language of ['en' as const, ...this.languages]) {
      const model = TESSERACT_MODELS[language];
      const dir = modelDir(language);
      await access(join(dir, `${model}.traineddata.gz`)).catch(() => {
        throw new Error(
          `The OCR model is missing at ${dir}: reinstall @tesseract.js-data/${model}`,
        );
      });
    }
  }

  /** After the workers have stopped (they stop in onModuleDestroy, which runs first). */
  async onApplicationShutdown(): Promise<void> {
    const slots = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(
      slots.map(async (slot) => (await slot.worker.catch(() => undefined))?.terminate()),
    );
  }

  async recognize(png: Buffer, options: RecognizeOptions = {}): Promise<RecognizedPage> {
    const wanted = options.language ?? 'en';
    const language = wanted === 'en' || this.languages.includes(wanted) ? wanted : 'en';
    const slot = await this.acquire(language);
    try {
      const worker = await slot.worker;
      const { data } = await worker.recognize(png, {}, { text: true, blocks: true });
      slot.jobs++;
      return toRecognizedPage(data.text, data.blocks);
    } catch (error) {
      // A worker that failed may be in a bad state: replace it.
      slot.jobs = this.recycleAfter;
      throw error;
    } finally {
      this.release(slot);
    }
  }

  private startWorker(language: PageLanguage): Promise<Worker> {
    const started = (async () => {
      const worker = await createWorker(TESSERACT_MODELS[language], OEM.LSTM_ONLY, {
        langPath: modelDir(language),
        gzip: true,
        cacheMethod: 'none',
        // Without a handler a failed job throws in the worker's callback and ends the process.
        errorHandler: (error: unknown) => this.logger.warn(`OCR worker error: ${String(error)}`),
      });
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

  /**
   * A worker with `language`'s model: an idle one that has it, a new one while the pool has
   * room, else an idle worker of another language replaced by one with this model (about a
   * second: a page in another language than the last costs that much more).
   */
  private async acquire(language: PageLanguage): Promise<Slot> {
    const index = this.idle.findIndex((slot) => slot.language === language);
    if (index !== -1) {
      return this.idle.splice(index, 1)[0];
    }
    if (this.all.size < this.poolSize) {
      return this.newSlot(language);
    }
    const other = this.idle.pop();
    if (other !== undefined) {
      return this.replace(other, language);
    }
    return new Promise<Slot>((resolve) => this.waiting.push({ language, resolve }));
  }

  private newSlot(language: PageLanguage): Slot {
    const created: Slot = { worker: this.startWorker(language), jobs: 0, language };
    this.all.add(created);
    return created;
  }

  private replace(slot: Slot, language: PageLanguage): Slot {
    this.all.delete(slot);
    void slot.worker.then((worker) => worker.terminate()).catch(() => undefined);
    return this.newSlot(language);
  }

  private release(slot: Slot): void {
    if (!this.all.has(slot)) {
      return;
    }
    const waiter = this.waiting.shift();
    const language = waiter?.language ?? slot.language;
    const next =
      slot.jobs >= this.recycleAfter || language !== slot.language
        ? this.replace(slot, language)
        : slot;
    if (waiter) {
      waiter.resolve(next);
    } else {
      this.idle.push(next);
    }
  }
}
