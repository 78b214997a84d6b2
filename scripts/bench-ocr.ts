/**
 * OCR benchmark (`npm run bench:ocr`): over the whole synthetic fixture set, with 1 and 2
 * workers, prints pages per minute, seconds per page, character error rate, field and table cell
 * accuracy, /health/live latency and peak memory for
 * - the bare `tesseract` CLI (Debian's, installed with apt-get when missing), whose words go
 *   through the same extraction: the baseline;
 * - the app's page processing (child processes: decode, preprocess, OCR, extract) with the
 *   default engine (tesseract.js) and with the native one (OCR_ENGINE=tesseract-cli).
 * All read exactly the same bytes.
 */
import { ConfigService } from '@nestjs/config';
import { execFile, execSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { childProcessEnvironment, type OcrEngineName } from '../src/config/index.js';
import { INVOICE_FIELD_NAMES } from '../src/modules/ocr-pages/ocr-page.enums.js';
import { decodePage } from '../src/modules/processing/decode/decode-page.js';
import { rasterizePdfPage } from '../src/modules/processing/decode/pdf-page.js';
import { extractInvoiceFields } from '../src/modules/processing/extract/invoice-fields.js';
import { extractLineItems } from '../src/modules/processing/extract/line-items.js';
import { PageProcessorPool } from '../src/modules/processing/isolation/page-processor.pool.js';
import type {
  ExtractedFields,
  TableCellResult,
} from '../src/modules/processing/processing.types.js';
import { pageFromHocr } from '../src/modules/processing/recognize/hocr.js';
import {
  FIXTURE_SET,
  renderFixture,
  type RenderedFixture,
} from '../test/support/invoices/fixture-set.js';
import type { InvoiceTruth } from '../test/support/invoices/invoice-model.js';

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

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  let kib = 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kib * 1024 + children.reduce((sum, child) => sum + treeRss(child), 0);
  } catch {
    return kib * 1024;
  }
}

/**
 * What the API process sees while pages are processed: a `/health/live` answered by this
 * process's event loop (where the API would answer it), probed every 50 ms, and the peak
 * resident memory of this process and every process it started.
 */
async function observe<T>(
  work: () => Promise<T>,
): Promise<{ value: T; liveMs: number[]; peakRss: number }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health/live`;
  const liveMs: number[] = [];
  let peakRss = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const res = await fetch(url);
      await res.arrayBuffer();
      liveMs.push(performance.now() - started);
      peakRss = Math.max(peakRss, treeRss(process.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    const value = await work();
    return { value, liveMs, peakRss };
  } finally {
    running = false;
    await probe;
    server.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Run {
  engine: string;
  workers: number;
  ms: number;
  pages: number;
  scores: Score[];
  liveMs: number[];
  peakRss: number;
}

/** The app's page processing (child processes, as the API runs them) with one engine. */
async function runPipeline(
  engine: OcrEngineName,
  workers: number,
  fixtures: RenderedFixture[],
): Promise<Run> {
  const config = new ConfigService({
    PROCESSING_ENABLED: true,
    PROCESSING_CONCURRENCY: workers,
    PROCESSING_PAGE_TIMEOUT_MS: 300_000,
    PROCESSING_MEMORY_LIMIT_MB: 1024,
    PROCESSING_MAX_DOCUMENT_PAGES: 500,
    OCR_WORKER_RECYCLE_AFTER: 1000,
    OCR_ENGINE: engine,
  });
  const pool = new PageProcessorPool(config as never);
  await pool.onModuleInit();
  pool.warmUp();
  // Warm-up: the children start and load the model.
  await Promise.all(
    Array.from({ length: workers }, () =>
      pool.process(fixtures[0].image, new AbortController().signal),
    ),
  );
  const scores: Score[] = [];
  const observed = await observe(() =>
    timed(fixtures, workers, async (fixture) => {
      const result = await pool.process(fixture.image, new AbortController().signal);
      scores.push(
        score(
          { text: result.recognized.text, fields: result.extractedFields, cells: result.tableData },
          fixture,
        ),
      );
    }),
  );
  await pool.onApplicationShutdown();
  return {
    engine: `app pipeline, OCR_ENGINE=${engine}`,
    workers,
    ms: observed.value,
    pages: fixtures.length,
    scores,
    liveMs: observed.liveMs,
    peakRss: observed.peakRss,
  };
}

/** Debian's `tesseract` command on the same pages, nothing else; its words through the same extraction. */
async function runBareCli(
  workers: number,
  inputs: Array<{ fixture: RenderedFixture; file: string }>,
): Promise<Run> {
  const scores: Score[] = [];
  const observed = await observe(() =>
    timed(inputs, workers, async ({ fixture, file }) => {
      const { stdout } = await run(
        'tesseract',
        [file, 'stdout', '--psm', '3', '-l', 'eng', 'hocr'],
        {
          env: childProcessEnvironment({ OMP_THREAD_LIMIT: '1' }),
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      const page = pageFromHocr(stdout);
      const table = extractLineItems(page);
      const { fields } = extractInvoiceFields(page, { lineAmounts: table.lineAmounts });
      scores.push(score({ text: page.text, fields, cells: table.cells }, fixture));
    }),
  );
  return {
    engine: 'bare tesseract CLI (no preprocessing)',
    workers,
    ms: observed.value,
    pages: inputs.length,
    scores,
    liveMs: observed.liveMs,
    peakRss: observed.peakRss,
  };
}

function row(result: Run, baseline: Run | undefined): Record<string, string> {
  const sum = (pick: (s: Score) => number): number =>
    result.scores.reduce((total, s) => total + pick(s), 0);
  const pagesPerMinute = (result.pages / result.ms) * 60_000;
  const baselinePerMinute = baseline ? (baseline.pages / baseline.ms) * 60_000 : NaN;
  return {
    engine: result.engine,
    workers: String(result.workers),
    'pages/min': pagesPerMinute.toFixed(1),
    's/page': (result.ms / 1000 / result.pages).toFixed(2),
    '× CLI': baseline ? (pagesPerMinute / baselinePerMinute).toFixed(2) : '–',
    'CER (mean)': `${((sum((s) => s.cer) / result.scores.length) * 100).toFixed(2)} %`,
    'fields exact': `${((sum((s) => s.fieldsRight) / sum((s) => s.fieldsTotal)) * 100).toFixed(1)} %`,
    'table cells exact': `${((sum((s) => s.cellsRight) / sum((s) => s.cellsTotal)) * 100).toFixed(1)} %`,
    'live p50/p99/max ms': [50, 99, 100]
      .map((p) => percentile(result.liveMs, p).toFixed(1))
      .join(' / '),
    'peak RSS MiB': (result.peakRss / 1024 / 1024).toFixed(0),
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
  const native = ensureNativeTesseract();
  const runs: Run[] = [];
  const cli = new Map<number, Run>();
  const dir = mkdtempSync(join(tmpdir(), 'bench-ocr-'));
  try {
    if (native) {
      // The CLI reads neither PDF nor the BMP variant bmp-ts writes: those go as PNG, the same
      // pixels the app reads (PDFs rasterised at 300 DPI).
      const inputs = await Promise.all(
        fixtures.map(async (fixture, index) => {
          const convert = fixture.format.startsWith('pdf') || fixture.format === 'bmp';
          const file = join(dir, `${index}.${convert ? 'png' : fixture.extension}`);
          writeFileSync(file, convert ? await asPng(fixture.image) : fixture.image);
          return { fixture, file };
        }),
      );
      for (const workers of [1, 2]) {
        const bare = await runBareCli(workers, inputs);
        bare.engine = `bare ${native} CLI (no preprocessing)`;
        cli.set(workers, bare);
        runs.push(bare);
        console.log(
          `  done: ${bare.engine}, ${workers} worker(s), ${(bare.ms / 1000).toFixed(1)} s`,
        );
      }
    } else {
      console.log('Debian tesseract could not be installed: no CLI baseline, no native engine');
    }
    const engines: OcrEngineName[] = native ? ['tesseract.js', 'tesseract-cli'] : ['tesseract.js'];
    for (const engine of engines) {
      for (const workers of [1, 2]) {
        const result = await runPipeline(engine, workers, fixtures);
        runs.push(result);
        console.log(
          `  done: ${result.engine}, ${workers} worker(s), ${(result.ms / 1000).toFixed(1)} s`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    '\nOCR benchmark (same pages, same extraction; × CLI = pages/min over the bare CLI with as many workers):',
  );
  console.table(runs.map((result) => row(result, cli.get(result.workers))));
  console.log(
    '/health/live: answered by the process that runs the page processors, probed every 50 ms during each run. Peak RSS: that process and every process it started.',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
