import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { childProcessEnvironment } from '../../../config/index.js';
import { TESSERACT_MODELS, type PageLanguage } from '../extract/language.js';
import type { RecognizedPage } from '../processing.types.js';
import { pageFromHocr } from './hocr.js';
import type { OcrEngine, RecognizeOptions } from './ocr-engine.js';

/** Largest hOCR output read from tesseract (a dense A4 page is well under 1 MiB). */
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

/**
 * The system's `tesseract` command (Debian: `apt-get install tesseract-ocr tesseract-ocr-eng`)
 * behind the OcrEngine interface: native code, faster than WebAssembly. Each page is one
 * `tesseract stdin stdout -l <model> hocr` run, whose hOCR gives the same blocks, lines, words,
 * boxes and confidences as tesseract.js. One OpenMP thread per run: pages run side by side instead.
 */
export class TesseractCliEngine implements OcrEngine {
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(private readonly languages: readonly PageLanguage[]) {}

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
    return new Promise((resolve, reject) => {
      const child = spawn(
        'tesseract',
        [
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
        ],
        {
          env: childProcessEnvironment({ OMP_THREAD_LIMIT: '1' }),
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      this.running.add(child);
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
      child.on('error', (error) => {
        this.running.delete(child);
        reject(error);
      });
      child.on('close', (code, signal) => {
        this.running.delete(child);
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
      child.stdin.end(image);
    });
  }

  close(): Promise<void> {
    for (const child of this.running) {
      child.kill('SIGKILL');
    }
    return Promise.resolve();
  }
}
