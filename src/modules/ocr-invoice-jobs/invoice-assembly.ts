import { FieldSource, PageStatus } from '../ocr-pages/ocr-page.enums.js';
import type { OcrPageRecord } from '../ocr-pages/ocr-pages.repository.js';
import { detectNumberFormat, parseAmount } from '../processing/extract/amounts.js';
import { columnKindOfHeader, type ColumnKind } from '../processing/extract/line-items.js';

/** What the assembly reads of a page. */
export type InvoicePage = Pick<
  OcrPageRecord,
  '_id' | 'pageNumber' | 'status' | 'extractedFields' | 'tableData'
> &
  Partial<Pick<OcrPageRecord, 'eInvoice'>>;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface InvoiceField {
  /** The corrected value when a person corrected it, else the one read. */
  value: string | number;
  confidence: number;
  source: FieldSource;
  /** The page number it was read from. */
  page: number;
  boundingBox?: Box;
}

export interface InvoiceLineItem {
  description?: string;
  quantity?: number;
  unitPrice?: number;
  amount?: number;
  /** Where the item starts: its page number and row on that page's table (1 = first item). */
  page: number;
  rowIndex: number;
}

export interface InvoiceCheck {
  name: 'lineAmountsSumToSubtotal' | 'subtotalPlusTaxEqualsTotal' | 'dueDateNotBeforeInvoiceDate';
  passed: boolean;
  detail: string;
}

export interface AssembledInvoice {
  complete: boolean;
  pages: Array<{ _id: string; pageNumber: number; status: PageStatus }>;
  fields: Record<string, InvoiceField>;
  lineItems: InvoiceLineItem[];
  checks: InvoiceCheck[];
}

/** The figures printed once, at the end of the document: taken from the page with the final total. */
const TOTAL_FIELDS = new Set(['subtotal', 'taxAmount', 'totalAmount']);

/**
 * Rows that repeat what another page already says: a running total carried to or from another
 * page ("Carried forward", "Brought forward", "Übertrag", "Report", "À reporter"), not an item.
 */
const CARRIED_TOTAL =
  /^(?:(?:sub-?total\s+)?(?:carried|brought)\s+(?:forward|over)|c\/f|b\/f|übertrag|uebertrag|(?:à\s+)?report(?:é)?|zwischensumme\s+übertrag)\b/i;

/** A cent of tolerance for sums of amounts read from print. */
const TOLERANCE = 0.005;

function fieldOf(page: InvoicePage, name: string): InvoiceField | undefined {
  const raw = page.extractedFields?.[name] as
    { value?: unknown; confidence?: unknown; source?: unknown; boundingBox?: Box } | undefined;
  if (!raw || (typeof raw.value !== 'string' && typeof raw.value !== 'number')) {
    return undefined;
  }
  return {
    value: raw.value,
    confidence: typeof raw.confidence === 'number' ? raw.confidence : 0,
    // Fields stored before sources were recorded were all read by OCR.
    source: Object.values(FieldSource).includes(raw.source as FieldSource)
      ? (raw.source as FieldSource)
      : FieldSource.Ocr,
    page: page.pageNumber,
    ...(raw.boundingBox && { boundingBox: raw.boundingBox }),
  };
}

/** A person's correction beats an embedded e-invoice, which beats a reading. */
const SOURCE_RANK: Record<FieldSource, number> = {
  [FieldSource.Review]: 2,
  [FieldSource.EInvoice]: 1,
  [FieldSource.Ocr]: 0,
};

/**
 * Of a field found on several pages, those of the strongest source (see SOURCE_RANK); among
 * those, the rules below choose.
 */
function strongest(found: InvoiceField[]): InvoiceField[] {
  const best = Math.max(...found.map((field) => SOURCE_RANK[field.source]));
  return found.filter((field) => SOURCE_RANK[field.source] === best);
}

/**
 * A corrected or e-invoice value wins over a reading (see SOURCE_RANK). Among equals, header
 * fields (number, dates, parties, currency) come from the page that prints them most
 * confidently; the totals from the page that prints the final total (the last one that has it),
 * or, for a total that page lacks, from the last page that prints it.
 */
function assembleFields(pages: readonly InvoicePage[]): Record<string, InvoiceField> {
  const names = new Set(pages.flatMap((page) => Object.keys(page.extractedFields ?? {})));
  const totalsPage = [...pages].reverse().find((page) => fieldOf(page, 'totalAmount'));
  const fields: Record<string, InvoiceField> = {};
  for (const name of names) {
    const all = pages.map((page) => fieldOf(page, name)).filter((field) => field !== undefined);
    if (all.length === 0) {
      continue;
    }
    const found = strongest(all);
    if (TOTAL_FIELDS.has(name)) {
      const onTotalsPage = totalsPage && fieldOf(totalsPage, name);
      fields[name] =
        onTotalsPage && found.some((field) => field.page === onTotalsPage.page)
          ? onTotalsPage
          : found[found.length - 1];
    } else {
      fields[name] = found.reduce((best, field) =>
        field.confidence > best.confidence ? field : best,
      );
    }
  }
  return fields;
}

/** A page's table rows (header excluded), each as its cells' text by column kind. */
function itemRowsOf(
  page: InvoicePage,
): Array<{ rowIndex: number; cells: Map<ColumnKind, string> }> {
  const cells = page.tableData ?? [];
  const kinds = new Map<number, ColumnKind>();
  for (const cell of cells.filter((c) => c.rowIndex === 0)) {
    const kind = columnKindOfHeader(cell.cellText);
    if (kind) {
      kinds.set(cell.columnIndex, kind);
    }
  }
  const rows = new Map<number, Map<ColumnKind, string>>();
  for (const cell of cells) {
    const kind = kinds.get(cell.columnIndex);
    if (cell.rowIndex === 0 || !kind) {
      continue;
    }
    const row = rows.get(cell.rowIndex) ?? new Map<ColumnKind, string>();
    row.set(kind, cell.cellText.trim());
    rows.set(cell.rowIndex, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rowIndex, row]) => ({ rowIndex, cells: row }));
}

/** A row that only repeats the table's header (a header row the page detection did not mark). */
function isHeaderRepeat(cells: Map<ColumnKind, string>): boolean {
  const texts = [...cells.values()];
  return texts.length >= 2 && texts.every((text) => columnKindOfHeader(text) !== undefined);
}

/**
 * The items of every page's table, in page order: header rows and carried-forward rows dropped,
 * and an item cut by a page break (its description at the foot of one page, the rest at the top
 * of the next) joined into one.
 */
function assembleLineItems(pages: readonly InvoicePage[]): InvoiceLineItem[] {
  const items: InvoiceLineItem[] = [];
  let unfinished: InvoiceLineItem | undefined;
  for (const page of pages) {
    const rows = itemRowsOf(page);
    const format = detectNumberFormat(rows.flatMap((row) => [...row.cells.values()]));
    const number = (text: string | undefined) =>
      text === undefined ? undefined : parseAmount(text, format);
    const kept = rows.filter((row) => {
      const description = row.cells.get('description');
      return !(description && CARRIED_TOTAL.test(description)) && !isHeaderRepeat(row.cells);
    });
    kept.forEach((row, index) => {
      const description = row.cells.get('description');
      const item: InvoiceLineItem = {
        ...(description && { description }),
        ...optional('quantity', number(row.cells.get('quantity'))),
        ...optional('unitPrice', number(row.cells.get('unitPrice'))),
        ...optional('amount', number(row.cells.get('amount'))),
        page: page.pageNumber,
        rowIndex: row.rowIndex,
      };
      if (unfinished && index === 0) {
        // The rest of the item the previous page ended with (its first item row).
        const joined = [unfinished.description, item.description].filter(Boolean).join(' ');
        items.push({ ...item, ...unfinished, ...withoutPlace(item), description: joined });
        unfinished = undefined;
        return;
      }
      if (unfinished) {
        items.push(unfinished);
        unfinished = undefined;
      }
      const last = index === kept.length - 1;
      if (last && item.amount === undefined && item.description !== undefined) {
        unfinished = item;
      } else if (item.description !== undefined || item.amount !== undefined) {
        items.push(item);
      }
    });
  }
  if (unfinished) {
    items.push(unfinished);
  }
  return items;
}

/** The line items of the document's embedded e-invoice, placed on the page that carries it. */
function eInvoiceLineItems(page: InvoicePage): InvoiceLineItem[] {
  return (page.eInvoice?.lineItems ?? []).map((item, index) => ({
    ...item,
    page: page.pageNumber,
    rowIndex: index + 1,
  }));
}

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function withoutPlace(item: InvoiceLineItem): Partial<InvoiceLineItem> {
  const { quantity, unitPrice, amount } = item;
  return {
    ...optional('quantity', quantity),
    ...optional('unitPrice', unitPrice),
    ...optional('amount', amount),
  };
}

const money = (value: number): string => value.toFixed(2);
const numeric = (field: InvoiceField | undefined): number | undefined =>
  typeof field?.value === 'number' ? field.value : undefined;

/** The document-wide checks: a wrong or missing figure is reported, never silent. */
function checksOf(fields: Record<string, InvoiceField>, items: InvoiceLineItem[]): InvoiceCheck[] {
  const subtotal = numeric(fields.subtotal);
  const tax = numeric(fields.taxAmount);
  const total = numeric(fields.totalAmount);
  const amounts = items.map((item) => item.amount).filter((a) => a !== undefined);
  const sum = Math.round(amounts.reduce((s, a) => s + a, 0) * 100) / 100;
  const checks: InvoiceCheck[] = [];
  if (subtotal === undefined || amounts.length === 0) {
    checks.push({
      name: 'lineAmountsSumToSubtotal',
      passed: false,
      detail: subtotal === undefined ? 'no subtotal was found' : 'no line item amounts were found',
    });
  } else {
    const passed = Math.abs(sum - subtotal) < TOLERANCE;
    checks.push({
      name: 'lineAmountsSumToSubtotal',
      passed,
      detail: `${amounts.length} line amounts sum to ${money(sum)} ${passed ? '=' : '≠'} subtotal ${money(subtotal)}`,
    });
  }
  if (subtotal === undefined || tax === undefined || total === undefined) {
    const missing = [
      subtotal === undefined && 'subtotal',
      tax === undefined && 'taxAmount',
      total === undefined && 'totalAmount',
    ].filter(Boolean);
    checks.push({
      name: 'subtotalPlusTaxEqualsTotal',
      passed: false,
      detail: `not found: ${missing.join(', ')}`,
    });
  } else {
    const sumTotal = Math.round((subtotal + tax) * 100) / 100;
    const passed = Math.abs(sumTotal - total) < TOLERANCE;
    checks.push({
      name: 'subtotalPlusTaxEqualsTotal',
      passed,
      detail: `${money(subtotal)} + ${money(tax)} = ${money(sumTotal)} ${passed ? '=' : '≠'} ${money(total)}`,
    });
  }
  const invoiceDate = fields.invoiceDate?.value;
  const dueDate = fields.dueDate?.value;
  if (typeof invoiceDate === 'string' && typeof dueDate === 'string') {
    // Both are YYYY-MM-DD, which compare as text.
    const passed = dueDate >= invoiceDate;
    checks.push({
      name: 'dueDateNotBeforeInvoiceDate',
      passed,
      detail: `due ${dueDate} ${passed ? '≥' : '<'} invoice date ${invoiceDate}`,
    });
  } else {
    checks.push({
      name: 'dueDateNotBeforeInvoiceDate',
      passed: false,
      detail: `not found: ${[typeof invoiceDate !== 'string' && 'invoiceDate', typeof dueDate !== 'string' && 'dueDate'].filter(Boolean).join(', ')}`,
    });
  }
  return checks;
}

/**
 * One invoice from the pages of a job, in page order. `complete` is false while a page is
 * pending or processing (what is there so far is still assembled).
 */
export function assembleInvoice(pages: readonly InvoicePage[]): AssembledInvoice {
  const ordered = [...pages].sort((a, b) => a.pageNumber - b.pageNumber);
  const done = ordered.filter((page) => page.status === PageStatus.Completed);
  const fields = assembleFields(done);
  const eInvoicePage = done.find((page) => page.eInvoice);
  // An embedded e-invoice lists every item of the document: the tables read are not needed.
  const lineItems = eInvoicePage ? eInvoiceLineItems(eInvoicePage) : assembleLineItems(done);
  return {
    complete:
      ordered.length > 0 &&
      ordered.every(
        (page) => page.status === PageStatus.Completed || page.status === PageStatus.Failed,
      ),
    pages: ordered.map((page) => ({
      _id: String(page._id),
      pageNumber: page.pageNumber,
      status: page.status,
    })),
    fields,
    lineItems,
    checks: checksOf(fields, lineItems),
  };
}
