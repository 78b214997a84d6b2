import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { childProcessEnvironment } from '../../../config/index.js';
import { TESSERACT_MODELS, type PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';
import { keepNodeAliveFor } from './child-handles.js';
import { pageFromHocr } from './hocr.js';
import type { OcrEngine, RecognizeOptions } from './ocr-engine.js';
import { TesseractCliEngine } from './tesseract-cli.engine.js';

/**
 * Debian's own Python: python3-tesserocr is installed for it (a python3 earlier on the PATH, such
 * as a pyenv one, would not have it).
 */
const SYSTEM_PYTHON = '/usr/bin/python3';
/** The reading server, beside this file (copied into dist/ with it, see nest-cli.json). */
const SERVER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'tesseract-api.server.py');
/** Largest hOCR answer read (a dense A4 page is well under 1 MiB). */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** The longest answer header (`{"ok": false, "error": ...}`) read before giving up on it. */
const MAX_HEADER_BYTES = 64 * 1024;

interface Answer {
  ok: boolean;
  length?: unknown;
  error?: unknown;
}

/**
 * One `tesseract-api.server.py` process: reads one image at a time, with its models kept loaded
 * between reads.
 */
class ReadingServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending?: { resolve: (hocr: string) => void; reject: (error: Error) => void };
  /** What has come of the answer under way: its header once read, then its body's chunks. */
  private chunks: Buffer[] = [];
  private size = 0;
  private bodyLength?: number;
  private stderr = '';
  private ended = false;
  /** Settles when the process has ended. */
  readonly exited: Promise<void>;

  constructor(script: string) {
    this.child = spawn(SYSTEM_PYTHON, [script], {
      // One OpenMP thread per process: pages run side by side instead.
      env: childProcessEnvironment({ OMP_THREAD_LIMIT: '1' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-500);
    });
    // A closed pipe (the server died) is reported by 'close' below.
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.end(new Error(`tesseract-api could not start ${SYSTEM_PYTHON}: ${error.message}`));
        resolve();
      });
      this.child.on('close', (code, signal) => {
        const said = this.stderr.trim().split('\n').at(-1);
        this.end(
          new Error(
            `the tesseract-api server ended with ${signal ?? `code ${code}`}${said ? `: ${said}` : ''}`,
          ),
        );
        resolve();
      });
    });
    // Waiting between pages, it never keeps Node running (an engine left unclosed).
    keepNodeAliveFor(this.child, false);
  }

  /** Whether it can take a read: not ended, nor given up on. */
  get alive(): boolean {
    return !this.ended;
  }

  read(image: Buffer, model: string, dpi: number | undefined): Promise<string> {
    if (this.ended || this.pending) {
      return Promise.reject(new Error('the tesseract-api server is not ready for a page'));
    }
    const request = JSON.stringify({ model, dpi: dpi && Math.round(dpi), length: image.length });
    keepNodeAliveFor(this.child, true);
    return new Promise<string>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(`${request}\n`);
      this.child.stdin.write(image);
    }).finally(() => keepNodeAliveFor(this.child, false));
  }

  /** Ends it: the read under way fails, and nothing it still sends is read. */
  kill(): void {
    this.ended = true;
    this.child.kill('SIGKILL');
  }

  /** Collects an answer: its header line, then the hOCR bytes it announces. */
  private receive(chunk: Buffer): void {
    if (this.ended || !this.pending) {
      // Nobody asked: a server that speaks out of turn cannot be trusted with the next page.
      this.giveUp(new Error('the tesseract-api server answered when not asked'));
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.bodyLength === undefined && !this.readHeader()) {
      return;
    }
    if (this.bodyLength !== undefined && this.size >= this.bodyLength) {
      const body = Buffer.concat(this.chunks, this.size);
      if (body.length > this.bodyLength) {
        this.giveUp(new Error('the tesseract-api server answered more than it announced'));
        return;
      }
      this.settle(undefined, body.toString('utf8'));
    }
  }

  /**
   * Reads the answer's header once its line is complete: true when a body follows (the chunks
   * then hold what came of it), false when there is nothing more to do for now.
   */
  private readHeader(): boolean {
    const received = Buffer.concat(this.chunks, this.size);
    const newline = received.indexOf(0x0a);
    if (newline < 0) {
      if (received.length > MAX_HEADER_BYTES) {
        this.giveUp(new Error('the tesseract-api server answered with no header'));
      } else {
        this.chunks = [received];
      }
      return false;
    }
    let header: Answer;
    try {
      header = JSON.parse(received.subarray(0, newline).toString('utf8')) as Answer;
    } catch {
      this.giveUp(new Error('the tesseract-api server answered with a malformed header'));
      return false;
    }
    const rest = received.subarray(newline + 1);
    if (!header.ok) {
      if (rest.length > 0) {
        this.giveUp(new Error('the tesseract-api server answered more than it announced'));
        return false;
      }
      const reason = typeof header.error === 'string' ? header.error : 'the page was not read';
      this.settle(new Error(`tesseract-api: ${reason}`));
      return false;
    }
    const length = header.length;
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      this.giveUp(new Error('the tesseract-api server announced no valid length'));
      return false;
    }
    if (length > MAX_ANSWER_BYTES) {
      this.giveUp(new Error(`tesseract's hOCR output exceeded ${MAX_ANSWER_BYTES} bytes`));
      return false;
    }
    this.bodyLength = length;
    this.chunks = [rest];
    this.size = rest.length;
    return true;
  }

  /** Ends the read under way with its result, ready for the next. */
  private settle(error: Error | undefined, hocr = ''): void {
    const pending = this.pending;
    this.pending = undefined;
    this.chunks = [];
    this.size = 0;
    this.bodyLength = undefined;
    if (error) {
      pending?.reject(error);
    } else {
      pending?.resolve(hocr);
    }
  }

  /** An answer that cannot be trusted: the read fails and the server is ended. */
  private giveUp(error: Error): void {
    this.settle(error);
    this.kill();
  }

  private end(error: Error): void {
    this.ended = true;
    this.settle(error);
  }
}

/**
 * The system's tesseract library (Debian: `apt-get install tesseract-ocr python3-tesserocr`)
 * behind the OcrEngine interface, through one long-lived reading server (a Python process using
 * tesseract's C++ API): the same recognition as `tesseract … --oem 1 --psm 3 hocr`, read from the
 * same hOCR, without the `tesseract` command's start-up (about 0.2 s of CPU to load a model, on
 * each of a page's reads). The server keeps the models of the last two languages loaded. Reads
 * the pipeline's binary PBM (and 8-bit PGM).
 *
 * A server that dies (killed, out of memory) fails the read under way; the next read starts a
 * new one.
 */
export class TesseractApiEngine implements OcrEngine {
  private server?: ReadingServer;
  /** Reads wait for the one before: the server reads one image at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly languages: readonly PageLanguage[],
    /** The server script run (another only to test the engine's side of the protocol). */
    private readonly script = SERVER_SCRIPT,
  ) {}

  /** Fails with a clear message when python3-tesserocr, tesseract or a language's model is missing. */
  static async check(languages: readonly PageLanguage[]): Promise<void> {
    try {
      await promisify(execFile)(SYSTEM_PYTHON, ['-c', 'import tesserocr'], { timeout: 10_000 });
    } catch {
      throw new Error(
        'OCR_ENGINE=tesseract-api needs the tesseract library for Python (Debian: apt-get install python3-tesserocr)',
      );
    }
    // The library reads the models the `tesseract` command reads.
    await TesseractCliEngine.check(languages);
  }

  recognize(image: Buffer, options: RecognizeOptions = {}): Promise<RecognizedPage> {
    const wanted = options.language ?? 'en';
    const model = TESSERACT_MODELS[this.languages.includes(wanted) ? wanted : 'en'];
    const read = this.queue.then(async () => {
      if (this.closed) {
        throw new Error('the tesseract-api engine is closed');
      }
      if (!this.server?.alive) {
        this.server = new ReadingServer(this.script);
      }
      return pageFromHocr(await this.server.read(image, model, options.dpi));
    });
    this.queue = read.catch(() => undefined);
    return read;
  }

  /** Ends the server: a read under way fails. */
  async close(): Promise<void> {
    this.closed = true;
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.kill();
      await server.exited;
    }
  }
}
