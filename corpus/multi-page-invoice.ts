/**
 * A three-page invoice whose line-item table runs across both page breaks: each page repeats the
 * table header, pages 1 and 2 end with a "Carried forward" row and pages 2 and 3 start with a
 * "Brought forward" row (running totals, not items), and only page 3 prints the totals. Rendered
 * as a born-digital PDF (text layer), a scanned PDF (one raster per page) or a multi-page TIFF.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import sharp from 'sharp';
import {
  escapeXml,
  formatAmount,
  formatDate,
  PAGE_HEIGHT_PT,
  PAGE_WIDTH_PT,
} from './render-invoice.js';

export interface MultiPageLineItem {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

export interface MultiPageInvoiceTruth {
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  vendorName: string;
  customerName: string;
  subtotal: number;
  taxAmount: number;
  totalAmount: number;
  /** Items in document order; `pages[i]` is how many of them page i + 1 prints. */
  lineItems: MultiPageLineItem[];
  itemsPerPage: number[];
}

const ITEMS: Array<[string, number, number]> = [
  ['Consulting services', 12, 95],
  ['Network audit', 1, 1450],
  ['Firewall licence', 3, 210.5],
  ['Cloud backup plan', 6, 39.9],
  ['On-site support', 8, 85],
  ['Laptop docking station', 4, 189],
  ['USB-C cable 2 m', 20, 12.45],
  ['Monitor 27 inch', 2, 329],
  ['Keyboard and mouse set', 5, 49.99],
  ['Training workshop', 2, 640],
  ['Printer toner', 10, 64.2],
  ['Software setup', 3, 120],
];

const round = (value: number): number => Math.round(value * 100) / 100;

/** The invoice's ground truth: 12 items over three pages (5, 4 and 3). */
export function buildMultiPageInvoice(): MultiPageInvoiceTruth {
  const lineItems = ITEMS.map(([description, quantity, unitPrice]) => ({
    description,
    quantity,
    unitPrice,
    amount: round(quantity * unitPrice),
  }));
  const subtotal = round(lineItems.reduce((sum, item) => sum + item.amount, 0));
  const taxAmount = round(subtotal * 0.2);
  return {
    invoiceNumber: 'INV-2026-0417',
    invoiceDate: '2026-03-02',
    dueDate: '2026-04-01',
    vendorName: 'Northwind Traders Ltd',
    customerName: 'Contoso Retail GmbH',
    subtotal,
    taxAmount,
    totalAmount: round(subtotal + taxAmount),
    lineItems,
    itemsPerPage: [5, 4, 3],
  };
}

interface Text {
  x: number;
  y: number;
  text: string;
  size: number;
  bold: boolean;
  anchor: 'start' | 'end';
}

const LEFT = 50;
const RIGHT = PAGE_WIDTH_PT - 50;
const COLUMNS: Array<[number, 'start' | 'end']> = [
  [56, 'start'],
  [330, 'end'],
  [440, 'end'],
  [RIGHT - 6, 'end'],
];
const ROW = 22;

/** The printed texts of each page, in PDF points from the top-left corner. */
function layout(truth: MultiPageInvoiceTruth): Text[][] {
  const money = (value: number) => formatAmount(value, 'en');
  const date = (iso: string) => formatDate(iso, 'MM/DD/YYYY');
  const text = (x: number, y: number, value: string, bold = false, size = 10.5): Text => ({
    x,
    y,
    text: value,
    size,
    bold,
    anchor: x > PAGE_WIDTH_PT / 2 && !bold ? 'end' : 'start',
  });
  const cell = (column: number, y: number, value: string, bold = false): Text => ({
    x: COLUMNS[column][0],
    y,
    text: value,
    size: 10.5,
    bold,
    anchor: COLUMNS[column][1],
  });
  const pages: Text[][] = [];
  let first = 0;
  let running = 0;
  const pageCount = truth.itemsPerPage.length;
  truth.itemsPerPage.forEach((count, index) => {
    const page: Text[] = [];
    let y: number;
    if (index === 0) {
      page.push(text(LEFT, 78, truth.vendorName, true, 14));
      page.push({ ...text(RIGHT, 78, 'INVOICE', true, 26), anchor: 'end' });
      const meta: Array<[string, string]> = [
        ['Invoice No:', truth.invoiceNumber],
        ['Invoice Date:', date(truth.invoiceDate)],
        ['Due Date:', date(truth.dueDate)],
      ];
      meta.forEach(([label, value], i) => {
        page.push(text(345, 150 + i * 16, label, true));
        page.push({ ...text(RIGHT, 150 + i * 16, value), anchor: 'end' });
      });
      page.push(text(LEFT, 150, 'Bill To:', true));
      page.push(text(LEFT, 166, truth.customerName));
      y = 265;
    } else {
      page.push(text(LEFT, 78, `${truth.vendorName} - ${truth.invoiceNumber} (continued)`, true));
      y = 130;
    }
    ['Description', 'Qty', 'Unit Price', 'Amount'].forEach((header, c) =>
      page.push(cell(c, y, header, true)),
    );
    if (index > 0) {
      y += ROW;
      page.push(cell(0, y, 'Brought forward'), cell(3, y, money(running)));
    }
    for (const item of truth.lineItems.slice(first, first + count)) {
      y += ROW;
      page.push(
        cell(0, y, item.description),
        cell(1, y, String(item.quantity)),
        cell(2, y, money(item.unitPrice)),
        cell(3, y, money(item.amount)),
      );
      running = round(running + item.amount);
    }
    first += count;
    if (index < pageCount - 1) {
      y += ROW;
      page.push(cell(0, y, 'Carried forward'), cell(3, y, money(running)));
    } else {
      y += 14;
      const totals: Array<[string, number]> = [
        ['Subtotal', truth.subtotal],
        ['Tax (VAT 20%)', truth.taxAmount],
        ['Total', truth.totalAmount],
      ];
      for (const [label, value] of totals) {
        y += 18;
        page.push({ ...cell(2, y, label), bold: label === 'Total' });
        page.push({ ...cell(3, y, money(value)), bold: label === 'Total' });
      }
    }
    page.push({
      ...text(RIGHT, 784, `Page ${index + 1} of ${pageCount}`, false, 9),
      anchor: 'end',
    });
    pages.push(page);
  });
  return pages;
}

async function textPdf(pages: Text[][]): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const texts of pages) {
    const page = pdf.addPage([PAGE_WIDTH_PT, PAGE_HEIGHT_PT]);
    for (const t of texts) {
      const font = t.bold ? bold : regular;
      const width = font.widthOfTextAtSize(t.text, t.size);
      page.drawText(t.text, {
        x: t.anchor === 'end' ? t.x - width : t.x,
        y: PAGE_HEIGHT_PT - t.y,
        size: t.size,
        font,
        color: rgb(0.07, 0.07, 0.07),
      });
    }
  }
  return Buffer.from(await pdf.save());
}

/** One page as a PNG at `dpi`, as a scanner would produce it. */
async function raster(texts: Text[], dpi: number): Promise<Buffer> {
  const width = Math.round((PAGE_WIDTH_PT / 72) * dpi);
  const height = Math.round((PAGE_HEIGHT_PT / 72) * dpi);
  const body = texts
    .map(
      (t) =>
        `<text x="${t.x}" y="${t.y}" font-size="${t.size}"${t.bold ? ' font-weight="bold"' : ''}` +
        ` text-anchor="${t.anchor}" fill="#111111">${escapeXml(t.text)}</text>`,
    )
    .join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"` +
    ` viewBox="0 0 ${PAGE_WIDTH_PT} ${PAGE_HEIGHT_PT}"><rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="DejaVu Sans">${body}</g></svg>`;
  return sharp(Buffer.from(svg), { density: dpi })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer();
}

export type MultiPageFormat = 'pdf-text' | 'pdf-image' | 'tiff';

export interface RenderedMultiPageInvoice {
  body: Buffer;
  contentType: string;
  fileName: string;
  truth: MultiPageInvoiceTruth;
}

const DPI = 200;

export async function renderMultiPageInvoice(
  format: MultiPageFormat,
  truth: MultiPageInvoiceTruth = buildMultiPageInvoice(),
): Promise<RenderedMultiPageInvoice> {
  const pages = layout(truth);
  if (format === 'pdf-text') {
    return {
      body: await textPdf(pages),
      contentType: 'application/pdf',
      fileName: 'invoice-3-pages-text.pdf',
      truth,
    };
  }
  const images = await Promise.all(pages.map((texts) => raster(texts, DPI)));
  if (format === 'tiff') {
    const body = await sharp(images, { join: { animated: true } })
      .withMetadata({ density: DPI })
      .tiff({ compression: 'lzw' })
      .toBuffer();
    return { body, contentType: 'image/tiff', fileName: 'invoice-3-pages.tiff', truth };
  }
  const pdf = await PDFDocument.create({ updateMetadata: false });
  for (const image of images) {
    const embedded = await pdf.embedPng(image);
    const page = pdf.addPage([PAGE_WIDTH_PT, PAGE_HEIGHT_PT]);
    page.drawImage(embedded, { x: 0, y: 0, width: PAGE_WIDTH_PT, height: PAGE_HEIGHT_PT });
  }
  return {
    body: Buffer.from(await pdf.save()),
    contentType: 'application/pdf',
    fileName: 'invoice-3-pages-scanned.pdf',
    truth,
  };
}
