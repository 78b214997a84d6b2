/**
 * Renders an `InvoiceTruth` as an A4 page image (or PDF) with known ground truth.
 *
 * The page is laid out once, in PDF points (1/72 in, A4 = 595.44 × 841.68 pt), as a list of text,
 * line and box elements. Raster formats draw that list as an SVG (XML-escaped) rasterised by
 * sharp/librsvg at `dpi` with the chosen DejaVu system font; `pdf-text` draws the very same
 * elements with pdf-lib's standard Helvetica (a born-digital PDF with a text layer). Scan
 * artefacts are applied to the raster in this order: skew (about the page centre, white
 * background, cropped back to A4) → blur → noise → right-angle rotation → encoding.
 *
 * Besides the bytes, the result carries the ground truth as printed: `text` (every visual line,
 * top to bottom, its pieces left to right joined by one space) and `table` (header + item rows).
 * Everything is deterministic for a given truth and options (noise uses a seeded PRNG).
 */
import { encode as encodeBmp } from 'bmp-ts';
import { degrees, PDFDocument, rgb, StandardFonts, type PDFFont } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';

import { createPrng, type InvoiceTruth } from './invoice-model.js';
import { layoutDocument, type DocumentLayout, type PrintStyle } from './layouts.js';
import {
  GREY,
  INK,
  LEFT,
  PAGE_HEIGHT_PT,
  PAGE_WIDTH_PT,
  PageBuilder,
  RIGHT,
  type Anchor,
  type PageElement,
  type PageLayout,
  type TextElement,
  type TextStyle,
} from './page-builder.js';

export type InvoiceLayout = 'classic' | 'modern';
export type InvoiceFont = 'DejaVu Sans' | 'DejaVu Serif' | 'DejaVu Sans Mono';
export type InvoiceNumberFormat = 'en' | 'de';
export type InvoiceDateFormat = 'MM/DD/YYYY' | 'YYYY-MM-DD' | 'DD.MM.YYYY';
export type InvoiceFormat =
  'png' | 'jpeg' | 'tiff' | 'webp' | 'gif' | 'bmp' | 'pdf-text' | 'pdf-image';
export type RightAngle = 0 | 90 | 180 | 270;

export interface RenderOptions {
  /** Default 'classic'. The multilingual layouts need the document's `style`. */
  layout?: InvoiceLayout | DocumentLayout;
  /** How a multilingual document prints (from `buildDocument`). */
  style?: PrintStyle;
  /** Default 'DejaVu Sans'. Ignored by `pdf-text`, which always uses Helvetica. */
  font?: InvoiceFont;
  /** Default 'en' (1,234.56); 'de' prints 1.234,56. */
  numberFormat?: InvoiceNumberFormat;
  /** Default: 'MM/DD/YYYY' for en, 'DD.MM.YYYY' for de. */
  dateFormat?: InvoiceDateFormat;
  /** Default 200. The page is A4: round(8.27 × dpi) × round(11.69 × dpi) pixels. */
  dpi?: number;
  /** Small rotation of the scan in degrees (positive = clockwise), e.g. ±2..4. */
  skewDegrees?: number;
  /** Orientation: the page is turned by this many degrees clockwise. */
  rotate?: RightAngle;
  /** 0..1: salt-and-pepper, grain and dust speckles. */
  noise?: number;
  /** Noise PRNG seed; default derived from the invoice number. */
  noiseSeed?: number;
  /** Gaussian blur sigma in pixels (≥ 0.3). */
  blur?: number;
  /** JPEG quality 1..100. Alone it implies `format: 'jpeg'`; with 'pdf-image' it embeds a JPEG. */
  jpegQuality?: number;
  /** Default 'png', or 'jpeg' when `jpegQuality` is set. */
  format?: InvoiceFormat;
}

export interface RenderedInvoice {
  image: Buffer;
  format: InvoiceFormat;
  contentType: string;
  /** File extension without the dot: png, jpg, tif, webp, gif, bmp, pdf. */
  extension: string;
  /** Pixel size of the raster (for PDFs: of the page rasterised at `dpi`), after `rotate`. */
  width: number;
  height: number;
  dpi: number;
  /** Ground-truth text, one visual line per line, top to bottom, as printed. */
  text: string;
  /**
   * Every reading of the text a person would accept (the first is `text`): blocks printed side
   * by side read line by line across the page or block by block.
   */
  readings: string[];
  /** Header row + one row per line item, cells as printed. */
  table: string[][];
}

export { PAGE_HEIGHT_PT, PAGE_WIDTH_PT } from './page-builder.js';

export const CONTENT_TYPES: Readonly<Record<InvoiceFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
  'pdf-text': 'application/pdf',
  'pdf-image': 'application/pdf',
};

export const EXTENSIONS: Readonly<Record<InvoiceFormat, string>> = {
  png: 'png',
  jpeg: 'jpg',
  tiff: 'tif',
  webp: 'webp',
  gif: 'gif',
  bmp: 'bmp',
  'pdf-text': 'pdf',
  'pdf-image': 'pdf',
};

/** Pixel size of an unrotated A4 page at `dpi`. */
export function pageSizePx(dpi: number): { width: number; height: number } {
  return { width: Math.round(8.27 * dpi), height: Math.round(11.69 * dpi) };
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

const SEPARATORS: Readonly<Record<InvoiceNumberFormat, { group: string; decimal: string }>> = {
  en: { group: ',', decimal: '.' },
  de: { group: '.', decimal: ',' },
};

/** 1234.5 → "1,234.50" (en) / "1.234,50" (de). */
export function formatAmount(value: number, numberFormat: InvoiceNumberFormat): string {
  const { group, decimal } = SEPARATORS[numberFormat];
  const cents = Math.round(Math.abs(value) * 100);
  const whole = Math.floor(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const sign = value < 0 ? '-' : '';
  return `${sign}${whole}${decimal}${String(cents % 100).padStart(2, '0')}`;
}

/** 3 → "3", 7.5 → "7.5" / "7,5". */
export function formatQuantity(value: number, numberFormat: InvoiceNumberFormat): string {
  return Number.isInteger(value)
    ? String(value)
    : String(value).replace('.', SEPARATORS[numberFormat].decimal);
}

/** "EUR 1,234.56" (en) / "1.234,56 EUR" (de). */
export function formatMoney(
  value: number,
  currency: string,
  numberFormat: InvoiceNumberFormat,
): string {
  const amount = formatAmount(value, numberFormat);
  return numberFormat === 'en' ? `${currency} ${amount}` : `${amount} ${currency}`;
}

/** "2024-03-15" in the given style. */
export function formatDate(isoDate: string, dateFormat: InvoiceDateFormat): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) {
    throw new RangeError(`not a YYYY-MM-DD date: ${isoDate}`);
  }
  const [, year, month, day] = match as unknown as [string, string, string, string];
  switch (dateFormat) {
    case 'MM/DD/YYYY':
      return `${month}/${day}/${year}`;
    case 'YYYY-MM-DD':
      return isoDate;
    case 'DD.MM.YYYY':
      return `${day}.${month}.${year}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout (in points, origin top-left, text y = baseline)
// ---------------------------------------------------------------------------------------------

interface Formatted {
  invoiceDate: string;
  dueDate: string;
  money: (value: number) => string;
  rows: string[][];
}

function formatTruth(truth: InvoiceTruth, options: ResolvedOptions): Formatted {
  const nf = options.numberFormat;
  return {
    invoiceDate: formatDate(truth.invoiceDate, options.dateFormat),
    dueDate: formatDate(truth.dueDate ?? truth.invoiceDate, options.dateFormat),
    money: (value) => formatMoney(value, truth.currency, nf),
    rows: truth.lineItems.map((item) => [
      item.description,
      formatQuantity(item.quantity, nf),
      formatAmount(item.unitPrice, nf),
      formatAmount(item.amount, nf),
    ]),
  };
}

const ROW = 22;

function layoutClassic(truth: InvoiceTruth, options: ResolvedOptions): PageLayout {
  const page = new PageBuilder();
  const f = formatTruth(truth, options);

  // Blocks side by side share baselines, so each printed line is well defined.
  page.text(LEFT, 78, truth.vendorName, { size: 14, bold: true });
  page.text(RIGHT, 78, 'INVOICE', { size: 26, bold: true, anchor: 'end' });
  page.address(LEFT, 96, 14, truth.vendorAddress, { size: 10 });

  const meta: [string, string][] = [
    ['Invoice No:', truth.invoiceNumber],
    ['Invoice Date:', f.invoiceDate],
    ['Due Date:', f.dueDate],
  ];
  if (truth.purchaseOrder !== undefined) {
    meta.push(['PO Number:', truth.purchaseOrder]);
  }
  meta.forEach(([label, value], i) => {
    const y = 150 + i * 16;
    page.text(345, y, label, { bold: true });
    page.text(RIGHT, y, value, { anchor: 'end' });
  });

  page.text(LEFT, 150, 'Bill To:', { bold: true });
  page.text(LEFT, 166, truth.customerName ?? '');
  page.address(LEFT, 182, 16, truth.customerAddress);

  const columns: [x: number, anchor: Anchor][] = [
    [56, 'start'],
    [330, 'end'],
    [440, 'end'],
    [RIGHT - 6, 'end'],
  ];
  const header = ['Description', 'Qty', 'Unit Price', 'Amount'];
  const tableTop = 250;
  page.box(LEFT, tableTop, RIGHT - LEFT, 22, '#e6e6e6');
  const headerY = tableTop + 15;
  header.forEach((cell, c) => {
    const [x, anchor] = columns[c];
    page.text(x, headerY, cell, { bold: true, anchor });
  });
  let y = headerY;
  for (const row of f.rows) {
    y += ROW;
    row.forEach((cell, c) => {
      const [x, anchor] = columns[c];
      page.text(x, y, cell, { anchor });
    });
    page.line(LEFT, y + 8, RIGHT, y + 8, 0.5, '#bbbbbb');
  }
  page.line(LEFT, y + 8, RIGHT, y + 8, 1, INK);

  const totals: [string, string, boolean][] = [
    ['Subtotal', f.money(truth.subtotal), false],
    [`Tax (VAT ${truth.taxRate}%)`, f.money(truth.taxAmount), false],
    ['Total', f.money(truth.totalAmount), true],
  ];
  y += 14;
  for (const [label, value, bold] of totals) {
    y += 18;
    if (bold) {
      page.line(345, y - 13, RIGHT, y - 13, 0.8, INK);
    }
    page.text(440, y, label, { anchor: 'end', bold });
    page.text(RIGHT - 6, y, value, { anchor: 'end', bold });
  }

  page.text(LEFT, y + 50, `Payment terms: net ${truth.paymentTermsDays} days.`);
  page.text(LEFT, y + 66, 'Please quote the invoice number with your payment.');

  page.line(LEFT, 768, RIGHT, 768, 0.5, '#999999');
  const footerStyle: TextStyle = { size: 9, color: GREY };
  page.text(LEFT, 784, truth.vendorName, footerStyle);
  page.text(
    LEFT,
    797,
    truth.vendorTaxId !== undefined
      ? `VAT No: ${truth.vendorTaxId}`
      : 'Thank you for your business.',
    footerStyle,
  );
  page.text(RIGHT, 784, 'Page 1 of 1', { ...footerStyle, anchor: 'end' });

  return { elements: page.elements, table: [header, ...f.rows] };
}

const ACCENT = '#1f5f99';

function layoutModern(truth: InvoiceTruth, options: ResolvedOptions): PageLayout {
  const page = new PageBuilder();
  const f = formatTruth(truth, options);
  const label: TextStyle = { size: 9, bold: true, color: GREY };

  page.box(0, 0, PAGE_WIDTH_PT, 10, ACCENT);
  page.text(PAGE_WIDTH_PT / 2, 78, 'INVOICE', { size: 28, bold: true, anchor: 'middle' });
  page.line(PAGE_WIDTH_PT / 2 - 60, 90, PAGE_WIDTH_PT / 2 + 60, 90, 1.5, ACCENT);

  const pairs: [string, string][] = [
    ['Invoice Number', truth.invoiceNumber],
    ['Invoice Date', f.invoiceDate],
    ['Due Date', f.dueDate],
  ];
  if (truth.purchaseOrder !== undefined) {
    pairs.push(['PO Number', truth.purchaseOrder]);
  }
  pairs.forEach(([name, value], i) => {
    const x = LEFT + i * 130;
    page.text(x, 130, name, label);
    page.text(x, 146, value, { size: 11 });
  });

  page.text(LEFT, 190, 'Billed To', label);
  page.text(LEFT, 210, truth.customerName ?? '', { size: 11, bold: true });
  page.address(LEFT, 226, 15, truth.customerAddress);
  page.text(RIGHT, 190, 'Amount Due', { ...label, anchor: 'end' });
  page.text(RIGHT, 210, f.money(truth.totalAmount), { size: 16, bold: true, anchor: 'end' });

  const columns: [x: number, anchor: Anchor][] = [
    [LEFT, 'start'],
    [330, 'end'],
    [440, 'end'],
    [RIGHT, 'end'],
  ];
  const header = ['Item', 'Quantity', 'Rate', 'Line Total'];
  const headerY = 300;
  header.forEach((cell, c) => {
    const [x, anchor] = columns[c];
    page.text(x, headerY, cell, { bold: true, anchor, color: ACCENT });
  });
  page.line(LEFT, headerY + 8, RIGHT, headerY + 8, 1.5, ACCENT);
  let y = headerY;
  for (const row of f.rows) {
    y += ROW;
    row.forEach((cell, c) => {
      const [x, anchor] = columns[c];
      page.text(x, y, cell, { anchor });
    });
    page.line(LEFT, y + 8, RIGHT, y + 8, 0.5, '#d0d0d0');
  }

  const totals: [string, string, boolean][] = [
    ['Net amount', f.money(truth.subtotal), false],
    ['VAT', f.money(truth.taxAmount), false],
    ['Amount Due', f.money(truth.totalAmount), true],
  ];
  y += 14;
  for (const [name, value, bold] of totals) {
    y += 18;
    if (bold) {
      page.box(330, y - 14, RIGHT - 330 + 6, 20, '#eef3f8');
    }
    page.text(440, y, name, { anchor: 'end', bold });
    page.text(RIGHT, y, value, { anchor: 'end', bold });
  }

  page.text(
    LEFT,
    y + 50,
    `Thank you for your business. Payment due within ${truth.paymentTermsDays} days.`,
  );

  page.line(LEFT, 706, RIGHT, 706, 0.5, '#cccccc');
  page.text(LEFT, 724, 'From:', label);
  page.text(LEFT, 740, truth.vendorName, { size: 11, bold: true });
  const fromY = page.address(LEFT, 755, 14, truth.vendorAddress, { size: 10 });
  if (truth.vendorTaxId !== undefined) {
    page.text(LEFT, fromY, `VAT ID: ${truth.vendorTaxId}`, { size: 10 });
  }

  return { elements: page.elements, table: [header, ...f.rows] };
}

/** Rough advance width, only used to order pieces within a line. */
function approxLeft(element: TextElement): number {
  const width = element.text.length * element.size * 0.55;
  switch (element.anchor) {
    case 'start':
      return element.x;
    case 'middle':
      return element.x - width / 2;
    case 'end':
      return element.x - width;
  }
}

/**
 * Pieces grouped into printed lines, top to bottom: pieces whose baselines are closer than 0.4
 * of the smaller type size share a line, so a large title and the name beside it on one
 * baseline are one line.
 */
function groupByBaseline(pieces: readonly TextElement[]): TextElement[][] {
  const lines: TextElement[][] = [];
  for (const piece of [...pieces].sort((a, b) => a.y - b.y)) {
    const line = lines.at(-1);
    if (
      line !== undefined &&
      line.every((other) => Math.abs(other.y - piece.y) <= 0.4 * Math.min(other.size, piece.size))
    ) {
      line.push(piece);
    } else {
      lines.push([piece]);
    }
  }
  return lines;
}

/** The printed lines of `pieces`, each one's pieces left to right joined by one space. */
function printedLines(pieces: readonly TextElement[]): string[] {
  return groupByBaseline(pieces).map((line) =>
    line
      .sort((a, b) => approxLeft(a) - approxLeft(b))
      .map((piece) => piece.text)
      .join(' '),
  );
}

/**
 * Every reading of the printed text a person would accept: line by line from the top (a table
 * row is one line, its cells left to right), where blocks printed side by side (see
 * `PageBuilder.sideBySide`) are read either block by block, left to right, or line by line
 * across the page. The first reading reads every group line by line.
 */
function groundTruthReadings(elements: readonly PageElement[]): string[] {
  const pieces = elements.filter((element): element is TextElement => element.kind === 'text');
  // The page's parts, top to bottom: printed lines, and groups of side-by-side blocks.
  const parts = groupByBaseline(pieces.filter((piece) => piece.sideBySide === undefined)).map(
    (line) => ({ top: Math.min(...line.map((piece) => piece.y)), readings: [printedLines(line)] }),
  );
  const groups = new Map<number, TextElement[][]>();
  for (const piece of pieces) {
    if (piece.sideBySide !== undefined) {
      const { group, block } = piece.sideBySide;
      const blocks = groups.get(group) ?? [];
      (blocks[block] ??= []).push(piece);
      groups.set(group, blocks);
    }
  }
  for (const blocks of groups.values()) {
    const all = blocks.flat();
    const lineByLine = printedLines(all);
    const blockByBlock = blocks.flatMap((block) => printedLines(block));
    const same = lineByLine.join('\n') === blockByBlock.join('\n');
    parts.push({
      top: Math.min(...all.map((piece) => piece.y)),
      readings: same ? [lineByLine] : [lineByLine, blockByBlock],
    });
  }
  parts.sort((a, b) => a.top - b.top);
  let readings: string[][] = [[]];
  for (const part of parts) {
    readings = readings.flatMap((lines) => part.readings.map((more) => [...lines, ...more]));
  }
  return readings.map((lines) => lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------
// SVG → raster
// ---------------------------------------------------------------------------------------------

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] ?? ch);
}

const n = (value: number): string => String(Math.round(value * 100) / 100);

function toSvg(
  elements: readonly PageElement[],
  font: InvoiceFont,
  width: number,
  height: number,
): string {
  const parts = elements.map((element): string => {
    switch (element.kind) {
      case 'text':
        return (
          `<text x="${n(element.x)}" y="${n(element.y)}" font-size="${n(element.size)}"` +
          `${element.bold ? ' font-weight="bold"' : ''} text-anchor="${element.anchor}"` +
          ` fill="${element.color}">${escapeXml(element.text)}</text>`
        );
      case 'line':
        return (
          `<line x1="${n(element.x1)}" y1="${n(element.y1)}" x2="${n(element.x2)}"` +
          ` y2="${n(element.y2)}" stroke="${element.color}" stroke-width="${n(element.width)}"/>`
        );
      case 'box':
        return (
          `<rect x="${n(element.x)}" y="${n(element.y)}" width="${n(element.width)}"` +
          ` height="${n(element.height)}" fill="${element.color}"/>`
        );
    }
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"` +
    ` viewBox="0 0 ${n(PAGE_WIDTH_PT)} ${n(PAGE_HEIGHT_PT)}">` +
    `<rect x="0" y="0" width="${n(PAGE_WIDTH_PT)}" height="${n(PAGE_HEIGHT_PT)}" fill="#ffffff"/>` +
    `<g font-family="${escapeXml(font)}">${parts.join('')}</g></svg>`
  );
}

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

const CHANNELS = 3;
const WHITE = { r: 255, g: 255, b: 255 };

async function toRaw(pipeline: Sharp): Promise<RawImage> {
  const { data, info } = await pipeline
    .flatten({ background: WHITE })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== CHANNELS) {
    throw new Error(`expected ${CHANNELS} channels, got ${info.channels}`);
  }
  return { data, width: info.width, height: info.height };
}

const fromRaw = (image: RawImage): Sharp =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: CHANNELS } });

async function skew(image: RawImage, angle: number): Promise<RawImage> {
  const rotated = await toRaw(fromRaw(image).rotate(angle, { background: WHITE }));
  const left = Math.floor((rotated.width - image.width) / 2);
  const top = Math.floor((rotated.height - image.height) / 2);
  return toRaw(fromRaw(rotated).extract({ left, top, width: image.width, height: image.height }));
}

/** FNV-1a, to derive a stable noise seed from a string. */
function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Grain (≈ gaussian, grey), salt-and-pepper pixels and small dust specks, in place. */
function addNoise(image: RawImage, amount: number, seed: number, dpi: number): void {
  const rng = createPrng(seed);
  const { width, height } = image;
  // A clamped view saturates at 0/255 without Math.min/max, which are slow in Jest's vm context.
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const next = rng.next;
  const pixels = width * height;
  const grain = amount * 90;
  const saltPepper = amount * 0.012;
  for (let p = 0; p < pixels; p++) {
    const i = p * CHANNELS;
    let delta = (next() + next() + next() - 1.5) * grain;
    if (next() < saltPepper) {
      delta = next() < 0.65 ? -255 : 255;
    }
    data[i] = (data[i] ?? 0) + delta;
    data[i + 1] = (data[i + 1] ?? 0) + delta;
    data[i + 2] = (data[i + 2] ?? 0) + delta;
  }
  const specks = Math.round(amount * 600);
  const maxRadius = Math.max(1, Math.round(dpi / 100));
  for (let s = 0; s < specks; s++) {
    const cx = rng.int(0, width - 1);
    const cy = rng.int(0, height - 1);
    const r = rng.int(1, maxRadius);
    const shade = rng.int(20, 110);
    for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++) {
      for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) {
          const i = (y * width + x) * CHANNELS;
          data.fill(shade, i, i + CHANNELS);
        }
      }
    }
  }
}

/** bmp-ts wants ABGR quads for its 24-bit encoder; hr/vr are pixels per metre. */
function toBmp(image: RawImage, dpi: number): Buffer {
  const { data, width, height } = image;
  const abgr = Buffer.alloc(width * height * 4);
  for (let p = 0, i = 0, o = 0; p < width * height; p++, i += CHANNELS, o += 4) {
    abgr[o] = 0;
    abgr[o + 1] = data[i + 2] ?? 0;
    abgr[o + 2] = data[i + 1] ?? 0;
    abgr[o + 3] = data[i] ?? 0;
  }
  const pixelsPerMetre = Math.round(dpi / 0.0254);
  return encodeBmp({
    data: abgr,
    width,
    height,
    bitPP: 24,
    hr: pixelsPerMetre,
    vr: pixelsPerMetre,
  }).data;
}

// ---------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------

function parseColor(hex: string): ReturnType<typeof rgb> {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 0xff) / 255, ((value >> 8) & 0xff) / 255, (value & 0xff) / 255);
}

async function newPdf(truth: InvoiceTruth): Promise<PDFDocument> {
  // Fixed metadata (no "now" dates) keeps the bytes deterministic.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(`${truth.invoiceDate}T09:00:00Z`);
  pdf.setTitle(`Invoice ${truth.invoiceNumber}`);
  pdf.setAuthor(truth.vendorName);
  pdf.setCreator('synthetic invoice fixtures');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  return pdf;
}

async function renderTextPdf(
  truth: InvoiceTruth,
  elements: readonly PageElement[],
  rotate: RightAngle,
): Promise<Buffer> {
  const pdf = await newPdf(truth);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const page = pdf.addPage([PAGE_WIDTH_PT, PAGE_HEIGHT_PT]);
  const flip = (y: number): number => PAGE_HEIGHT_PT - y;
  for (const element of elements) {
    switch (element.kind) {
      case 'text': {
        const font: PDFFont = element.bold ? bold : regular;
        const width = font.widthOfTextAtSize(element.text, element.size);
        const offset = { start: 0, middle: width / 2, end: width }[element.anchor];
        page.drawText(element.text, {
          x: element.x - offset,
          y: flip(element.y),
          size: element.size,
          font,
          color: parseColor(element.color),
        });
        break;
      }
      case 'line':
        page.drawLine({
          start: { x: element.x1, y: flip(element.y1) },
          end: { x: element.x2, y: flip(element.y2) },
          thickness: element.width,
          color: parseColor(element.color),
        });
        break;
      case 'box':
        page.drawRectangle({
          x: element.x,
          y: flip(element.y + element.height),
          width: element.width,
          height: element.height,
          color: parseColor(element.color),
        });
        break;
    }
  }
  if (rotate !== 0) {
    page.setRotation(degrees(rotate));
  }
  return Buffer.from(await pdf.save());
}

async function renderImagePdf(
  truth: InvoiceTruth,
  image: RawImage,
  jpegQuality: number | undefined,
): Promise<Buffer> {
  const pdf = await newPdf(truth);
  const embedded =
    jpegQuality === undefined
      ? await pdf.embedPng(await fromRaw(image).png().toBuffer())
      : await pdf.embedJpg(await fromRaw(image).jpeg({ quality: jpegQuality }).toBuffer());
  // A landscape raster (after a 90/270 turn) gets a landscape page.
  const landscape = image.width > image.height;
  const [w, h] = landscape ? [PAGE_HEIGHT_PT, PAGE_WIDTH_PT] : [PAGE_WIDTH_PT, PAGE_HEIGHT_PT];
  const page = pdf.addPage([w, h]);
  page.drawImage(embedded, { x: 0, y: 0, width: w, height: h });
  return Buffer.from(await pdf.save());
}

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

interface ResolvedOptions {
  layout: InvoiceLayout | DocumentLayout;
  style: PrintStyle | undefined;
  font: InvoiceFont;
  numberFormat: InvoiceNumberFormat;
  dateFormat: InvoiceDateFormat;
  dpi: number;
  skewDegrees: number;
  rotate: RightAngle;
  noise: number;
  noiseSeed: number | undefined;
  blur: number;
  jpegQuality: number | undefined;
  format: InvoiceFormat;
}

function resolveOptions(options: RenderOptions): ResolvedOptions {
  const numberFormat = options.numberFormat ?? 'en';
  const format = options.format ?? (options.jpegQuality === undefined ? 'png' : 'jpeg');
  const resolved: ResolvedOptions = {
    layout: options.layout ?? 'classic',
    style: options.style,
    font: options.font ?? 'DejaVu Sans',
    numberFormat,
    dateFormat: options.dateFormat ?? (numberFormat === 'en' ? 'MM/DD/YYYY' : 'DD.MM.YYYY'),
    dpi: options.dpi ?? 200,
    skewDegrees: options.skewDegrees ?? 0,
    rotate: options.rotate ?? 0,
    noise: options.noise ?? 0,
    noiseSeed: options.noiseSeed,
    blur: options.blur ?? 0,
    jpegQuality: options.jpegQuality,
    format,
  };
  if (!(resolved.dpi >= 36 && resolved.dpi <= 600)) {
    throw new RangeError(`dpi must be within 36..600, got ${resolved.dpi}`);
  }
  if (!(resolved.noise >= 0 && resolved.noise <= 1)) {
    throw new RangeError(`noise must be within 0..1, got ${resolved.noise}`);
  }
  if (resolved.blur !== 0 && !(resolved.blur >= 0.3 && resolved.blur <= 100)) {
    throw new RangeError(`blur sigma must be 0 or within 0.3..100, got ${resolved.blur}`);
  }
  if (Math.abs(resolved.skewDegrees) > 10) {
    throw new RangeError(`skewDegrees must be within ±10, got ${resolved.skewDegrees}`);
  }
  const quality = resolved.jpegQuality;
  if (quality !== undefined) {
    if (!(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
      throw new RangeError(`jpegQuality must be an integer within 1..100, got ${quality}`);
    }
    if (format !== 'jpeg' && format !== 'pdf-image') {
      throw new RangeError(`jpegQuality only applies to 'jpeg' and 'pdf-image', not '${format}'`);
    }
  }
  if (
    format === 'pdf-text' &&
    (resolved.skewDegrees !== 0 || resolved.noise !== 0 || resolved.blur !== 0)
  ) {
    throw new RangeError("'pdf-text' is born digital: skew, noise and blur do not apply");
  }
  return resolved;
}

function pageLayout(truth: InvoiceTruth, o: ResolvedOptions): PageLayout {
  if (o.layout === 'classic') {
    return layoutClassic(truth, o);
  }
  if (o.layout === 'modern') {
    return layoutModern(truth, o);
  }
  if (o.style === undefined) {
    throw new RangeError(`the '${o.layout}' layout needs a print style (buildDocument)`);
  }
  return layoutDocument(truth, o.style, o.layout);
}

/** The readings of the page's text (see `RenderedInvoice.readings`), without rendering it. */
export function printedReadings(truth: InvoiceTruth, options: RenderOptions = {}): string[] {
  return groundTruthReadings(pageLayout(truth, resolveOptions(options)).elements);
}

/** Lays out, rasterises, degrades and encodes one invoice page. */
export async function renderInvoice(
  truth: InvoiceTruth,
  options: RenderOptions = {},
): Promise<RenderedInvoice> {
  const o = resolveOptions(options);
  const layout = pageLayout(truth, o);
  const readings = groundTruthReadings(layout.elements);
  const text = readings[0];
  const page = pageSizePx(o.dpi);
  const turned = o.rotate === 90 || o.rotate === 270;
  const size = turned ? { width: page.height, height: page.width } : page;
  const result = (image: Buffer): RenderedInvoice => ({
    image,
    format: o.format,
    contentType: CONTENT_TYPES[o.format],
    extension: EXTENSIONS[o.format],
    width: size.width,
    height: size.height,
    dpi: o.dpi,
    text,
    readings,
    table: layout.table,
  });

  if (o.format === 'pdf-text') {
    return result(await renderTextPdf(truth, layout.elements, o.rotate));
  }

  const svg = toSvg(layout.elements, o.font, page.width, page.height);
  let raster = await toRaw(sharp(Buffer.from(svg, 'utf8')));
  if (raster.width !== page.width || raster.height !== page.height) {
    throw new Error(
      `SVG rendered at ${raster.width}×${raster.height}, not ${page.width}×${page.height}`,
    );
  }
  if (o.skewDegrees !== 0) {
    raster = await skew(raster, o.skewDegrees);
  }
  if (o.blur !== 0) {
    raster = await toRaw(fromRaw(raster).blur(o.blur));
  }
  if (o.noise > 0) {
    addNoise(raster, o.noise, o.noiseSeed ?? hashString(truth.invoiceNumber), o.dpi);
  }
  if (o.rotate !== 0) {
    raster = await toRaw(fromRaw(raster).rotate(o.rotate));
  }

  const encoder = fromRaw(raster).withDensity(o.dpi);
  switch (o.format) {
    case 'png':
      return result(await encoder.png({ compressionLevel: 6 }).toBuffer());
    case 'jpeg':
      return result(await encoder.jpeg({ quality: o.jpegQuality ?? 90 }).toBuffer());
    case 'tiff':
      return result(
        await encoder
          .tiff({
            compression: 'lzw',
            xres: o.dpi / 25.4,
            yres: o.dpi / 25.4,
            resolutionUnit: 'inch',
          })
          .toBuffer(),
      );
    case 'webp':
      return result(await encoder.webp({ quality: 90 }).toBuffer());
    case 'gif':
      return result(await encoder.gif({ colours: 64 }).toBuffer());
    case 'bmp':
      return result(toBmp(raster, o.dpi));
    case 'pdf-image':
      return result(await renderImagePdf(truth, raster, o.jpegQuality));
  }
}
