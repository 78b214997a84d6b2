/**
 * A second corpus, drawn by a browser: the corpus documents (same seeded truths and print styles)
 * written as HTML with their own templates and laid out, typeset and rasterised by Chromium, not
 * by this project's page builder. Real invoices come out of word processors, browsers and
 * reporting tools; these pages carry what those do and the page builder does not: text wrapped
 * by a layout engine, kerning and ligatures (a born-digital PDF splits words into several runs),
 * tables with rules and shaded or inverted header rows, a sidebar, label-above-value blocks, a
 * monospace till receipt.
 *
 * The ground truth does not come from the templates' own idea of the layout either: the text is
 * read back from where Chromium placed every word (one visual line per line, left to right;
 * blocks marked `data-block` that sit side by side give the block-by-block reading too), and the
 * table from the printed item table's cells.
 */
import { chromium, type Browser } from 'playwright-core';
import {
  buildDocument,
  type CorpusDocument,
  type DocumentKind,
  type RegionKey,
} from './documents.js';
import type { RenderedFixture } from './fixture-set.js';
import type { InvoiceFormat } from './render-invoice.js';
import type { Language } from './vocabulary.js';

export type BrowserTemplate = 'banner' | 'boxed' | 'sidebar' | 'till';
type BrowserFormat = Extract<InvoiceFormat, 'pdf-text' | 'png' | 'jpeg'>;

interface BrowserDocument {
  name: string;
  seed: number;
  region: RegionKey;
  kind: DocumentKind;
  language: Language;
  template: BrowserTemplate;
  format: BrowserFormat;
  /** Raster resolution (PNG and JPEG); a PDF is vector. */
  dpi: number;
}

const A4_CSS_WIDTH = 794;
const A4_CSS_HEIGHT = 1123;
const CSS_DPI = 96;

/** Two documents per language, every template and format, regions and kinds mixed. */
const PLAN: readonly [Language, RegionKey, DocumentKind, BrowserTemplate, BrowserFormat, number][] =
  [
    ['en', 'uk', 'invoice', 'banner', 'pdf-text', 0],
    ['en', 'in', 'tax-invoice', 'sidebar', 'png', 200],
    ['en', 'us', 'receipt', 'till', 'jpeg', 200],
    ['de', 'de', 'invoice', 'boxed', 'png', 200],
    ['de', 'at', 'invoice', 'sidebar', 'pdf-text', 0],
    ['de', 'ch', 'credit-note', 'banner', 'jpeg', 150],
    ['fr', 'fr', 'invoice', 'sidebar', 'jpeg', 200],
    ['fr', 'fr', 'credit-note', 'boxed', 'pdf-text', 0],
    ['fr', 'fr', 'receipt', 'till', 'png', 200],
    ['nl', 'nl', 'invoice', 'banner', 'png', 200],
    ['nl', 'be', 'invoice', 'boxed', 'jpeg', 150],
    ['nl', 'nl', 'receipt', 'till', 'pdf-text', 0],
    ['es', 'es', 'invoice', 'boxed', 'png', 150],
    ['es', 'es', 'invoice', 'banner', 'pdf-text', 0],
    ['es', 'es', 'credit-note', 'sidebar', 'jpeg', 200],
    ['it', 'it', 'invoice', 'sidebar', 'png', 200],
    ['it', 'it', 'invoice', 'boxed', 'jpeg', 200],
    ['it', 'it', 'receipt', 'till', 'png', 150],
  ];

export const BROWSER_CORPUS: readonly BrowserDocument[] = PLAN.map(
  ([language, region, kind, template, format, dpi], index) => ({
    name: `browser-${language}-${String(index + 1).padStart(2, '0')}-${template}-${region}-${format}${dpi ? `-${dpi}` : ''}`,
    seed: 5000 + index,
    region,
    kind,
    language,
    template,
    format,
    dpi,
  }),
);

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The document's fields as label/value pairs, in the order invoices print them. */
function details({ truth, style }: CorpusDocument): [string, string][] {
  const labels = style.labels;
  return [
    [labels.number, truth.invoiceNumber],
    [labels.invoiceDate, style.date(truth.invoiceDate)],
    ...(truth.dueDate ? [[labels.dueDate, style.date(truth.dueDate)] as [string, string]] : []),
    ...(truth.purchaseOrder
      ? [[labels.purchaseOrder, truth.purchaseOrder] as [string, string]]
      : []),
  ];
}

function itemRows({ truth, style }: CorpusDocument): string {
  return truth.lineItems
    .map(
      (item) =>
        `<tr><td>${escape(item.description)}</td><td class="n">${style.quantity(item.quantity)}</td>` +
        `<td class="n">${escape(style.amount(item.unitPrice))}</td><td class="n">${escape(style.amount(item.amount))}</td></tr>`,
    )
    .join('');
}

function itemHeader({ style }: CorpusDocument): string {
  return style.labels.header
    .map((text, index) => `<th${index > 0 ? ' class="n"' : ''}>${escape(text)}</th>`)
    .join('');
}

function totals({ truth, style }: CorpusDocument): [string, string][] {
  return [
    [style.labels.subtotal, style.money(truth.subtotal)],
    [style.labels.tax, style.money(truth.taxAmount)],
    [style.labels.total, style.money(truth.totalAmount)],
  ];
}

function vendorAddress({ truth, style }: CorpusDocument): string[] {
  return [
    truth.vendorAddress.street,
    truth.vendorAddress.city,
    truth.vendorAddress.country,
    ...(truth.vendorTaxId ? [`${style.labels.taxId} ${truth.vendorTaxId}`] : []),
  ];
}

function customer({ truth, style }: CorpusDocument): string {
  if (!truth.customerName) {
    return '';
  }
  return `<p class="label">${escape(style.labels.customer)}</p><p>${[
    truth.customerName,
    truth.customerAddress.street,
    truth.customerAddress.city,
  ]
    .map(escape)
    .join('<br>')}</p>`;
}

function footer({ truth, style }: CorpusDocument): string {
  const parts = [
    truth.vendorName,
    style.domain,
    style.iban ? `IBAN ${style.iban}` : style.phoneNumber,
  ];
  return parts.map(escape).join(' · ');
}

const BASE_CSS = `
  * { box-sizing: border-box; }
  html, body { margin: 0; }
  body { width: ${A4_CSS_WIDTH}px; min-height: ${A4_CSS_HEIGHT}px; padding: 56px 60px; color: #222; }
  p { margin: 0; }
  table { border-collapse: collapse; }
  .n { text-align: right; }
`;

/** A heading band: the issuer left, title and details right; items on shaded header row. */
function banner(doc: CorpusDocument): string {
  const { truth, style } = doc;
  return `<style>${BASE_CSS}
    body { font: 10pt 'Liberation Sans'; }
    .top { display: flex; justify-content: space-between; }
    .brand { font-size: 19pt; font-weight: bold; color: #1a4d8f; }
    .addr { font-size: 9pt; color: #444; line-height: 1.4; margin-top: 4px; }
    h1 { font-size: 17pt; margin: 0 0 8px; text-align: right; color: #1a4d8f; letter-spacing: 1px; }
    .meta th { text-align: left; font-weight: normal; color: #555; padding: 1px 14px 1px 0; }
    .label { margin-top: 30px; font-size: 8pt; font-weight: bold; color: #666; text-transform: uppercase; }
    .items { width: 100%; margin-top: 28px; }
    .items th { background: #1a4d8f; color: #fff; padding: 6px 8px; text-align: left; }
    .items th.n { text-align: right; }
    .items td { padding: 6px 8px; border-bottom: 1px solid #ccc; }
    .sum { margin: 14px 0 0 auto; }
    .sum td { padding: 3px 8px; }
    .sum tr:last-child td { font-weight: bold; font-size: 11.5pt; border-top: 2px solid #1a4d8f; }
    .terms { margin-top: 36px; }
    .foot { margin-top: 90px; padding-top: 5px; border-top: 1px solid #ccc; font-size: 8pt; color: #666; text-align: center; }
  </style>
  <div class="top">
    <div data-block><p class="brand">${escape(truth.vendorName)}</p><p class="addr">${vendorAddress(doc).map(escape).join('<br>')}</p></div>
    <div data-block><h1>${escape(style.title)}</h1><table class="meta">${details(doc)
      .map(([label, value]) => `<tr><th>${escape(label)}</th><td>${escape(value)}</td></tr>`)
      .join('')}</table></div>
  </div>
  ${customer(doc)}
  <table class="items" data-items><thead><tr>${itemHeader(doc)}</tr></thead><tbody>${itemRows(doc)}</tbody></table>
  <table class="sum">${totals(doc)
    .map(
      ([label, value]) => `<tr><td>${escape(label)}</td><td class="n">${escape(value)}</td></tr>`,
    )
    .join('')}</table>
  <p class="terms">${escape(style.labels.terms)}</p>
  <p class="foot">${footer(doc)}</p>`;
}

/** A centred letterhead, two framed boxes side by side, a ruled grid, totals in the table foot. */
function boxed(doc: CorpusDocument): string {
  const { truth, style } = doc;
  return `<style>${BASE_CSS}
    body { font: 10.5pt 'Liberation Serif'; }
    .head { text-align: center; border-bottom: 3px double #333; padding-bottom: 8px; }
    .brand { font-size: 22pt; font-variant: small-caps; }
    .addr { font-size: 9.5pt; }
    h1 { font-size: 15pt; text-align: center; margin: 22px 0 14px; text-transform: uppercase; }
    .boxes { display: flex; gap: 24px; }
    .boxes > div { flex: 1; border: 1px solid #333; padding: 8px 10px; }
    .label { font-weight: bold; margin-bottom: 3px; }
    .meta td { padding: 1px 10px 1px 0; }
    .items { width: 100%; margin-top: 24px; }
    .items th, .items td { border: 1px solid #333; padding: 5px 7px; }
    .items th { background: #e6e6e6; text-align: left; }
    .items th.n { text-align: right; }
    .items tfoot td { border: none; padding: 3px 7px; }
    .items tfoot tr:last-child td { font-weight: bold; }
    .terms { margin-top: 28px; }
    .foot { margin-top: 70px; font-size: 8.5pt; text-align: center; }
  </style>
  <div class="head"><p class="brand">${escape(truth.vendorName)}</p>
    <p class="addr">${vendorAddress(doc).map(escape).join(' · ')}</p></div>
  <h1>${escape(style.title)}</h1>
  <div class="boxes">
    <div data-block>${customer(doc) || `<p>${escape(style.labels.thanks)}</p>`}</div>
    <div data-block><table class="meta">${details(doc)
      .map(([label, value]) => `<tr><td>${escape(label)}</td><td>${escape(value)}</td></tr>`)
      .join('')}</table></div>
  </div>
  <table class="items" data-items><thead><tr>${itemHeader(doc)}</tr></thead><tbody>${itemRows(doc)}</tbody>
    <tfoot>${totals(doc)
      .map(
        ([label, value]) =>
          `<tr><td></td><td colspan="2" class="n">${escape(label)}</td><td class="n">${escape(value)}</td></tr>`,
      )
      .join('')}</tfoot></table>
  <p class="terms">${escape(style.labels.terms)}</p>
  <p class="foot">${footer(doc)}</p>`;
}

/** A grey sidebar with the issuer; labels above their values; the total on a dark band. */
function sidebar(doc: CorpusDocument): string {
  const { truth, style } = doc;
  return `<style>${BASE_CSS}
    body { font: 9.5pt 'DejaVu Sans'; display: flex; gap: 28px; padding-left: 0; padding-top: 0; }
    aside { width: 190px; background: #eef1f4; padding: 56px 16px 20px 24px; min-height: ${A4_CSS_HEIGHT}px; }
    .brand { font-size: 14pt; font-weight: bold; margin-bottom: 10px; }
    aside p { margin-bottom: 3px; color: #333; }
    main { flex: 1; padding-top: 56px; }
    h1 { font-size: 20pt; font-weight: normal; margin: 0 0 18px; }
    .grid { display: flex; flex-wrap: wrap; gap: 12px 28px; margin-bottom: 22px; }
    .grid .label, main > .label { font-size: 7.5pt; color: #666; text-transform: uppercase; }
    .grid p:last-child { font-weight: bold; }
    .items { width: 100%; margin-top: 22px; }
    .items th { border-bottom: 2px solid #333; padding: 5px 6px; text-align: left; font-size: 8.5pt; }
    .items th.n { text-align: right; }
    .items td { padding: 5px 6px; }
    .items tbody tr:nth-child(even) td { background: #f3f3f3; }
    .sum { margin: 14px 0 0 auto; min-width: 260px; }
    .sum td { padding: 4px 8px; }
    .sum tr:last-child td { background: #22313f; color: #fff; font-weight: bold; font-size: 11pt; }
    .terms { margin-top: 30px; color: #444; }
  </style>
  <aside data-block><p class="brand">${escape(truth.vendorName)}</p>${vendorAddress(doc)
    .map((line) => `<p>${escape(line)}</p>`)
    .join(
      '',
    )}<p>${escape(style.domain)}</p>${style.iban ? `<p>IBAN ${escape(style.iban)}</p>` : ''}</aside>
  <main data-block>
    <h1>${escape(style.title)}</h1>
    <div class="grid">${details(doc)
      .map(
        ([label, value]) =>
          `<div><p class="label">${escape(label)}</p><p>${escape(value)}</p></div>`,
      )
      .join('')}</div>
    ${customer(doc)}
    <table class="items" data-items><thead><tr>${itemHeader(doc)}</tr></thead><tbody>${itemRows(doc)}</tbody></table>
    <table class="sum">${totals(doc)
      .map(
        ([label, value]) => `<tr><td>${escape(label)}</td><td class="n">${escape(value)}</td></tr>`,
      )
      .join('')}</table>
    <p class="terms">${escape(style.labels.terms)}</p>
  </main>`;
}

/** A till receipt: a narrow monospace column, dashed rules, centred header. */
function till(doc: CorpusDocument): string {
  const { truth, style } = doc;
  return `<style>${BASE_CSS}
    body { font: 9pt 'Liberation Mono'; display: flex; justify-content: center; }
    .roll { width: 440px; }
    .c { text-align: center; }
    .brand { font-size: 13pt; font-weight: bold; }
    hr { border: none; border-top: 1px dashed #333; margin: 8px 0; }
    table { width: 100%; }
    td, th { padding: 1px 0; font-weight: normal; text-align: left; }
    .total td { font-weight: bold; font-size: 11pt; }
  </style>
  <div class="roll">
    <p class="c brand">${escape(truth.vendorName)}</p>
    ${vendorAddress(doc)
      .map((line) => `<p class="c">${escape(line)}</p>`)
      .join('')}
    <hr><p class="c">${escape(style.title)}</p>
    ${details(doc)
      .map(([label, value]) => `<p>${escape(label)} ${escape(value)}</p>`)
      .join('')}
    ${truth.customerName ? `<p>${escape(style.labels.customer)} ${escape(truth.customerName)}</p>` : ''}
    <hr><table data-items><thead><tr>${itemHeader(doc)}</tr></thead><tbody>${itemRows(doc)}</tbody></table><hr>
    <table>${totals(doc)
      .map(
        ([label, value], index) =>
          `<tr${index === 2 ? ' class="total"' : ''}><td>${escape(label)}</td><td class="n">${escape(value)}</td></tr>`,
      )
      .join('')}</table>
    <hr><p class="c">${escape(style.labels.thanks)}</p>
  </div>`;
}

const TEMPLATES: Readonly<Record<BrowserTemplate, (doc: CorpusDocument) => string>> = {
  banner,
  boxed,
  sidebar,
  till,
};

/**
 * Runs in the page: every word where Chromium placed it (its block, when it sits in a
 * `data-block`), and the item table's cells. A string, so this file needs no DOM types.
 */
const READ_LAYOUT = `(() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const blocks = [...document.querySelectorAll('[data-block]')];
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blocks.findIndex((b) => b.contains(node));
    // What is printed: capitals where CSS sets them.
    const style = getComputedStyle(node.parentElement);
    const capitals = style.textTransform === 'uppercase' || style.fontVariantCaps === 'small-caps';
    const text = node.textContent;
    const printed = (i) => (capitals ? text[i].toUpperCase() : text[i]);
    for (const match of text.matchAll(/\\S+/g)) {
      // Character by character: a word the layout broke over two lines is two pieces.
      let piece;
      for (let i = match.index; i < match.index + match[0].length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) {
          continue;
        }
        if (piece && Math.abs(rect.top - piece.y) < rect.height / 2) {
          piece.text += printed(i);
        } else {
          piece = { text: printed(i), x: rect.left, y: rect.top, height: rect.height, block };
          words.push(piece);
        }
      }
    }
  }
  const table = document.querySelector('[data-items]');
  const rows = [...table.querySelectorAll('thead tr, tbody tr')].map((row) =>
    [...row.children].map((cell) => cell.textContent.trim()),
  );
  return { words, rows };
})()`;

interface PlacedWord {
  text: string;
  x: number;
  y: number;
  height: number;
  block: number;
}

/** Words grouped into visual lines (their middles within half a line of each other). */
function visualLines(words: readonly PlacedWord[]): PlacedWord[][] {
  const middle = (word: PlacedWord): number => word.y + word.height / 2;
  const lines: PlacedWord[][] = [];
  for (const word of [...words].sort((a, b) => middle(a) - middle(b) || a.x - b.x)) {
    const line = lines.at(-1);
    if (line && Math.abs(middle(line[0]) - middle(word)) < line[0].height / 2) {
      line.push(word);
    } else {
      lines.push([word]);
    }
  }
  return lines.map((line) => line.sort((a, b) => a.x - b.x));
}

const lineText = (line: readonly PlacedWord[]): string => line.map((word) => word.text).join(' ');

/**
 * The readings a person accepts: line by line across the page, and block by block (each
 * `data-block` read whole where its top is, beside-block lines in their place).
 */
function readings(words: readonly PlacedWord[]): string[] {
  const acrossPage = visualLines(words).map(lineText).join('\n');
  const outside = words.filter((word) => word.block < 0);
  const pieces: { top: number; left: number; lines: string[] }[] = visualLines(outside).map(
    (line) => ({ top: line[0].y, left: 0, lines: [lineText(line)] }),
  );
  for (const block of new Set(words.filter((word) => word.block >= 0).map((word) => word.block))) {
    const inBlock = words.filter((word) => word.block === block);
    pieces.push({
      top: Math.min(...inBlock.map((word) => word.y)),
      left: Math.min(...inBlock.map((word) => word.x)),
      lines: visualLines(inBlock).map(lineText),
    });
  }
  const byBlock = pieces
    .sort((a, b) => a.top - b.top || a.left - b.left)
    .flatMap((piece) => piece.lines)
    .join('\n');
  return byBlock === acrossPage ? [acrossPage] : [acrossPage, byBlock];
}

const CONTENT_TYPE: Readonly<Record<BrowserFormat, [string, string]>> = {
  'pdf-text': ['application/pdf', 'pdf'],
  png: ['image/png', 'png'],
  jpeg: ['image/jpeg', 'jpg'],
};

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function renderOne(browser: Browser, entry: BrowserDocument): Promise<RenderedFixture> {
  const doc = buildDocument(entry.seed, entry.region, entry.kind);
  const scale = entry.dpi > 0 ? entry.dpi / CSS_DPI : 1;
  const page = await browser.newPage({
    viewport: { width: A4_CSS_WIDTH, height: A4_CSS_HEIGHT },
    deviceScaleFactor: scale,
  });
  try {
    await page.emulateMedia({ media: 'print' });
    await page.setContent(
      `<!doctype html><html><head><meta charset="utf-8"></head><body>${TEMPLATES[entry.template](doc)}</body></html>`,
    );
    const layout = await page.evaluate<{ words: PlacedWord[]; rows: string[][] }>(READ_LAYOUT);
    let image: Buffer;
    if (entry.format === 'pdf-text') {
      image = await page.pdf({
        width: '210mm',
        height: '297mm',
        printBackground: true,
        pageRanges: '1',
      });
    } else {
      image = await page.screenshot({
        type: entry.format,
        ...(entry.format === 'jpeg' && { quality: 60 }),
        clip: { x: 0, y: 0, width: A4_CSS_WIDTH, height: A4_CSS_HEIGHT },
      });
    }
    const [contentType, extension] = CONTENT_TYPE[entry.format];
    const texts = readings(layout.words);
    return {
      image,
      format: entry.format,
      contentType,
      extension,
      width: Math.round(A4_CSS_WIDTH * scale),
      height: Math.round(A4_CSS_HEIGHT * scale),
      dpi: entry.dpi > 0 ? entry.dpi : 300,
      text: texts[0],
      readings: texts,
      table: layout.rows,
      fixture: {
        name: entry.name,
        seed: entry.seed,
        options: {},
        layoutName: `browser-${entry.template}`,
        document: { region: entry.region, kind: entry.kind, language: entry.language },
      },
      truth: doc.truth,
      fileName: `${entry.name}.${extension}`,
    };
  } finally {
    await page.close();
  }
}

/** Renders `entries` in one headless Chromium. */
export async function renderBrowserCorpus(
  entries: readonly BrowserDocument[] = BROWSER_CORPUS,
): Promise<RenderedFixture[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox'] });
  try {
    const rendered: RenderedFixture[] = [];
    for (const entry of entries) {
      rendered.push(await renderOne(browser, entry));
    }
    return rendered;
  } finally {
    await browser.close();
  }
}
