/**
 * OCR benchmark (`npm run bench:ocr`): runs the page pipeline (preprocess, tesseract.js, field
 * and table extraction) over the whole synthetic fixture set and prints character error rate,
 * field accuracy, table cell accuracy and pages per minute with 1 and 2 workers, next to Debian's
 * native `tesseract` command on the same images (installed with apt-get when missing), whose
 * words go through the same extraction. Both read exactly the same bytes.
 */
import { ConfigService } from '@nestjs/config';
import { execFile, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { BlockType, INVOICE_FIELD_NAMES } from '../src/modules/ocr-pages/ocr-page.enums.js';
import { decodePage } from '../src/modules/processing/decode/decode-page.js';
import { rasterizePdfPage } from '../src/modules/processing/decode/pdf-page.js';
import { extractInvoiceFields } from '../src/modules/processing/extract/invoice-fields.js';
import { extractLineItems } from '../src/modules/processing/extract/line-items.js';
import { PagePipeline } from '../src/modules/processing/pipeline/page-pipeline.js';
import type {
  ExtractedFields,
  RecognizedLine,
  RecognizedPage,
  TableCellResult,
} from '../src/modules/processing/processing.types.js';
import { TesseractOcrEngine } from '../src/modules/processing/recognize/tesseract-ocr.engine.js';
import {
  FIXTURE_SET,
  renderFixture,
  type RenderedFixture,
} from '../corpus/fixture-set.js';
import type { InvoiceTruth } from '../corpus/invoice-model.js';

const run = promisify(execFile);

interface Reading {
  text: string;
  fields: ExtractedFields;
  cells: TableCellResult[];
}

interface Score {
  cer: number;
  fieldsRight: number;
  fieldsTotal: number;
  cellsRight: number;
  cellsTotal: number;
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** Layout spacing is not text: runs of white space count as one space. */
const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim();
const cellText = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase();

function score(reading: Reading, fixture: RenderedFixture): Score {
  const truthText = normalise(fixture.text);
  const cer = editDistance(normalise(reading.text), truthText) / Math.max(1, truthText.length);
  const truth = fixture.truth as InvoiceTruth & Record<string, unknown>;
  let fieldsRight = 0;
  let fieldsTotal = 0;
  for (const name of INVOICE_FIELD_NAMES) {
    if (truth[name] === undefined) {
      continue;
    }
    fieldsTotal++;
    if (reading.fields[name]?.value === truth[name]) {
      fieldsRight++;
    }
  }
  const cells = new Map(
    reading.cells.map((cell) => [`${cell.rowIndex}:${cell.columnIndex}`, cellText(cell.cellText)]),
  );
  let cellsRight = 0;
  let cellsTotal = 0;
  fixture.table.forEach((row, rowIndex) =>
    row.forEach((text, columnIndex) => {
      cellsTotal++;
      if (cells.get(`${rowIndex}:${columnIndex}`) === cellText(text)) {
        cellsRight++;
      }
    }),
  );
  return { cer, fieldsRight, fieldsTotal, cellsRight, cellsTotal };
}

/** Runs `work` over `items` with `concurrency` in flight; returns the wall time in ms. */
async function timed<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<number> {
  const queue = [...items];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
        await work(item);
      }
    }),
  );
  return performance.now() - start;
}

/** The native tesseract's TSV words as a RecognizedPage (one block per tesseract line). */
function pageFromTsv(tsv: string): RecognizedPage {
  const lines = new Map<string, RecognizedLine>();
  for (const row of tsv.split('\n').slice(1)) {
    const [level, , block, paragraph, line, , left, top, width, height, conf, ...rest] =
      row.split('\t');
    const text = rest.join('\t').trim();
    if (level !== '5' || !text) {
      continue;
    }
    const key = `${block}.${paragraph}.${line}`;
    const word = {
      text,
      confidence: Math.max(0, Number(conf)) / 100,
      box: { x: +left, y: +top, width: +width, height: +height },
    };
    const existing = lines.get(key);
    if (existing) {
      existing.words.push(word);
    } else {
      lines.set(key, { text: '', confidence: 0, box: word.box, words: [word] });
    }
  }
  const blocks = [...lines.values()].map((line) => {
    const x = Math.min(...line.words.map((w) => w.box.x));
    const y = Math.min(...line.words.map((w) => w.box.y));
    const right = Math.max(...line.words.map((w) => w.box.x + w.box.width));
    const bottom = Math.max(...line.words.map((w) => w.box.y + w.box.height));
    const done: RecognizedLine = {
      text: line.words.map((w) => w.text).join(' '),
      confidence: line.words.reduce((s, w) => s + w.confidence, 0) / line.words.length,
      box: { x, y, width: right - x, height: bottom - y },
      words: line.words,
    };
    return {
      text: done.text,
      confidence: done.confidence,
      box: done.box,
      blockType: BlockType.Text,
      lines: [done],
    };
  });
  const words = blocks.flatMap((b) => b.lines[0].words);
  return {
    text: blocks.map((b) => b.text).join('\n'),
    confidence: words.reduce((s, w) => s + w.confidence, 0) / Math.max(1, words.length),
    blocks,
  };
}

async function asPng(bytes: Buffer): Promise<Buffer> {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return rasterizePdfPage(bytes);
  }
  const decoded = await decodePage(bytes);
  if (decoded.kind !== 'image') {
    throw new Error('expected an image');
  }
  return decoded.png;
}

function ensureNativeTesseract(): string | undefined {
  const version = (): string =>
    execSync('tesseract --version 2>&1', { encoding: 'utf8' }).split('\n')[0];
  try {
    return version();
  } catch {
    try {
      console.log('Installing Debian tesseract-ocr for the baseline…');
      execSync(
        'apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng > /dev/null',
        { stdio: 'inherit' },
      );
      return version();
    } catch {
      return undefined;
    }
  }
}

function summarise(
  name: string,
  scores: Score[],
  pagesPerMinute: Record<number, number>,
): Record<string, string> {
  const sum = (pick: (s: Score) => number): number =>
    scores.reduce((total, s) => total + pick(s), 0);
  return {
    engine: name,
    'CER (mean)': `${((sum((s) => s.cer) / scores.length) * 100).toFixed(2)} %`,
    'fields exact': `${((sum((s) => s.fieldsRight) / sum((s) => s.fieldsTotal)) * 100).toFixed(1)} %`,
    'table cells exact': `${((sum((s) => s.cellsRight) / sum((s) => s.cellsTotal)) * 100).toFixed(1)} %`,
    'pages/min, 1 worker': pagesPerMinute[1].toFixed(1),
    'pages/min, 2 workers': pagesPerMinute[2].toFixed(1),
  };
}

async function main(): Promise<void> {
  const fixtures: RenderedFixture[] = [];
  for (const fixture of FIXTURE_SET) {
    fixtures.push(await renderFixture(fixture));
  }
  console.log(
    `Fixture set: ${fixtures.length} synthetic invoice pages (layouts, fonts, DPI, skew, rotation, noise, blur, JPEG, every format)`,
  );

  // The app's pipeline, with tesseract.js workers as the API runs them.
  const appScores = new Map<string, Score>();
  const appSpeed: Record<number, number> = {};
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  for (const workers of [1, 2]) {
    const config = new ConfigService({
      PROCESSING_CONCURRENCY: workers,
      OCR_WORKER_RECYCLE_AFTER: 50,
    });
    const engine = new TesseractOcrEngine(config as never);
    await engine.onModuleInit();
    const pipeline = new PagePipeline(engine);
    // Warm-up: worker threads start and load the model.
    await Promise.all(
      Array.from({ length: workers }, () =>
        pipeline.process(fixtures[0].image, new AbortController().signal),
      ),
    );
    if (workers === 1) {
      loopDelay.enable();
    }
    const ms = await timed(fixtures, workers, async (fixture) => {
      const result = await pipeline.process(fixture.image, new AbortController().signal);
      appScores.set(
        fixture.fileName,
        score(
          { text: result.recognized.text, fields: result.extractedFields, cells: result.tableData },
          fixture,
        ),
      );
    });
    loopDelay.disable();
    appSpeed[workers] = (fixtures.length / ms) * 60_000;
    await engine.onApplicationShutdown();
  }

  const rows = [
    summarise('app pipeline (tesseract.js + preprocessing)', [...appScores.values()], appSpeed),
  ];
  const perFixture = fixtures.map((f) => {
    const s = appScores.get(f.fileName)!;
    return {
      fixture: f.fixture.name,
      'CER %': (s.cer * 100).toFixed(1),
      fields: `${s.fieldsRight}/${s.fieldsTotal}`,
      cells: `${s.cellsRight}/${s.cellsTotal}`,
    };
  });

  console.log('\nPer fixture (app pipeline):');
  console.table(perFixture);

  const native = ensureNativeTesseract();
  if (native) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-ocr-'));
    try {
      // Same bytes; PDFs are rasterised at 300 DPI since the CLI does not read PDF.
      const inputs = await Promise.all(
        fixtures.map(async (fixture, index) => {
          // The CLI reads neither PDF nor the BMP variant bmp-ts writes: those go as PNG, the
          // same pixels the app reads.
          const convert = fixture.format.startsWith('pdf') || fixture.format === 'bmp';
          const file = join(dir, `${index}.${convert ? 'png' : fixture.extension}`);
          writeFileSync(file, convert ? await asPng(fixture.image) : fixture.image);
          return { fixture, file };
        }),
      );
      const nativeScores = new Map<string, Score>();
      const nativeSpeed: Record<number, number> = {};
      for (const workers of [1, 2]) {
        const ms = await timed(inputs, workers, async ({ fixture, file }) => {
          const { stdout } = await run(
            'tesseract',
            [file, 'stdout', '--psm', '3', '-l', 'eng', 'tsv'],
            {
              env: { ...process.env, OMP_THREAD_LIMIT: '1' },
              maxBuffer: 64 * 1024 * 1024,
            },
          );
          const page = pageFromTsv(stdout);
          const table = extractLineItems(page);
          const { fields } = extractInvoiceFields(page, { lineAmounts: table.lineAmounts });
          nativeScores.set(
            fixture.fileName,
            score({ text: page.text, fields, cells: table.cells }, fixture),
          );
        });
        nativeSpeed[workers] = (inputs.length / ms) * 60_000;
      }
      rows.push(
        summarise(
          `${native} CLI (no preprocessing), same extraction`,
          [...nativeScores.values()],
          nativeSpeed,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    console.log('Debian tesseract could not be installed: no baseline');
  }

  console.log('\nOCR benchmark (2 cores):');
  console.table(rows);
  console.log(
    `Event loop while the app pipeline ran (1 worker): p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
