/**
 * Page layouts of the multilingual corpus, drawn in PDF points. Each one is a way real invoices
 * are set: a letterhead, a large logo-like name, an issuer named only in the footer's legal line,
 * a boxed summary on the left, two address columns side by side, a till receipt, a credit note
 * that quotes the invoice it corrects, and an Indian GST tax invoice.
 */
import type { InvoiceTruth } from './invoice-model.js';
import type { PrintStyle } from './documents.js';
import {
  BODY,
  GREY,
  INK,
  LEFT,
  PAGE_WIDTH_PT,
  PageBuilder,
  printedWidth,
  RIGHT,
  type Anchor,
  type PageLayout,
  type TextStyle,
} from './page-builder.js';

export type { PrintStyle } from './documents.js';

export type DocumentLayout =
  'letter' | 'logo' | 'footer' | 'left-totals' | 'two-column' | 'receipt' | 'credit-note' | 'gst';

export const DOCUMENT_LAYOUTS: readonly DocumentLayout[] = [
  'letter',
  'logo',
  'footer',
  'left-totals',
  'two-column',
  'receipt',
  'credit-note',
  'gst',
];

const ROW = 21;
const ACCENT = '#7a2e2e';

type Column = readonly [x: number, anchor: Anchor];

interface Drawn {
  page: PageBuilder;
  table: string[][];
}

function rows(truth: InvoiceTruth, style: PrintStyle): string[][] {
  return truth.lineItems.map((item) => [
    item.description,
    style.quantity(item.quantity),
    style.amount(item.unitPrice),
    style.amount(item.amount),
  ]);
}

/** The item table from `top` (header baseline); returns the last row's baseline. */
function itemTable(
  drawn: Drawn,
  truth: InvoiceTruth,
  style: PrintStyle,
  top: number,
  columns: readonly Column[],
  shaded: boolean,
  /** The rules' horizontal extent (default: the page's text width). */
  [from, to]: readonly [number, number] = [LEFT, RIGHT],
): number {
  const { page } = drawn;
  const header = [...style.labels.header];
  if (shaded) {
    page.box(from, top - 15, to - from, 21, '#e8e8e8');
  } else {
    page.line(from, top + 6, to, top + 6, 1, INK);
  }
  header.forEach((cell, c) =>
    page.text(columns[c][0], top, cell, { bold: true, anchor: columns[c][1] }),
  );
  let y = top;
  const body = rows(truth, style);
  for (const row of body) {
    y += ROW;
    row.forEach((cell, c) => page.text(columns[c][0], y, cell, { anchor: columns[c][1] }));
  }
  page.line(from, y + 7, to, y + 7, 0.8, INK);
  drawn.table = [header, ...body];
  return y;
}

const STANDARD_COLUMNS: readonly Column[] = [
  [LEFT + 6, 'start'],
  [330, 'end'],
  [440, 'end'],
  [RIGHT - 6, 'end'],
];

/** Summary lines (label at `labelX`, value at `valueX`), from `y`; returns the last baseline. */
function summary(
  page: PageBuilder,
  lines: readonly (readonly [label: string, value: string, bold?: boolean])[],
  y: number,
  labelX: number,
  labelAnchor: Anchor,
  valueX: number,
): number {
  for (const [label, value, bold] of lines) {
    y += 17;
    page.text(labelX, y, label, { anchor: labelAnchor, bold: bold === true });
    page.text(valueX, y, value, { anchor: 'end', bold: bold === true });
  }
  return y;
}

function moneyLines(truth: InvoiceTruth, style: PrintStyle) {
  return [
    [style.labels.subtotal, style.money(truth.subtotal)],
    [style.labels.tax, style.money(truth.taxAmount)],
    [style.labels.total, style.money(truth.totalAmount), true],
  ] as const;
}

/** Label/value pairs of the document's number, dates and order. */
function metaPairs(truth: InvoiceTruth, style: PrintStyle): [string, string][] {
  const pairs: [string, string][] = [
    [style.labels.number, truth.invoiceNumber],
    [style.labels.invoiceDate, style.date(truth.invoiceDate)],
  ];
  if (truth.dueDate !== undefined) {
    pairs.push([style.labels.dueDate, style.date(truth.dueDate)]);
  }
  if (truth.purchaseOrder !== undefined) {
    pairs.push([style.labels.purchaseOrder, truth.purchaseOrder]);
  }
  return pairs;
}

/** Label/value pairs set as columns across the page, each as wide as its longer text needs. */
function metaColumns(pairs: readonly [string, string][]): [string, string, number][] {
  let x = LEFT;
  return pairs.map(([label, value]) => {
    const at = x;
    const width = Math.max(label.length * 8.5, value.length * 10) * 0.58;
    x += Math.max(110, width + 24);
    return [label, value, at];
  });
}

function customerBlock(
  page: PageBuilder,
  truth: InvoiceTruth,
  style: PrintStyle,
  x: number,
  y: number,
): number {
  page.text(x, y, style.labels.customer, { bold: true, size: 9, color: GREY });
  page.text(x, y + 16, truth.customerName ?? '', { bold: true });
  return page.address(x, y + 31, 14, truth.customerAddress);
}

function taxIdLine(truth: InvoiceTruth, style: PrintStyle): string | undefined {
  return truth.vendorTaxId === undefined ? undefined : `${style.labels.taxId} ${truth.vendorTaxId}`;
}

function letter(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn, creditNote: boolean): void {
  const { page } = drawn;
  page.sideBySide(
    () => {
      page.text(LEFT, 72, truth.vendorName, { size: 15, bold: true });
      page.address(LEFT, 90, 13, truth.vendorAddress, { size: 9.5 });
      page.text(LEFT, 129, `${style.labels.phone} ${style.phoneNumber}`, { size: 9.5 });
    },
    () => page.text(RIGHT, 72, style.title, { size: 22, bold: true, anchor: 'end' }),
  );
  page.sideBySide(
    () => customerBlock(page, truth, style, LEFT, 160),
    () =>
      metaPairs(truth, style).forEach(([label, value], i) => {
        page.text(340, 150 + i * 16, label, { bold: true });
        page.text(RIGHT, 150 + i * 16, value, { anchor: 'end' });
      }),
  );
  let top = 262;
  if (creditNote) {
    page.text(LEFT, 250, `${style.labels.refersTo} ${style.originalInvoice}`);
    top = 280;
  }
  const y = itemTable(drawn, truth, style, top, STANDARD_COLUMNS, true);
  const end = summary(page, moneyLines(truth, style), y + 8, 440, 'end', RIGHT - 6);
  page.text(LEFT, end + 40, style.labels.terms);
  page.line(LEFT, 770, RIGHT, 770, 0.5, '#999999');
  const footer: TextStyle = { size: 8.5, color: GREY };
  page.sideBySide(
    () => {
      page.text(
        LEFT,
        784,
        `${truth.vendorName} · ${truth.vendorAddress.street} · ${truth.vendorAddress.city}`,
        footer,
      );
      const legal = [taxIdLine(truth, style), style.iban && `IBAN ${style.iban}`]
        .filter(Boolean)
        .join(' · ');
      if (legal !== '') {
        page.text(LEFT, 796, legal, footer);
      }
    },
    () => page.text(RIGHT, 784, style.labels.page, { ...footer, anchor: 'end' }),
  );
}

function logo(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  page.text(LEFT, 80, truth.vendorName, { size: 26, bold: true, color: ACCENT });
  page.text(LEFT, 100, `www.${style.domain} · info@${style.domain}`, { size: 9, color: GREY });
  page.text(LEFT, 113, `${truth.vendorAddress.street}, ${truth.vendorAddress.city}`, {
    size: 9,
    color: GREY,
  });
  page.sideBySide(
    () => customerBlock(page, truth, style, LEFT, 150),
    () => {
      page.text(RIGHT, 150, style.title, { size: 18, bold: true, anchor: 'end' });
      metaPairs(truth, style).forEach(([label, value], i) => {
        page.text(330, 176 + i * 15, label, { size: 9.5 });
        page.text(RIGHT, 176 + i * 15, value, { size: 9.5, anchor: 'end' });
      });
    },
  );
  const columns: Column[] = [
    [LEFT, 'start'],
    [345, 'end'],
    [445, 'end'],
    [RIGHT, 'end'],
  ];
  const y = itemTable(drawn, truth, style, 275, columns, false);
  const end = summary(page, moneyLines(truth, style), y + 8, 445, 'end', RIGHT);
  page.text(LEFT, end + 36, style.labels.thanks);
  const id = taxIdLine(truth, style);
  if (id !== undefined) {
    page.text(PAGE_WIDTH_PT / 2, 790, id, { size: 8.5, color: GREY, anchor: 'middle' });
  }
}

function footer(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  page.sideBySide(
    () => page.text(LEFT, 80, style.title, { size: 24, bold: true }),
    () =>
      metaPairs(truth, style).forEach(([label, value], i) => {
        page.text(330, 70 + i * 15, label, { size: 9.5, bold: true });
        page.text(RIGHT, 70 + i * 15, value, { size: 9.5, anchor: 'end' });
      }),
  );
  customerBlock(page, truth, style, LEFT, 150);
  const y = itemTable(drawn, truth, style, 260, STANDARD_COLUMNS, false);
  const end = summary(page, moneyLines(truth, style), y + 8, 440, 'end', RIGHT - 6);
  page.text(LEFT, end + 36, style.labels.terms);
  page.line(LEFT, 760, RIGHT, 760, 0.5, '#999999');
  const small: TextStyle = { size: 8, color: GREY, anchor: 'middle' };
  page.text(
    PAGE_WIDTH_PT / 2,
    774,
    `${truth.vendorName} · ${truth.vendorAddress.street} · ${truth.vendorAddress.city} · ${style.labels.phone} ${style.phoneNumber}`,
    small,
  );
  const legal = [
    taxIdLine(truth, style),
    style.iban && `IBAN ${style.iban}`,
    `${'www.'}${style.domain}`,
  ]
    .filter(Boolean)
    .join(' · ');
  page.text(PAGE_WIDTH_PT / 2, 786, legal, small);
}

function leftTotals(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  page.sideBySide(
    () => page.text(LEFT, 76, style.title, { size: 20, bold: true }),
    () => {
      page.text(RIGHT, 70, truth.vendorName, { size: 12, bold: true, anchor: 'end' });
      page.address(RIGHT, 85, 12, truth.vendorAddress, { size: 9, anchor: 'end' });
      const id = taxIdLine(truth, style);
      if (id !== undefined) {
        page.text(RIGHT, 121, id, { size: 9, anchor: 'end' });
      }
    },
  );
  page.sideBySide(
    ...metaColumns(metaPairs(truth, style)).map(([label, value, x]) => () => {
      page.text(x, 160, label, { size: 8.5, bold: true, color: GREY });
      page.text(x, 174, value, { size: 10 });
    }),
  );
  customerBlock(page, truth, style, LEFT, 205);
  const columns: Column[] = [
    [LEFT + 4, 'start'],
    [340, 'end'],
    [435, 'end'],
    [RIGHT - 4, 'end'],
  ];
  const y = itemTable(drawn, truth, style, 300, columns, true);
  const boxTop = y + 22;
  page.box(LEFT, boxTop, 230, 64, '#f0f0f0');
  page.line(LEFT, boxTop, LEFT + 230, boxTop, 0.8, INK);
  page.line(LEFT, boxTop + 64, LEFT + 230, boxTop + 64, 0.8, INK);
  page.sideBySide(
    () => summary(page, moneyLines(truth, style), boxTop - 2, LEFT + 8, 'start', LEFT + 222),
    () => {
      page.text(320, boxTop + 15, style.labels.terms, { size: 9 });
      page.text(320, boxTop + 29, style.labels.thanks, { size: 9 });
    },
  );
}

function twoColumn(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  page.text(PAGE_WIDTH_PT / 2, 70, style.title, { size: 20, bold: true, anchor: 'middle' });
  let left = 0;
  page.sideBySide(
    () => {
      page.text(LEFT, 110, style.labels.seller, { size: 9, bold: true, color: GREY });
      page.text(LEFT, 126, truth.vendorName, { bold: true });
      left = page.address(LEFT, 141, 14, truth.vendorAddress);
      const id = taxIdLine(truth, style);
      if (id !== undefined) {
        page.text(LEFT, left, id);
        left += 14;
      }
    },
    () => customerBlock(page, truth, style, 320, 110),
  );
  const metaTop = Math.max(left, 200) + 20;
  page.sideBySide(
    ...metaColumns(metaPairs(truth, style)).map(([label, value, x]) => () => {
      page.text(x, metaTop, label, { size: 8.5, bold: true });
      page.text(x, metaTop + 14, value, { size: 10 });
    }),
  );
  const y = itemTable(drawn, truth, style, metaTop + 55, STANDARD_COLUMNS, false);
  const end = summary(page, moneyLines(truth, style), y + 8, 440, 'end', RIGHT - 6);
  page.text(LEFT, end + 36, style.labels.terms);
  if (style.iban !== undefined) {
    page.text(LEFT, end + 52, `IBAN ${style.iban}`);
  }
}

/**
 * A till receipt: a narrow centred column, its item columns as wide as what they print (a
 * receipt printer sets its columns by character counts, so cells never run into each other).
 */
function receipt(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  const center = PAGE_WIDTH_PT / 2;
  const header = style.labels.header;
  const body = rows(truth, style);
  const columnWidth = (c: number): number =>
    Math.max(printedWidth(header[c], BODY, true), ...body.map((row) => printedWidth(row[c], BODY)));
  const gap = 14;
  const widths = [0, 1, 2, 3].map(columnWidth);
  const width = Math.max(250, widths.reduce((sum, w) => sum + w, 0) + gap * (widths.length - 1));
  const l = center - width / 2;
  const r = center + width / 2;
  page.text(center, 70, truth.vendorName, { size: 14, bold: true, anchor: 'middle' });
  page.text(center, 86, truth.vendorAddress.street, { size: 9.5, anchor: 'middle' });
  page.text(center, 99, truth.vendorAddress.city, { size: 9.5, anchor: 'middle' });
  const id = taxIdLine(truth, style);
  if (id !== undefined) {
    page.text(center, 112, id, { size: 9.5, anchor: 'middle' });
  }
  page.text(center, 140, style.title, { size: 13, bold: true, anchor: 'middle' });
  page.text(l, 162, `${style.labels.number} ${truth.invoiceNumber}`, { size: 9.5 });
  page.text(l, 176, `${style.labels.invoiceDate} ${style.date(truth.invoiceDate)}`, { size: 9.5 });
  // Numbers are right-aligned at their column's right edge, the description starts at the left.
  const columns: Column[] = [
    [l, 'start'],
    [r - widths[3] - gap - widths[2] - gap, 'end'],
    [r - widths[3] - gap, 'end'],
    [r, 'end'],
  ];
  const y = itemTable(drawn, truth, style, 205, columns, false, [l - 6, r + 6]);
  const money = moneyLines(truth, style);
  const end = summary(page, money, y + 8, l, 'start', r);
  page.text(l, end + 22, style.labels.paid, { size: 9.5 });
  page.text(center, end + 48, style.labels.thanks, { size: 9.5, anchor: 'middle' });
}

function gst(truth: InvoiceTruth, style: PrintStyle, drawn: Drawn): void {
  const { page } = drawn;
  const center = PAGE_WIDTH_PT / 2;
  page.text(center, 62, style.title, { size: 12, bold: true, anchor: 'middle' });
  page.text(center, 84, truth.vendorName, { size: 16, bold: true, anchor: 'middle' });
  page.text(center, 99, `${truth.vendorAddress.street}, ${truth.vendorAddress.city}`, {
    size: 9.5,
    anchor: 'middle',
  });
  const id = taxIdLine(truth, style);
  if (id !== undefined) {
    page.text(center, 113, id, { size: 9.5, bold: true, anchor: 'middle' });
  }
  page.line(LEFT, 124, RIGHT, 124, 0.8, INK);
  page.sideBySide(
    () => customerBlock(page, truth, style, LEFT, 146),
    () =>
      metaPairs(truth, style).forEach(([label, value], i) => {
        page.text(330, 146 + i * 15, label, { size: 9.5, bold: true });
        page.text(RIGHT, 146 + i * 15, value, { size: 9.5, anchor: 'end' });
      }),
  );
  const y = itemTable(drawn, truth, style, 250, STANDARD_COLUMNS, true);
  const half = Math.floor(Math.round(truth.taxAmount * 100) / 2) / 100;
  const rate = truth.taxRate / 2;
  const lines = [
    ['Taxable Value', style.money(truth.subtotal)],
    [`CGST @ ${rate}%`, style.money(half)],
    [`SGST @ ${rate}%`, style.money(Math.round((truth.taxAmount - half) * 100) / 100)],
    ['Total Tax', style.money(truth.taxAmount)],
    ['Grand Total', style.money(truth.totalAmount), true],
  ] as const;
  const end = summary(page, lines, y + 8, 440, 'end', RIGHT - 6);
  page.text(LEFT, end + 36, style.labels.terms);
  page.text(RIGHT, end + 80, `For ${truth.vendorName}`, { anchor: 'end' });
  page.text(RIGHT, end + 110, 'Authorised Signatory', { size: 9, anchor: 'end' });
}

/** Draws `truth` as `layout` in `style`; the table is the header and item rows as printed. */
export function layoutDocument(
  truth: InvoiceTruth,
  style: PrintStyle,
  layout: DocumentLayout,
): PageLayout {
  const drawn: Drawn = { page: new PageBuilder(), table: [] };
  switch (layout) {
    case 'letter':
      letter(truth, style, drawn, false);
      break;
    case 'credit-note':
      letter(truth, style, drawn, true);
      break;
    case 'logo':
      logo(truth, style, drawn);
      break;
    case 'footer':
      footer(truth, style, drawn);
      break;
    case 'left-totals':
      leftTotals(truth, style, drawn);
      break;
    case 'two-column':
      twoColumn(truth, style, drawn);
      break;
    case 'receipt':
      receipt(truth, style, drawn);
      break;
    case 'gst':
      gst(truth, style, drawn);
      break;
  }
  return { elements: drawn.page.elements, table: drawn.table };
}
