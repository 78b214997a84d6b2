/**
 * OCR benchmark (`npm run bench:ocr [-- --limit N] [-- --language de]`): runs the page pipeline
 * (preprocess, language detection, tesseract.js, reading order, field and table extraction) over
 * the multilingual corpus (corpus/, ground truth written by the generator) and prints, per
 * language and overall: exact field accuracy (and per field), CER against the reading-order
 * truth text (and per layout), line-item cell F1, the share of wrong fields held by the 10 %
 * lowest-qualityScore pages, the share of fields with confidence ≥ 0.9 that are right, and
 * seconds per page. Then the same for Debian's `tesseract` CLI on the same pixels with the same
 * language, reading order and extraction, when it is installed.
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
}

/** One page's measurements against its ground truth. */
interface Score {
  fixture: RenderedFixture;
  language: string;
  layout: string;
  cer: number;
  /** Per field: right, wrong (returned but different, or missing) for every field the truth has. */
  fields: { name: string; right: boolean; confidence: number | undefined }[];
  cellsTruth: number;
  cellsFound: number;
  cellsRight: number;
  qualityScore: number;
  seconds: number;
  detectedLanguage: string | undefined;
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

function score(reading: Reading, fixture: RenderedFixture): Score {
  const truthText = normalise(fixture.text);
  const cer = editDistance(normalise(reading.text), truthText) / Math.max(1, truthText.length);
  const truth = fixture.truth as InvoiceTruth & Record<string, unknown>;
  const fields = INVOICE_FIELD_NAMES.filter((name) => truth[name] !== undefined).map((name) => ({
    name,
    right: reading.fields[name]?.value === truth[name],
    confidence: reading.fields[name]?.confidence,
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
    layout: String(fixture.fixture.options.layout ?? 'classic'),
    cer,
    fields,
    cellsTruth,
    cellsFound: reading.cells.length,
    cellsRight,
    qualityScore: reading.qualityScore ?? 0,
    seconds: reading.seconds ?? 0,
    detectedLanguage: reading.language,
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
  console.log(`${title}: CER per layout`);
  console.table(
    Object.fromEntries(
      [...groupBy(scores, (s) => s.layout)].map(([k, v]) => [
        k,
        {
          pages: v.length,
          'CER (reading order)': percent(v.reduce((a, s) => a + s.cer, 0) / v.length, 2),
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

async function main(): Promise<void> {
  const limit = Number(option('limit') ?? CORPUS.length);
  const only = option('language');
  const selected = CORPUS.filter((f) => only === undefined || f.document?.language === only)
    .filter((_, index, list) => index % Math.max(1, Math.floor(list.length / limit)) === 0)
    .slice(0, limit);
  const fixtures: RenderedFixture[] = [];
  for (const fixture of selected) {
    fixtures.push(await renderFixture(fixture));
  }
  console.log(
    `Corpus: ${fixtures.length} of ${CORPUS.length} documents (en, de, fr, nl, es, it; eight layouts; born-digital PDFs and scans)`,
  );

  // The app's pipeline, with tesseract.js workers as the API runs them (2 in parallel).
  const config = new ConfigService({
    PROCESSING_CONCURRENCY: 2,
    OCR_WORKER_RECYCLE_AFTER: 50,
    OCR_LANGUAGES: ['en', 'de', 'fr', 'nl', 'es', 'it'],
  });
  const engine = new TesseractOcrEngine(config as never);
  await engine.onModuleInit();
  const pipeline = new PagePipeline(engine, config as never);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const appScores: Score[] = [];
  const ms = await timed(fixtures, 2, async (fixture) => {
    const started = performance.now();
    const result = await pipeline.process(fixture.image, new AbortController().signal);
    appScores.push(
      score(
        {
          text: result.recognized.text,
          fields: result.extractedFields,
          cells: result.tableData,
          qualityScore: result.qualityScore,
          language: result.language,
          seconds: (performance.now() - started) / 1000,
        },
        fixture,
      ),
    );
  });
  loopDelay.disable();
  await engine.onApplicationShutdown();
  report('App pipeline (tesseract.js, language per page)', appScores);
  const detected = appScores.filter((s) => s.detectedLanguage === s.language).length;
  console.log(
    `Language detected right on ${detected}/${appScores.length} pages; ${((fixtures.length / ms) * 60_000).toFixed(1)} pages/min with 2 workers`,
  );
  const perLanguageSeconds = [
    ...groupBy(
      appScores.filter((s) => s.fixture.format !== 'pdf-text'),
      (s) => (s.language === 'en' ? 'English' : 'other languages'),
    ),
  ].map(([k, v]) => `${k}: ${(v.reduce((a, s) => a + s.seconds, 0) / v.length).toFixed(2)} s/page`);
  console.log(
    `OCR pages (not text-layer PDFs), mean time per page: ${perLanguageSeconds.join(', ')}`,
  );
  console.log('\nPer document (app pipeline):');
  console.table(
    appScores.map((s) => ({
      document: s.fixture.fixture.name,
      lang: s.detectedLanguage,
      'CER %': (s.cer * 100).toFixed(1),
      fields: `${s.fields.filter((f) => f.right).length}/${s.fields.length}`,
      wrong: s.fields
        .filter((f) => !f.right)
        .map((f) => f.name)
        .join(' '),
      cells: `${s.cellsRight}/${s.cellsTruth}`,
      quality: s.qualityScore,
    })),
  );

  const native = nativeTesseract();
  if (native) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-ocr-'));
    try {
      const inputs = await Promise.all(
        fixtures.map(async (fixture, index) => {
          // The CLI reads no PDF: those go as PNG, the same pixels the app reads.
          const convert = fixture.format.startsWith('pdf') || fixture.format === 'bmp';
          const file = join(dir, `${index}.${convert ? 'png' : fixture.extension}`);
          writeFileSync(file, convert ? await asPng(fixture.image) : fixture.image);
          return { fixture, file };
        }),
      );
      const nativeScores: Score[] = [];
      await timed(inputs, 2, async ({ fixture, file }) => {
        const started = performance.now();
        const language = appScores.find((s) => s.fixture === fixture)?.detectedLanguage ?? 'en';
        const model = TESSERACT_MODELS[language as PageLanguage];
        const { stdout } = await run(
          'tesseract',
          [file, 'stdout', '--psm', '3', '-l', model, 'tsv'],
          {
            env: { ...process.env, OMP_THREAD_LIMIT: '1' },
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        const page = pageFromTsv(stdout);
        const table = extractLineItems(page);
        const { fields } = extractInvoiceFields(page, { lineItems: table, language });
        nativeScores.push(
          score(
            {
              text: readingOrderText(page),
              fields,
              cells: table.cells,
              seconds: (performance.now() - started) / 1000,
              language,
            },
            fixture,
          ),
        );
      });
      report(
        `${native} CLI (no preprocessing, same language, same reading order and extraction)`,
        nativeScores,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    console.log(
      '\nDebian tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-{deu,fra,nld,spa,ita}): no CLI comparison.',
    );
  }
  console.log(
    `\nEvent loop while the app pipeline ran: p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
