/**
 * OCR benchmark (`npm run bench:ocr [-- --limit N] [-- --language de] [-- --workers 1|2]
 * [-- --wrong] [-- --default-engine-only] [-- --native-engine-only] [-- --show <document>]
 * [-- --slices N]`): runs the page pipeline (preprocess, language detection, tesseract.js,
 * reading order, field and table extraction) over the multilingual corpus (corpus/, ground truth
 * written by the generator) and prints, per language and overall: exact field accuracy (and per
 * field), CER against the reading-order truth text (and per layout), line-item cell F1, the share
 * of wrong fields held by the 10 % lowest-qualityScore pages, the share of fields with confidence
 * ≥ 0.9 that are right, and seconds per page. Then the same for the native engines
 * (OCR_ENGINE=tesseract-cli when Debian's tesseract is installed, and tesseract-api when
 * python3-tesserocr is too) and for Debian's `tesseract` CLI on the same pixels with the same
 * language, reading order and extraction.
 * `--wrong` also lists every wrong field of the app pipeline (document, language, layout, field,
 * expected, got, confidence, the page's qualityScore), lowest qualityScore first. `--slices N`:
 * how many consecutive slices the pages are read in (3; see main).
 *
 * The reading-order truth accepts what a person accepts: blocks printed side by side read block
 * by block or line by line across the page (the generator writes every such reading; a page's
 * CER is against the nearest one). Per document it also prints the share of the truth's words
 * found anywhere in the text: with a low CER that share tells a misread word from a word in the
 * wrong place. `--show` runs only the documents whose name contains the given text (or one of
 * several, comma-separated) and prints, for each, the truth and the text read line by line, the
 * table as printed and as read, and the wrong fields.
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
import sharp from 'sharp';
import { childProcessEnvironment, type OcrEngineName } from '../src/config/index.js';
import { INVOICE_FIELD_NAMES } from '../src/modules/ocr-pages/ocr-page.enums.js';
import { decodePage } from '../src/modules/processing/decode/decode-page.js';
import { rasterizePdfPage } from '../src/modules/processing/decode/pdf-page.js';
import { extractInvoiceFields } from '../src/modules/processing/extract/invoice-fields.js';
import { extractLineItems } from '../src/modules/processing/extract/line-items.js';
import { PageProcessorPool } from '../src/modules/processing/isolation/page-processor.pool.js';
import { childPids, residentBytes } from '../src/modules/processing/isolation/process-memory.js';
import type { PageStage, PageTimings } from '../src/modules/processing/pipeline/page-pipeline.js';
import type {
  ExtractedFields,
  TableCellResult,
} from '../src/modules/processing/processing.types.js';
import { pageFromHocr } from '../src/modules/processing/recognize/hocr.js';
import { TesseractApiEngine } from '../src/modules/processing/recognize/tesseract-api.engine.js';
import { BROWSER_CORPUS, renderBrowserCorpus } from '../corpus/browser-invoices.js';
import { CORPUS, renderFixture, type RenderedFixture } from '../corpus/fixture-set.js';
import { TESSERACT_MODELS, type PageLanguage } from '../src/modules/processing/extract/language.js';
import { readingOrderText } from '../src/modules/processing/extract/layout.js';
import type { InvoiceTruth } from '../corpus/invoice-model.js';

const run = promisify(execFile);

interface Reading {
  text: string;
  fields: ExtractedFields;
  cells: TableCellResult[];
  qualityScore?: number;
  language?: string;
  seconds?: number;
  /** Where the app pipeline's time went on this page (see PageTimings). */
  timings?: PageTimings;
}

/** One page's measurements against its ground truth. */
interface Score {
  fixture: RenderedFixture;
  language: string;
  layout: string;
  cer: number;
  /** What the page gave. */
  reading: Reading;
  /** The reading of the truth nearest to the text read. */
  truthText: string;
  /** Share of the truth's words found in the text read, in any order. */
  wordsFound: number;
  /** Per field: right, wrong (returned but different, or missing) for every field the truth has. */
  fields: {
    name: string;
    right: boolean;
    confidence: number | undefined;
    expected: unknown;
    got: unknown;
  }[];
  cellsTruth: number;
  cellsFound: number;
  cellsRight: number;
  qualityScore: number;
  seconds: number;
  detectedLanguage: string | undefined;
  timings?: PageTimings;
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

/**
 * Layout spacing is not text: runs of white space (including no-break spaces) count as one
 * space. The order of the text is kept: CER is measured against the reading-order truth.
 */
const normalise = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const cellText = (text: string): string =>
  text
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
    .toLowerCase();

/** Share of the words of `truth` found in `text`, each word of the text counted once. */
function wordsFound(text: string, truth: string): number {
  const available = new Map<string, number>();
  for (const word of normalise(text).split(' ')) {
    available.set(word, (available.get(word) ?? 0) + 1);
  }
  const words = normalise(truth).split(' ');
  let found = 0;
  for (const word of words) {
    const count = available.get(word) ?? 0;
    if (count > 0) {
      available.set(word, count - 1);
      found++;
    }
  }
  return found / Math.max(1, words.length);
}

function score(reading: Reading, fixture: RenderedFixture): Score {
  const read = normalise(reading.text);
  const [cer, truthText] = fixture.readings
    .map((text): [number, string] => [
      editDistance(read, normalise(text)) / Math.max(1, normalise(text).length),
      text,
    ])
    .reduce((best, next) => (next[0] < best[0] ? next : best));
  const truth = fixture.truth as InvoiceTruth & Record<string, unknown>;
  const fields = INVOICE_FIELD_NAMES.filter((name) => truth[name] !== undefined).map((name) => ({
    name,
    right: reading.fields[name]?.value === truth[name],
    confidence: reading.fields[name]?.confidence,
    expected: truth[name],
    got: reading.fields[name]?.value,
  }));
  const found = new Set(
    reading.cells.map((cell) => `${cell.rowIndex}:${cell.columnIndex}:${cellText(cell.cellText)}`),
  );
  let cellsTruth = 0;
  let cellsRight = 0;
  fixture.table.forEach((row, rowIndex) =>
    row.forEach((text, columnIndex) => {
      cellsTruth++;
      if (found.has(`${rowIndex}:${columnIndex}:${cellText(text)}`)) {
        cellsRight++;
      }
    }),
  );
  return {
    fixture,
    language: fixture.fixture.document?.language ?? 'en',
    layout: fixture.fixture.layoutName ?? String(fixture.fixture.options.layout ?? 'classic'),
    cer,
    reading,
    truthText,
    wordsFound: wordsFound(reading.text, truthText),
    fields,
    cellsTruth,
    cellsFound: reading.cells.length,
    cellsRight,
    qualityScore: reading.qualityScore ?? 0,
    seconds: reading.seconds ?? 0,
    detectedLanguage: reading.language,
    timings: reading.timings,
  };
}

const percent = (value: number, digits = 1): string => `${(value * 100).toFixed(digits)} %`;

/** The figures the issue asks for, over a group of pages. */
function figures(scores: readonly Score[]): Record<string, string> {
  const fields = scores.flatMap((s) => s.fields);
  const right = fields.filter((f) => f.right).length;
  const cellsTruth = scores.reduce((sum, s) => sum + s.cellsTruth, 0);
  const cellsFound = scores.reduce((sum, s) => sum + s.cellsFound, 0);
  const cellsRight = scores.reduce((sum, s) => sum + s.cellsRight, 0);
  const precision = cellsFound === 0 ? 0 : cellsRight / cellsFound;
  const recall = cellsTruth === 0 ? 0 : cellsRight / cellsTruth;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const confident = fields.filter((f) => (f.confidence ?? 0) >= 0.9);
  const wrongTotal = fields.length - right;
  const worst = [...scores]
    .sort((a, b) => a.qualityScore - b.qualityScore)
    .slice(0, Math.max(1, Math.round(scores.length / 10)));
  const wrongInWorst = worst.reduce((sum, s) => sum + s.fields.filter((f) => !f.right).length, 0);
  return {
    pages: String(scores.length),
    'fields exact': percent(fields.length === 0 ? 0 : right / fields.length),
    'CER (reading order)': percent(scores.reduce((sum, s) => sum + s.cer, 0) / scores.length, 2),
    'cell F1': f1.toFixed(3),
    'wrong fields in worst 10 % quality':
      wrongTotal === 0 ? '-' : percent(wrongInWorst / wrongTotal),
    'conf ≥ 0.9 right':
      confident.length === 0
        ? '-'
        : percent(confident.filter((f) => f.right).length / confident.length),
    's/page': (scores.reduce((sum, s) => sum + s.seconds, 0) / scores.length).toFixed(2),
  };
}

function groupBy(scores: readonly Score[], key: (s: Score) => string): Map<string, Score[]> {
  const groups = new Map<string, Score[]>();
  for (const s of scores) {
    groups.set(key(s), [...(groups.get(key(s)) ?? []), s]);
  }
  return groups;
}

function report(title: string, scores: readonly Score[]): void {
  console.log(`\n${title}: per language`);
  console.table(
    Object.fromEntries([
      ...[...groupBy(scores, (s) => s.language)].map(([k, v]) => [k, figures(v)]),
      ['all', figures(scores)],
    ]),
  );
  console.log(`${title}: CER and cell F1 per layout`);
  console.table(
    Object.fromEntries(
      [...groupBy(scores, (s) => s.layout)].map(([k, v]) => [
        k,
        {
          pages: v.length,
          'CER (reading order)': percent(v.reduce((a, s) => a + s.cer, 0) / v.length, 2),
          'cell F1': figures(v)['cell F1'],
          'fields exact': figures(v)['fields exact'],
        },
      ]),
    ),
  );
  console.log(`${title}: field accuracy per field`);
  console.table(
    Object.fromEntries(
      INVOICE_FIELD_NAMES.map((name) => {
        const all = scores.flatMap((s) => s.fields.filter((f) => f.name === name));
        return [
          name,
          {
            pages: all.length,
            exact: all.length === 0 ? '-' : percent(all.filter((f) => f.right).length / all.length),
          },
        ];
      }),
    ),
  );
}

/**
 * Every wrong field (a different value, or none where the truth has one), pages with the lowest
 * qualityScore first: what the worst-10 % share is made of, and where extraction goes wrong.
 */
function printWrongFields(scores: readonly Score[]): void {
  const rows = [...scores]
    .sort((a, b) => a.qualityScore - b.qualityScore)
    .flatMap((s) =>
      s.fields
        .filter((f) => !f.right)
        .map((f) => ({
          document: s.fixture.fixture.name,
          lang: s.language,
          layout: s.layout,
          field: f.name,
          expected: JSON.stringify(f.expected),
          got: f.got === undefined ? '(none)' : JSON.stringify(f.got),
          confidence: f.confidence?.toFixed(2) ?? '-',
          quality: s.qualityScore,
        })),
    );
  console.log(`\nWrong fields (app pipeline, ${rows.length}), lowest qualityScore first:`);
  console.table(rows);
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
  const { data, width, height } = decoded.pixels;
  return sharp(data, { raw: { width, height, channels: 1 } })
    .withDensity(decoded.working.dpi)
    .png()
    .toBuffer();
}

/** The Debian `tesseract` CLI's version line, or undefined when it is not installed. */
function nativeTesseract(): string | undefined {
  try {
    return execSync('tesseract --version 2>&1', { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** One timed run over the pages: wall time, the pages' scores, what the API process saw. */
interface Run {
  engine: string;
  workers: number;
  ms: number;
  scores: Score[];
  liveMs: number[];
  peakRss: number;
  /**
   * CPU time the pages took in the processes that read them (page processors and the
   * `tesseract` runs they or this process started), and in this process (the API's side of the
   * app pipeline, plus scoring, and the bare CLI's extraction).
   */
  cpuMs?: { readers: number; bench: number };
  /** Pages and wall time of each slice the run was made of (see `--slices`). */
  slices: Array<{ pages: number; ms: number }>;
}

/** The runs of one engine and worker count over every slice, as one run over all the pages. */
function joined(parts: Run[]): Run {
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const cpu = parts.map((part) => part.cpuMs);
  return {
    engine: parts[0].engine,
    workers: parts[0].workers,
    ms: sum(parts.map((part) => part.ms)),
    scores: parts.flatMap((part) => part.scores),
    liveMs: parts.flatMap((part) => part.liveMs),
    peakRss: Math.max(...parts.map((part) => part.peakRss)),
    ...(cpu.every((c) => c !== undefined) && {
      cpuMs: {
        readers: sum(cpu.map((c) => c.readers)),
        bench: sum(cpu.map((c) => c.bench)),
      },
    }),
    slices: parts.flatMap((part) => part.slices),
  };
}

/** Linux's clock ticks per second (`getconf CLK_TCK`), the unit of /proc/<pid>/stat times. */
const CLOCK_TICKS = 100;

/**
 * CPU time (user and system, in ms) from /proc/<pid>/stat, 0 where /proc cannot tell: of the
 * process itself and of its children it has waited for (with them, a page processor's figure
 * includes the `tesseract` runs it reaped), or of those children only.
 */
function cpuMsOf(pid: number | 'self', which: 'all' | 'children' = 'all'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces), from the state (field 3) on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const indexes = which === 'all' ? [11, 12, 13, 14] : [13, 14];
    const ticks = indexes.reduce((sum, index) => sum + Number(fields[index]), 0);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/**
 * CPU time (ms) of a process, of the children it has waited for, and of every process under it
 * still running: a long-lived child (tesseract-api's reading server) is counted before it ends.
 */
function treeCpuMs(pid: number): number {
  return cpuMsOf(pid) + childPids(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/** This process's own CPU time in ms (all its threads). */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Runs `work` over the pages while this process answers `/health/live` (where the API would),
 * probed every 50 ms, and the peak resident memory of this process and every process it started
 * is sampled.
 */
async function observed(
  engine: string,
  workers: number,
  items: RenderedFixture[],
  work: (fixture: RenderedFixture) => Promise<Score>,
): Promise<Run> {
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
      // A refused or reset probe counts as an answer that never came (Infinity): it is reported,
      // it does not end the run.
      const answered = await fetch(url)
        .then(async (res) => (await res.arrayBuffer(), res.ok))
        .catch(() => false);
      liveMs.push(answered ? performance.now() - started : Number.POSITIVE_INFINITY);
      peakRss = Math.max(peakRss, residentBytes(process.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const scores: Score[] = [];
  try {
    const ms = await timed(items, workers, async (fixture) => {
      scores.push(await work(fixture));
    });
    console.log(`  done: ${engine}, ${workers} worker(s), ${(ms / 1000).toFixed(1)} s`);
    return {
      engine,
      workers,
      ms,
      scores,
      liveMs,
      peakRss,
      slices: [{ pages: items.length, ms }],
    };
  } finally {
    running = false;
    await probe;
    server.close();
  }
}

/** The app's page processing (child processes, as the API runs them) with one OCR engine. */
async function runPipeline(
  engine: OcrEngineName,
  workers: number,
  fixtures: RenderedFixture[],
  /**
   * The page the children read before the timed run: it loads their models, and the pool starts
   * from its language, as it would after the page read before this slice in one run.
   */
  warmUpPage: RenderedFixture = fixtures[0],
): Promise<Run> {
  const pool = new PageProcessorPool(
    new ConfigService({
      PROCESSING_ENABLED: true,
      PROCESSING_CONCURRENCY: workers,
      PROCESSING_PAGE_TIMEOUT_MS: 300_000,
      PROCESSING_MEMORY_LIMIT_MB: 1024,
      PROCESSING_RSS_LIMIT_MB: 2048,
      PROCESSING_MAX_DOCUMENT_PAGES: 500,
      OCR_WORKER_RECYCLE_AFTER: 1000,
      OCR_ENGINE: engine,
      OCR_LANGUAGES: ['en', 'de', 'fr', 'nl', 'es', 'it'],
    }) as never,
  );
  await pool.onModuleInit();
  pool.warmUp();
  // Warm-up: the children start and load the model.
  await Promise.all(
    Array.from({ length: workers }, () =>
      pool.process(warmUpPage.image, new AbortController().signal),
    ),
  );
  const readersCpu = (): number => pool.processIds().reduce((sum, pid) => sum + treeCpuMs(pid), 0);
  try {
    const readersBefore = readersCpu();
    const benchBefore = ownCpuMs();
    const result = await observed(
      `app pipeline, OCR_ENGINE=${engine}`,
      workers,
      fixtures,
      async (f) => {
        const started = performance.now();
        const result = await pool.process(f.image, new AbortController().signal);
        return score(
          {
            text: result.recognized.text,
            fields: result.extractedFields,
            cells: result.tableData,
            qualityScore: result.qualityScore,
            language: result.language,
            seconds: (performance.now() - started) / 1000,
            timings: result.timings,
          },
          f,
        );
      },
    );
    return {
      ...result,
      cpuMs: { readers: readersCpu() - readersBefore, bench: ownCpuMs() - benchBefore },
    };
  } finally {
    await pool.onApplicationShutdown();
  }
}

/**
 * The pages as files for the CLI, each with the language the app detected on it. The CLI reads
 * no PDF: those go as PNG, the same pixels the app reads.
 */
async function cliInputs(
  fixtures: RenderedFixture[],
  appScores: Score[],
  dir: string,
): Promise<Map<RenderedFixture, { file: string; language: PageLanguage }>> {
  const inputs = new Map<RenderedFixture, { file: string; language: PageLanguage }>();
  for (const fixture of fixtures) {
    const convert = fixture.format.startsWith('pdf') || fixture.format === 'bmp';
    const file = join(
      dir,
      `${inputs.size}-${fixture.fixture.name}.${convert ? 'png' : fixture.extension}`,
    );
    writeFileSync(file, convert ? await asPng(fixture.image) : fixture.image);
    const language = appScores.find((s) => s.fixture === fixture)?.detectedLanguage ?? 'en';
    inputs.set(fixture, { file, language: language as PageLanguage });
  }
  return inputs;
}

/**
 * The bare `tesseract` CLI on the same pages, in the language the app detected, nothing else;
 * its words go through the same reading order and extraction.
 */
async function runBareCli(
  name: string,
  workers: number,
  inputs: Map<RenderedFixture, { file: string; language: PageLanguage }>,
): Promise<Run> {
  const readersBefore = cpuMsOf('self', 'children');
  const benchBefore = ownCpuMs();
  const result = await observed(
    `bare ${name} CLI (no preprocessing)`,
    workers,
    [...inputs.keys()],
    async (f) => {
      const { file, language } = inputs.get(f)!;
      const started = performance.now();
      const { stdout } = await run(
        'tesseract',
        [file, 'stdout', '--psm', '3', '-l', TESSERACT_MODELS[language], 'hocr'],
        { env: childProcessEnvironment({ OMP_THREAD_LIMIT: '1' }), maxBuffer: 64 * 1024 * 1024 },
      );
      const page = pageFromHocr(stdout);
      const table = extractLineItems(page);
      const { fields } = extractInvoiceFields(page, { lineItems: table, language });
      return score(
        {
          text: readingOrderText(page),
          fields,
          cells: table.cells,
          seconds: (performance.now() - started) / 1000,
          language,
        },
        f,
      );
    },
  );
  // The children this process waited for meanwhile are the `tesseract` runs.
  const readers = cpuMsOf('self', 'children') - readersBefore;
  return { ...result, cpuMs: { readers, bench: ownCpuMs() - benchBefore } };
}

/** `--show`: the truth beside what was read, line by line and cell by cell. */
function showDocument(s: Score): void {
  const numbered = (lines: readonly string[]): string =>
    lines.map((line, index) => `${String(index + 1).padStart(3)}  ${line}`).join('\n');
  console.log(`\n=== ${s.fixture.fixture.name} (CER ${percent(s.cer, 2)}) ===`);
  console.log(`--- truth (nearest reading) ---\n${numbered(s.truthText.split('\n'))}`);
  console.log(`--- read ---\n${numbered(s.reading.text.split('\n'))}`);
  console.log('--- table as printed ---');
  s.fixture.table.forEach((row, index) => console.log(`${index}: ${JSON.stringify(row)}`));
  console.log('--- table as read ---');
  const rows = new Map<number, string[]>();
  for (const cell of s.reading.cells) {
    const row = rows.get(cell.rowIndex) ?? [];
    row[cell.columnIndex] = cell.cellText;
    rows.set(cell.rowIndex, row);
  }
  [...rows].forEach(([index, row]) => console.log(`${index}: ${JSON.stringify(row)}`));
  const truth = s.fixture.truth as InvoiceTruth & Record<string, unknown>;
  for (const field of s.fields.filter((f) => !f.right)) {
    const value = s.reading.fields[field.name as keyof ExtractedFields]?.value;
    console.log(
      `wrong ${field.name}: ${JSON.stringify(value)}, truth ${JSON.stringify(truth[field.name])}`,
    );
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A speed row: pages/min against the bare CLI with as many workers, accuracy, what the API saw. */
function speedRow(result: Run, baseline: Run | undefined): Record<string, string> {
  const perMinute = (r: Run): number => (r.scores.length / r.ms) * 60_000;
  const accuracy = figures(result.scores);
  return {
    engine: result.engine,
    workers: String(result.workers),
    'pages/min': perMinute(result).toFixed(1),
    's/page': (result.ms / 1000 / result.scores.length).toFixed(2),
    'CPU ms/page (readers + bench)': result.cpuMs
      ? `${(result.cpuMs.readers / result.scores.length).toFixed(0)} + ${(result.cpuMs.bench / result.scores.length).toFixed(0)}`
      : '-',
    '× CLI': baseline ? (perMinute(result) / perMinute(baseline)).toFixed(2) : '-',
    '× CLI per slice': baseline
      ? result.slices
          .map((slice, index) => {
            const base = baseline.slices[index];
            return (slice.pages / slice.ms / (base.pages / base.ms)).toFixed(2);
          })
          .join(' ')
      : '-',
    CER: accuracy['CER (reading order)'],
    'fields exact': accuracy['fields exact'],
    'cell F1': accuracy['cell F1'],
    'live p50/p99/max ms': [50, 99, 100]
      .map((p) => percentile(result.liveMs, p).toFixed(1))
      .join(' / '),
    'peak RSS MiB': (result.peakRss / 1024 / 1024).toFixed(0),
  };
}

async function main(): Promise<void> {
  // `--corpus browser`: the documents Chromium lays out and draws (corpus/browser-invoices.ts)
  // instead of the generated corpus.
  const browser = option('corpus') === 'browser';
  const corpus: readonly { name: string; language?: string }[] = browser
    ? BROWSER_CORPUS
    : CORPUS.map((f) => ({ name: f.name, language: f.document?.language }));
  const limit = Number(option('limit') ?? corpus.length);
  const only = option('language');
  const show = option('show');
  const selected = new Set(
    corpus
      .filter((f) => only === undefined || f.language === only)
      .filter((f) => show === undefined || show.split(',').some((part) => f.name.includes(part)))
      .filter((_, index, list) => index % Math.max(1, Math.floor(list.length / limit)) === 0)
      .slice(0, limit)
      .map((f) => f.name),
  );
  const fixtures: RenderedFixture[] = browser
    ? await renderBrowserCorpus(BROWSER_CORPUS.filter((entry) => selected.has(entry.name)))
    : [];
  for (const fixture of browser ? [] : CORPUS.filter((f) => selected.has(f.name))) {
    fixtures.push(await renderFixture(fixture));
  }
  console.log(
    browser
      ? `Browser-drawn corpus: ${fixtures.length} of ${BROWSER_CORPUS.length} documents (en, de, fr, nl, es, it; four HTML templates laid out and drawn by Chromium; its born-digital PDFs, PNG and JPEG screenshots)`
      : `Corpus: ${fixtures.length} of ${CORPUS.length} documents (en, de, fr, nl, es, it; eight layouts; born-digital PDFs and scans)`,
  );

  // `--workers 1` or `--workers 2` runs with that many workers only (a loaded machine).
  const workers = option('workers');
  const workerCounts = workers === '1' || workers === '2' ? [Number(workers)] : [1, 2];
  // `--default-engine-only`: the default engine alone (no native engine, no bare CLI), for an
  // accuracy run on a busy machine.
  const native = process.argv.includes('--default-engine-only') ? undefined : nativeTesseract();
  // `--native-engine-only`: the native engines and the bare CLI, without the default engine (a
  // speed run on a busy machine; the pages' language comes from the first native engine then).
  const nativeOnly = native !== undefined && process.argv.includes('--native-engine-only');
  // tesseract-api where python3-tesserocr is installed too.
  const apiInstalled = await TesseractApiEngine.check(['en']).then(
    () => true,
    () => false,
  );
  const nativeEngines: OcrEngineName[] = native
    ? ['tesseract-cli', ...(apiInstalled ? (['tesseract-api'] as const) : [])]
    : [];
  const engines: OcrEngineName[] = nativeOnly ? nativeEngines : ['tesseract.js', ...nativeEngines];
  // Accuracy and per-page details are reported from the run with the most workers.
  const most = Math.max(...workerCounts);
  const withMostWorkers = (of: Run[], engine: OcrEngineName): Run =>
    of.find((r) => r.workers === most && r.engine.endsWith(`=${engine}`)) as Run;
  // `--slices N` (default 3): the pages are cut into N consecutive slices, and every engine and
  // worker count (and the bare CLI) reads a slice before any reads the next. How fast this machine
  // is drifts by minutes (other work shares its cores): alternating spreads the drift over every
  // engine alike, where one run over all pages per engine hands it to whichever ran in the slow
  // minutes. Each figure is the sum of its slices; `× CLI per slice` shows the spread.
  const wantedSlices = Number(option('slices') ?? 3);
  if (!Number.isInteger(wantedSlices) || wantedSlices < 1) {
    throw new Error(`--slices takes a whole number of at least 1, not ${option('slices')}`);
  }
  const sliceCount = Math.min(fixtures.length, wantedSlices);
  const slices = Array.from({ length: sliceCount }, (_, index) =>
    fixtures.slice(
      Math.floor((index * fixtures.length) / sliceCount),
      Math.floor(((index + 1) * fixtures.length) / sliceCount),
    ),
  );
  const sliceRuns: Run[][] = [];
  const cliDir = native ? mkdtempSync(join(tmpdir(), 'bench-ocr-')) : undefined;
  try {
    for (const [index, slice] of slices.entries()) {
      console.log(
        `Slice ${index + 1} of ${sliceCount}: ${slice.length} document${slice.length === 1 ? '' : 's'}`,
      );
      const runsOfSlice: Run[] = [];
      for (const engine of engines) {
        for (const workers of workerCounts) {
          runsOfSlice.push(
            await runPipeline(engine, workers, slice, slices[index - 1]?.at(-1) ?? slice[0]),
          );
        }
      }
      if (native && cliDir) {
        // The CLI reads each page in the language the app detected (with the most workers).
        const detected = withMostWorkers(runsOfSlice, engines[0]).scores;
        const inputs = await cliInputs(slice, detected, cliDir);
        for (const workers of workerCounts) {
          runsOfSlice.push(await runBareCli(native, workers, inputs));
        }
      }
      sliceRuns.push(runsOfSlice);
    }
  } finally {
    if (cliDir) {
      rmSync(cliDir, { recursive: true, force: true });
    }
  }
  // Every slice ran the same configurations in the same order.
  const runs = sliceRuns[0].map((_, index) => joined(sliceRuns.map((slice) => slice[index])));
  const order = new Map(fixtures.map((fixture, index) => [fixture, index]));
  for (const r of runs) {
    r.scores.sort((a, b) => order.get(a.fixture)! - order.get(b.fixture)!);
  }
  const appScores = withMostWorkers(runs, engines[0]).scores;
  report(`App pipeline (${engines[0]}, language per page)`, appScores);
  const detected = appScores.filter((s) => s.detectedLanguage === s.language).length;
  console.log(`Language detected right on ${detected}/${appScores.length} pages`);
  // What a language costs: OCR pages only (a text-layer PDF is read without OCR in any language).
  // A page is read with the model of the previous page's language first, and once more only when
  // it is in another language.
  const perLanguageSeconds = [
    ...groupBy(
      appScores.filter((s) => s.fixture.format !== 'pdf-text'),
      (s) => s.language,
    ),
  ].map(([k, v]) => `${k}: ${(v.reduce((a, s) => a + s.seconds, 0) / v.length).toFixed(2)} s/page`);
  console.log(
    `OCR pages (not text-layer PDFs), mean time per page per language with ${most} worker(s): ${perLanguageSeconds.join(', ')}`,
  );
  console.log('\nPer document (app pipeline):');
  console.table(
    appScores.map((s) => ({
      document: s.fixture.fixture.name,
      lang: s.detectedLanguage,
      'CER %': (s.cer * 100).toFixed(1),
      'words found %': (s.wordsFound * 100).toFixed(1),
      fields: `${s.fields.filter((f) => f.right).length}/${s.fields.length}`,
      wrong: s.fields
        .filter((f) => !f.right)
        .map((f) => f.name)
        .join(' '),
      cells: `${s.cellsRight}/${s.cellsTruth}`,
      quality: s.qualityScore,
    })),
  );

  if (show !== undefined) {
    appScores.forEach(showDocument);
  }
  if (process.argv.includes('--wrong')) {
    printWrongFields(appScores);
  }

  const cli = new Map<number, Run>(
    runs.filter((r) => r.engine.startsWith('bare ')).map((r) => [r.workers, r]),
  );
  if (native) {
    for (const engine of nativeEngines.filter((e) => e !== engines[0])) {
      report(
        `App pipeline (OCR_ENGINE=${engine}, language per page)`,
        withMostWorkers(runs, engine).scores,
      );
    }
    report(
      `${native} CLI (no preprocessing, same language, same reading order and extraction)`,
      cli.get(most)!.scores,
    );
  } else if (process.argv.includes('--default-engine-only')) {
    console.log('\n--default-engine-only: no native engine, no CLI comparison.');
  } else {
    console.log(
      '\nDebian tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-{eng,deu,fra,nld,spa,ita}): no CLI comparison, no native engine.',
    );
  }

  console.log(
    '\nSpeed on the same pages (× CLI: pages/min over the bare CLI with as many workers; /health/live answered by the process running the page processors, probed every 50 ms; peak RSS of that process and all it started):',
  );
  console.table(runs.map((result) => speedRow(result, cli.get(result.workers))));

  console.log(
    "\nWhere a page's time goes in the app pipeline (mean ms per page in each stage, measured in the page processor; and OCR reads per page):",
  );
  console.table(runs.filter((r) => r.scores.some((s) => s.timings)).map(stageRow));
}

const STAGES: readonly PageStage[] = ['decode', 'analyse', 'prepare', 'recognize', 'extract'];

/** Mean time per stage over a run's pages, for OCR pages and text-layer PDFs apart. */
function stageRow(result: Run): Record<string, string> {
  const timed = result.scores.filter((s) => s.timings);
  const ocrPages = timed.filter((s) => s.timings!.ocrReads > 0);
  const mean = (values: number[]): string =>
    values.length === 0 ? '-' : (values.reduce((a, b) => a + b, 0) / values.length).toFixed(0);
  return {
    engine: result.engine,
    workers: String(result.workers),
    ...Object.fromEntries(
      STAGES.map((stage) => [`${stage} ms`, mean(ocrPages.map((s) => s.timings!.ms[stage]))]),
    ),
    'OCR reads/page': (
      ocrPages.reduce((a, s) => a + s.timings!.ocrReads, 0) / Math.max(1, ocrPages.length)
    ).toFixed(2),
    'OCR pages': String(ocrPages.length),
    'text-layer pages: total ms': mean(
      timed
        .filter((s) => s.timings!.ocrReads === 0)
        .map((s) => STAGES.reduce((sum, stage) => sum + s.timings!.ms[stage], 0)),
    ),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
