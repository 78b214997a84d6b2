import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { promisify } from 'node:util';
import { childProcessEnvironment } from '../../../config/index.js';
import { TESSERACT_MODELS, type PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';
import { pageFromHocr } from './hocr.js';
import type { OcrEngine, RecognizeOptions } from './ocr-engine.js';

/** Largest hOCR output read from tesseract (a dense A4 page is well under 1 MiB). */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * One `tesseract stdin stdout … hocr` process. tesseract loads its model before it reads its
 * image from stdin, so a process started ahead of its page (a standby) has its model loaded
 * (about 0.1 s of work) by the time the page comes, and reads it at once.
 */
class TesseractProcess {
  /** The page read, once the image is given and tesseract has ended. */
  readonly page: Promise<RecognizedPage>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(readonly args: readonly string[]) {
    this.child = spawn('tesseract', args, {
      env: childProcessEnvironment({ OMP_THREAD_LIMIT: '1' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const child = this.child;
    this.page = new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) {
          child.kill('SIGKILL');
          return;
        }
        chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-500);
      });
      // A closed pipe (tesseract died) is reported by 'close' below.
      child.stdin.on('error', () => undefined);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code === 0) {
          resolve(pageFromHocr(Buffer.concat(chunks, size).toString('utf8')));
        } else {
          reject(
            new Error(
              `tesseract ended with ${signal ?? `code ${code}`}: ${stderr.trim().split('\n').at(-1) ?? ''}`,
            ),
          );
        }
      });
    });
    // A standby ended before it was given a page (closed, or replaced) is nobody's failure.
    this.page.catch(() => undefined);
    // Nor does a process waiting for a page keep Node running (an engine left unclosed).
    this.keepsNodeRunning(false);
  }

  /** Whether it has not ended: a standby that died is not given a page. */
  get waiting(): boolean {
    return !this.child.killed && this.child.exitCode === null && this.child.signalCode === null;
  }

  read(image: Buffer): Promise<RecognizedPage> {
    this.keepsNodeRunning(true);
    this.child.stdin.end(image);
    return this.page;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private keepsNodeRunning(keeps: boolean): void {
    // Spawned with 'pipe', the child's stdio streams are sockets (typed as plain streams).
    const { stdin, stdout, stderr } = this.child as unknown as Record<string, Socket>;
    for (const handle of [this.child, stdin, stdout, stderr]) {
      if (keeps) {
        handle.ref();
      } else {
        handle.unref();
      }
    }
  }
}

/**
 * The system's `tesseract` command (Debian: `apt-get install tesseract-ocr tesseract-ocr-eng`)
 * behind the OcrEngine interface: native code, faster than WebAssembly. Each read is one
 * `tesseract stdin stdout -l <model> hocr` process, whose hOCR gives the same blocks, lines,
 * words, boxes and confidences as tesseract.js. One OpenMP thread per process: pages run side by
 * side instead.
 *
 * With `standby` (where a core is left idle by the pages being processed), each read also starts
 * a standby process with the same arguments, whose model loads on that core: a page's reads
 * mostly share their model and resolution (a page's lost blocks are read again with its model,
 * and the next page of a job is in its language), so the next read mostly finds its model
 * loaded, about 0.1 s sooner. A read with other arguments starts its own process, and the standby
 * follows it. Where every core is busy with pages, a standby would only take its turn from them.
 */
export class TesseractCliEngine implements OcrEngine {
  /** Every process that has not ended: the reads under way and the standby. */
  private readonly processes = new Set<TesseractProcess>();
  private standby?: TesseractProcess;

  constructor(
    private readonly languages: readonly PageLanguage[],
    private readonly options: { standby: boolean } = { standby: false },
  ) {}

  /** Fails with a clear message when `tesseract` or one of the languages' models is not installed. */
  static async check(languages: readonly PageLanguage[]): Promise<void> {
    let installed: string[];
    try {
      const { stdout } = await promisify(execFile)('tesseract', ['--list-langs'], {
        timeout: 10_000,
      });
      installed = stdout
        .split('\n')
        .slice(1)
        .map((line) => line.trim());
    } catch {
      throw new Error(
        'OCR_ENGINE=tesseract-cli needs the `tesseract` command (Debian: apt-get install tesseract-ocr)',
      );
    }
    const missing = languages
      .map((language) => TESSERACT_MODELS[language])
      .filter((model) => !installed.includes(model));
    if (missing.length > 0) {
      throw new Error(
        `tesseract lacks the language data ${missing.join(', ')} (Debian: apt-get install ${missing.map((l) => `tesseract-ocr-${l}`).join(' ')})`,
      );
    }
  }

  recognize(image: Buffer, options: RecognizeOptions = {}): Promise<RecognizedPage> {
    const wanted = options.language ?? 'en';
    const model = TESSERACT_MODELS[this.languages.includes(wanted) ? wanted : 'en'];
    const args = [
      'stdin',
      'stdout',
      ...(options.dpi ? ['--dpi', String(Math.round(options.dpi))] : []),
      '--oem',
      '1',
      '--psm',
      '3',
      '-l',
      model,
      'hocr',
    ];
    const standby = this.standby;
    const ready = standby?.waiting && sameArgs(standby.args, args) ? standby : undefined;
    if (standby && !ready) {
      standby.kill();
    }
    const reader = ready ?? this.start(args);
    this.standby = this.options.standby ? this.start(args) : undefined;
    return reader.read(image);
  }

  close(): Promise<void> {
    this.standby = undefined;
    for (const tesseract of this.processes) {
      tesseract.kill();
    }
    return Promise.resolve();
  }

  private start(args: readonly string[]): TesseractProcess {
    const tesseract = new TesseractProcess(args);
    this.processes.add(tesseract);
    const ended = (): boolean => this.processes.delete(tesseract);
    tesseract.page.then(ended, ended);
    return tesseract;
  }
}

function sameArgs(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, at) => arg === b[at]);
}
