import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promisify } from 'node:util';
import { childProcessEnvironment } from '../../../config/index.js';
import { TESSERACT_MODELS, type PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';
import { keepNodeAliveFor } from './child-handles.js';
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
  /** Whether a signal ended it before it wrote a byte: it never took its image. */
  killedSilent = false;
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
      let overflowed = false;
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_OUTPUT_BYTES) {
          overflowed = true;
          child.stdout.destroy();
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
        this.killedSilent = signal !== null && size === 0;
        if (overflowed) {
          reject(new Error(`tesseract's hOCR output exceeded ${MAX_OUTPUT_BYTES} bytes`));
        } else if (code === 0) {
          resolve(pageFromHocr(Buffer.concat(chunks, size).toString('utf8')));
        } else {
          const said = stderr.trim().split('\n').at(-1);
          reject(
            new Error(`tesseract ended with ${signal ?? `code ${code}`}${said ? `: ${said}` : ''}`),
          );
        }
      });
    });
    // A standby ended before it was given a page (closed, or replaced) is nobody's failure.
    this.page.catch(() => undefined);
    // Nor does a process waiting for a page keep Node running (an engine left unclosed).
    keepNodeAliveFor(this.child, false);
  }

  /** Whether it has not ended, as far as Node has heard: a standby that died is not used. */
  get alive(): boolean {
    return !this.child.killed && this.child.exitCode === null && this.child.signalCode === null;
  }

  read(image: Buffer): Promise<RecognizedPage> {
    keepNodeAliveFor(this.child, true);
    this.child.stdin.end(image);
    return this.page;
  }

  kill(): void {
    this.child.kill('SIGKILL');
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
 * mostly share their model and resolution (a page's weak regions are read again with its model,
 * and the next page of a job is in its language), so the next read mostly finds its model
 * loaded, about 0.1 s sooner. A read with other arguments starts its own process, and the standby
 * is replaced by one with that read's arguments. Where every core is busy with pages, a standby
 * would only take its turn from them.
 */
export class TesseractCliEngine implements OcrEngine {
  /** Every process that has not ended: the reads under way and the standby. */
  private readonly processes = new Set<TesseractProcess>();
  private standby?: TesseractProcess;
  private closed = false;

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
    this.standby = undefined;
    const usableStandby = standby?.alive && sameArgs(standby.args, args) ? standby : undefined;
    if (standby && !usableStandby) {
      standby.kill();
    }
    const reader = usableStandby ?? this.start(args);
    const page = reader.read(image);
    if (this.options.standby && !this.closed) {
      try {
        this.standby = this.start(args);
      } catch {
        // A standby only saves time: one that cannot be started never fails a read.
      }
    }
    // A standby killed (from outside) just before it was given the image: read with a new one.
    return usableStandby
      ? page.catch((error: unknown) => {
          if (!reader.killedSilent || this.closed) {
            throw error;
          }
          return this.start(args).read(image);
        })
      : page;
  }

  /** Ends every process: the reads under way fail, and no standby is started again. */
  async close(): Promise<void> {
    this.closed = true;
    this.standby = undefined;
    const ending = [...this.processes];
    for (const tesseract of ending) {
      tesseract.kill();
    }
    await Promise.allSettled(ending.map((tesseract) => tesseract.page));
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
