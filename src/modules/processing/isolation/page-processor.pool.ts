import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childProcessEnvironment, type Environment } from '../../../config/index.js';
import { UnsupportedImageError } from '../decode/unsupported-image.error.js';
import type { PageLanguage } from '../extract/language.js';
import type { PageProcessingResult } from '../pipeline/page-pipeline.js';
import { JobLanguages } from './job-languages.js';
import { residentBytes } from './process-memory.js';
import { TesseractApiEngine } from '../recognize/tesseract-api.engine.js';
import { TesseractCliEngine } from '../recognize/tesseract-cli.engine.js';
import { TesseractJsEngine } from '../recognize/tesseract-ocr.engine.js';
import { PageProcessorCrashedError, PageTimeoutError } from './page-processor.errors.js';
import type {
  PageProcessorMessage,
  PageProcessorSettings,
  ProcessPageMessage,
} from './page-processor.protocol.js';

/** A child that has not loaded its OCR model by then will not: it is killed. */
const START_TIMEOUT_MS = 60_000;
/** How often a busy child's resident memory is checked against PROCESSING_RSS_LIMIT_MB. */
const MEMORY_CHECK_MS = 250;

/**
 * The child's script. Children run compiled JavaScript: beside this file in the build, or, when
 * this file runs from the TypeScript sources (tests), the build's copy (`npm test` builds first).
 */
function childScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'page-processor.child.js');
  if (existsSync(beside)) {
    return beside;
  }
  const built = beside.replace(`${sep}src${sep}`, `${sep}dist${sep}`);
  if (!existsSync(built)) {
    throw new Error(`The page processor is not built (${built}): run npm run build`);
  }
  return built;
}

/** One page-processor child process: processes one page at a time. */
class PageProcessor {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  pages = 0;
  busy = false;
  /** Set when asked to leave: its exit is then expected, not a failure. */
  stopRequested = false;
  private exited = false;
  /** Set when killed: its 'exit' event comes later, and it must not take another page meanwhile. */
  private killed = false;
  private onExit: ((how: string) => void) | undefined;
  private onMessage: ((message: PageProcessorMessage) => void) | undefined;

  constructor(
    script: string,
    settings: PageProcessorSettings,
    heapMb: number,
    /** Resident memory the child and its `tesseract` may use while reading a page. */
    private readonly rssLimitMb: number,
  ) {
    this.process = fork(script, [JSON.stringify(settings)], {
      // Buffers and nested results travel as structured clones, not JSON.
      serialization: 'advanced',
      execArgv: [`--max-old-space-size=${heapMb}`],
      env: childProcessEnvironment(),
      // Its own process group: killing the group also ends a `tesseract` it runs.
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (message: PageProcessorMessage) => this.onMessage?.(message));
    this.process.on('exit', (code, signal) => {
      this.exited = true;
      this.onExit?.(signal ?? `exit code ${code}`);
    });
    // Spawn errors are followed by 'exit' (or leave the child never ready: START_TIMEOUT_MS).
    this.process.on('error', () => undefined);
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error('the page processor did not start in time'));
      }, START_TIMEOUT_MS);
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        this.onMessage = undefined;
        this.onExit = undefined;
        if (error) {
          this.kill();
          reject(error);
        } else {
          resolve();
        }
      };
      this.onMessage = (message) => {
        if (message.type === 'ready') {
          settle();
        } else if (message.type === 'start-failed') {
          settle(new Error(`the page processor could not start: ${message.message}`));
        }
      };
      this.onExit = (how) => settle(new Error(`the page processor stopped at start (${how})`));
    });
    // Whoever awaits `ready` sees a failure; nobody else should be told of it.
    this.ready.catch(() => undefined);
  }

  /** Asks the child to leave: it closes its engine and exits (see page-processor.child). */
  stop(): void {
    this.stopRequested = true;
    if (this.process.connected) {
      this.process.disconnect();
    }
  }

  get alive(): boolean {
    return !this.exited && !this.killed;
  }

  /** Processes `bytes` within `timeoutMs`; past it, or when `signal` aborts, the child is killed. */
  run(
    bytes: Buffer,
    page: number,
    timeoutMs: number,
    signal: AbortSignal,
    language?: PageLanguage,
  ): Promise<PageProcessingResult> {
    this.pages++;
    return new Promise<PageProcessingResult>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        clearTimeout(timer);
        clearInterval(memoryCheck);
        signal.removeEventListener('abort', onAbort);
        this.onMessage = undefined;
        this.onExit = undefined;
        outcome();
      };
      const timer = setTimeout(() => {
        this.kill();
        settle(() => reject(new PageTimeoutError(timeoutMs)));
      }, timeoutMs);
      // The heap limit does not cover WebAssembly memory, native buffers (sharp, canvas) or a
      // `tesseract` process: their sum is checked here, where /proc tells it (Linux).
      const memoryCheck = setInterval(() => {
        const pid = this.process.pid;
        if (pid !== undefined && residentBytes(pid) > this.rssLimitMb * 1024 * 1024) {
          this.kill();
          settle(() =>
            reject(
              new PageProcessorCrashedError(`it used more than ${this.rssLimitMb} MiB of memory`),
            ),
          );
        }
      }, MEMORY_CHECK_MS);
      const onAbort = (): void => {
        this.kill();
        // The reason is the worker's own (lost lease, stopping): handed back as it was given.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        settle(() => reject(signal.reason));
      };
      signal.addEventListener('abort', onAbort);
      this.onExit = (how) => settle(() => reject(new PageProcessorCrashedError(how)));
      this.onMessage = (message) => {
        if (message.type === 'result') {
          settle(() => resolve(message.result));
        } else if (message.type === 'failed') {
          settle(() =>
            reject(
              message.unreadable
                ? new UnsupportedImageError(message.message)
                : new Error(message.message),
            ),
          );
        }
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      if (!this.alive) {
        settle(() => reject(new PageProcessorCrashedError('it had stopped before the page')));
        return;
      }
      const message: ProcessPageMessage = { type: 'process', bytes, page, language };
      this.process.send(message, (error) => {
        if (error) {
          this.kill();
        }
      });
    });
  }

  /** Ends the child and everything it started, at once. */
  kill(): void {
    if (this.exited || this.process.pid === undefined) {
      return;
    }
    this.killed = true;
    try {
      process.kill(-this.process.pid, 'SIGKILL');
    } catch {
      this.process.kill('SIGKILL');
    }
  }
}

/**
 * The page-processor children of this process: PROCESSING_CONCURRENCY of them, each reading one
 * page at a time with its OCR engine kept warm. A page's work has PROCESSING_PAGE_TIMEOUT_MS of
 * wall-clock time and PROCESSING_RSS_LIMIT_MB of resident memory; past either, or if the child
 * dies (out of memory, killed), the page gets an error
 * and a fresh child takes the dead one's place. Children are replaced after
 * OCR_WORKER_RECYCLE_AFTER pages, since tesseract's memory grows over many pages.
 */
@Injectable()
export class PageProcessorPool implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PageProcessorPool.name);
  private readonly size: number;
  private readonly settings: PageProcessorSettings;
  private readonly all = new Set<PageProcessor>();
  private readonly idle: PageProcessor[] = [];
  private readonly waiting: Array<(processor: PageProcessor) => void> = [];
  private closed = false;
  /**
   * The language of the last page a child read: the first guess for a page whose job has no page
   * read yet (see the child).
   */
  private lastLanguage?: PageLanguage;
  /** The language of each recent job's pages: the first guess for that job's next page. */
  private readonly jobLanguages = new JobLanguages();

  constructor(private readonly config: ConfigService<Environment, true>) {
    this.size = config.get('PROCESSING_CONCURRENCY', { infer: true });
    // One child per core uses one thread each; fewer children share the idle cores out.
    const imageThreads = Math.max(1, Math.floor(availableParallelism() / this.size));
    this.settings = {
      ocr: {
        engine: config.get('OCR_ENGINE', { infer: true }),
        languages: [...new Set(['en' as const, ...config.get('OCR_LANGUAGES', { infer: true })])],
        // With a core to spare beside its own, a child's next OCR run can load its model there
        // ahead of its page; spares shared by several children would only slow their pages.
        standby: imageThreads >= 2,
      },
      maxDocumentPages: config.get('PROCESSING_MAX_DOCUMENT_PAGES', { infer: true }),
      imageThreads,
    };
  }

  /** Where this process processes pages, the chosen engine must be installed: said at start. */
  async onModuleInit(): Promise<void> {
    if (!this.config.get('PROCESSING_ENABLED', { infer: true })) {
      return;
    }
    const { engine, languages } = this.settings.ocr;
    switch (engine) {
      case 'tesseract.js':
        return TesseractJsEngine.checkModels(languages);
      case 'tesseract-cli':
        return TesseractCliEngine.check(languages);
      case 'tesseract-api':
        return TesseractApiEngine.check(languages);
    }
  }

  /** Starts every child ahead of the first page (their OCR models load meanwhile). */
  warmUp(): void {
    while (!this.closed && this.all.size < this.size) {
      this.idle.push(this.spawn());
    }
  }

  /** The process ids of every child (for measurements). */
  processIds(): number[] {
    return [...this.all]
      .map((processor) => processor.process.pid)
      .filter((pid): pid is number => pid !== undefined);
  }

  /** The process ids of the children reading a page now. */
  busyProcessIds(): number[] {
    return [...this.all]
      .filter((processor) => processor.busy && processor.process.pid !== undefined)
      .map((processor) => processor.process.pid!);
  }

  /**
   * Processes one page's bytes in a child. Rejects with PageTimeoutError past the deadline,
   * PageProcessorCrashedError when the child dies, UnsupportedImageError for unreadable bytes,
   * or `signal.reason` when the signal aborts (the child is killed then too). `page`: which
   * page of a multi-page PDF or TIFF to read (1-based; default the first). `job`: the job the
   * page belongs to, whose language it is read in first once one of its pages has been read.
   */
  async process(
    bytes: Buffer,
    signal: AbortSignal,
    page = 1,
    job?: string,
  ): Promise<PageProcessingResult> {
    const processor = await this.acquire();
    try {
      await processor.ready;
      signal.throwIfAborted();
      processor.busy = true;
      const result = await processor.run(
        bytes,
        page,
        this.config.get('PROCESSING_PAGE_TIMEOUT_MS', { infer: true }),
        signal,
        (job === undefined ? undefined : this.jobLanguages.of(job)) ?? this.lastLanguage,
      );
      this.lastLanguage = result.language;
      if (job !== undefined) {
        this.jobLanguages.remember(job, result.language);
      }
      return result;
    } finally {
      processor.busy = false;
      this.release(processor);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const processors = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(
      processors.map(async (processor) => {
        if (!processor.alive) {
          return;
        }
        const exited = new Promise((resolve) => processor.process.once('exit', resolve));
        // Asked to leave (it closes its engine), then made to.
        processor.stop();
        const timer = setTimeout(() => processor.kill(), 2000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private spawn(): PageProcessor {
    const processor = new PageProcessor(
      childScript(),
      this.settings,
      this.config.get('PROCESSING_MEMORY_LIMIT_MB', { infer: true }),
      this.config.get('PROCESSING_RSS_LIMIT_MB', { infer: true }),
    );
    this.all.add(processor);
    processor.ready.catch((error: unknown) => {
      // A child asked to stop before it was ready (shutdown, or worn out) is no failure.
      if (!processor.stopRequested) {
        this.logger.error(error instanceof Error ? error.message : String(error));
      }
    });
    return processor;
  }

  private acquire(): Promise<PageProcessor> {
    if (this.closed) {
      return Promise.reject(new Error('processing is shutting down'));
    }
    const processor = this.idle.pop() ?? (this.all.size < this.size ? this.spawn() : undefined);
    if (processor) {
      return Promise.resolve(processor);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Back to the pool, or replaced by a fresh child when it died, failed to start or is worn. */
  private release(processor: PageProcessor): void {
    let next: PageProcessor | undefined = processor;
    const worn = processor.pages >= this.config.get('OCR_WORKER_RECYCLE_AFTER', { infer: true });
    if (!processor.alive || worn) {
      this.all.delete(processor);
      if (processor.alive) {
        processor.stop();
      } else {
        this.logger.warn(`Page processor ${processor.process.pid} stopped; starting a fresh one`);
      }
      next = this.closed ? undefined : this.spawn();
    }
    if (!next) {
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter(next);
    } else {
      this.idle.push(next);
    }
  }
}
