import type { Box, RecognizedPage, RecognizedWord, TableCellResult } from '../processing.types.js';
import { detectNumberFormat, parseAmount, type NumberFormat } from './amounts.js';
import { centerX, distanceToInterval, meanConfidence, right, unionBox } from './geometry.js';
import { medianWordHeight, pageWords, visualRows } from './layout.js';
import { withDigits } from './misread.js';

/** The line-item table of a page: its cells (row 0 = header) and each item's amount. */
export interface LineItemsResult {
  cells: TableCellResult[];
  /** The parsed amount-column value of each item row that has one, top to bottom. */
  lineAmounts: number[];
  /**
   * The vertical extent [top, bottom] of the table (header and items), if there is one. Field
   * extraction ignores labels in it: "Total" heading a column is not the invoice total.
   */
  bounds?: { top: number; bottom: number };
}

export type ColumnKind = 'description' | 'quantity' | 'unitPrice' | 'amount';

/** Header words, normalised to lower-case letters, and the column they name. */
const HEADER_KEYWORDS: Readonly<Record<string, ColumnKind>> = {
  description: 'description',
  item: 'description',
  items: 'description',
  product: 'description',
  products: 'description',
  service: 'description',
  services: 'description',
  details: 'description',
  article: 'description',
  particulars: 'description',
  beschreibung: 'description',
  bezeichnung: 'description',
  artikel: 'description',
  leistung: 'description',
  qty: 'quantity',
  quantity: 'quantity',
  hours: 'quantity',
  hrs: 'quantity',
  units: 'quantity',
  pcs: 'quantity',
  menge: 'quantity',
  anzahl: 'quantity',
  price: 'unitPrice',
  rate: 'unitPrice',
  cost: 'unitPrice',
  preis: 'unitPrice',
  einzelpreis: 'unitPrice',
  amount: 'amount',
  total: 'amount',
  sum: 'amount',
  betrag: 'amount',
  gesamt: 'amount',
  summe: 'amount',
  gesamtpreis: 'amount',
  stk: 'quantity',
  epreis: 'unitPrice',
  // French
  désignation: 'description',
  designation: 'description',
  libellé: 'description',
  libelle: 'description',
  qté: 'quantity',
  qte: 'quantity',
  quantité: 'quantity',
  quantite: 'quantity',
  prix: 'unitPrice',
  pu: 'unitPrice',
  montant: 'amount',
  // Dutch
  omschrijving: 'description',
  aantal: 'quantity',
  aant: 'quantity',
  prijs: 'unitPrice',
  stukprijs: 'unitPrice',
  eenheidsprijs: 'unitPrice',
  bedrag: 'amount',
  totaal: 'amount',
  // Spanish
  descripción: 'description',
  descripcion: 'description',
  concepto: 'description',
  artículo: 'description',
  cant: 'quantity',
  cantidad: 'quantity',
  unidades: 'quantity',
  precio: 'unitPrice',
  importe: 'amount',
  // Italian
  descrizione: 'description',
  articolo: 'description',
  prodotto: 'description',
  qtà: 'quantity',
  qta: 'quantity',
  quantità: 'quantity',
  prezzo: 'unitPrice',
  importo: 'amount',
  totale: 'amount',
};

/** A row starting like this is the summary under the table, not an item. */
const SUMMARY_START =
  /^(?:sub-?total|total|tax|vat|gst|balance|amount|taxable|zwischensumme|summe|mwst|ust|netto|nettobetrag|gesamt|gesamtbetrag|rechnungsbetrag|bruttobetrag|zzgl|montant|tva|subtotaal|totaal|btw|base|importe|iva|imponibile|totale|subtotale|sous|net)(?!\p{L})/iu;

/**
 * An abbreviated header (`P.U. HT`, `P. unit.`, `Prix U.`) is one header across a word space of
 * up to this many line heights: in a large or monospaced header font a space is wider than a
 * word is tall.
 */
const ABBREVIATED_HEADER_GAP_FACTOR = 1.5;

/**
 * A speck: a "word" made only of marks that scanning dirt and table rules read as (dots,
 * colons, quotes, bars, dashes). In a table it is no cell, no row and no column; `&`, `%`, `/`
 * and currency signs are text.
 */
const SPECK = /^[.,:;'"`´‘’‚“”„|¦!¡?¿*°º_~^=\-–—•·]+$/u;

/**
 * Marks glued to a number in a numeric cell by a noisy scan (`“427,00`, `2895,00.`, `4.`): the
 * number is what was printed.
 */
const NUMBER_EDGE_MARKS = /^[.,:;'"`´‘’‚“”„|¦*°]+(?=[\d€$£¥₹])|(?<=\d)[.,:;'"`´‘’‚“”„|¦*°]+$/gu;

/** A vertical gap above this many line heights ends the table. */
const MAX_ROW_GAP_FACTOR = 2.5;

interface Column {
  words: RecognizedWord[];
  kind: ColumnKind | undefined;
  /** The x-range that claims item words; the description column's reaches the next column. */
  left: number;
  right: number;
}

function kindOf(word: RecognizedWord): ColumnKind | undefined {
  return HEADER_KEYWORDS[word.text.toLowerCase().replace(/[^\p{L}]/gu, '')];
}

/** A header names at least two kinds of column and holds no amounts (an item row would). */
function isHeaderRow(row: readonly RecognizedWord[]): boolean {
  const kinds = new Set(row.map(kindOf).filter((kind) => kind !== undefined));
  return kinds.size >= 2 && row.every((word) => parseAmount(word.text) === undefined);
}

/**
 * Header words become columns. Neighbours closer than a word height (an abbreviation, a little
 * more) are one header (`Unit Price`, `Line Total`, `Amount (EUR)`, `P.U. HT`) unless they name
 * two different kinds of column, which is how a tightly set `Qty Price` still yields two columns.
 */
function headerColumns(header: readonly RecognizedWord[], lineHeight: number): Column[] {
  const groups: RecognizedWord[][] = [];
  for (const word of header) {
    const group = groups.at(-1);
    const previous = group?.at(-1);
    const gap = previous === undefined ? Infinity : word.box.x - right(previous.box);
    const abbreviated = previous?.text.endsWith('.') === true || word.text.endsWith('.');
    const close =
      gap <= lineHeight || (abbreviated && gap <= ABBREVIATED_HEADER_GAP_FACTOR * lineHeight);
    const groupKind = group?.map(kindOf).find((kind) => kind !== undefined);
    const wordKind = kindOf(word);
    const conflicting = groupKind !== undefined && wordKind !== undefined && groupKind !== wordKind;
    if (group !== undefined && close && !conflicting) {
      group.push(word);
    } else {
      groups.push([word]);
    }
  }
  const columns = groups.map((words): Column => {
    const box = unionBox(words.map((w) => w.box)) as Box;
    const kind = words.map(kindOf).find((k) => k !== undefined);
    return { words, kind, left: box.x, right: right(box) };
  });
  // Descriptions run on far past their header; everything up to the next column is theirs.
  columns.forEach((column, index) => {
    const next = columns[index + 1];
    if (column.kind === 'description' && next !== undefined) {
      column.right = Math.max(column.right, next.left - 1);
    }
  });
  return columns;
}

/** The column whose span is nearest the word's centre (ties: nearest span centre). */
function columnOf(word: RecognizedWord, columns: readonly Column[]): number {
  const x = centerX(word.box);
  let best = 0;
  let bestKey: [number, number] = [Infinity, Infinity];
  columns.forEach((column, index) => {
    const key: [number, number] = [
      distanceToInterval(x, column.left, column.right),
      Math.abs(x - (column.left + column.right) / 2),
    ];
    if (key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      best = index;
      bestKey = key;
    }
  });
  return best;
}

/**
 * Whether a row is the summary under the table: it starts with `Subtotal`, `Total`, `Tax`, ...
 * and has no number in the quantity column (if there is one), so that an item "Tax return
 * preparation" with a quantity stays an item. Summary labels may sit over the quantity column,
 * hence "no number" rather than "nothing".
 */
function isSummaryRow(row: readonly RecognizedWord[], columns: readonly Column[]): boolean {
  if (!SUMMARY_START.test(row[0]?.text ?? '')) {
    return false;
  }
  const quantity = columns.findIndex((column) => column.kind === 'quantity');
  return row.every(
    (word) => columnOf(word, columns) !== quantity || parseAmount(word.text) === undefined,
  );
}

/** The rows after the header that belong to the table. */
function itemRows(
  rows: readonly RecognizedWord[][],
  headerIndex: number,
  columns: readonly Column[],
  lineHeight: number,
): RecognizedWord[][] {
  const items: RecognizedWord[][] = [];
  let previousBottom = Math.max(...(rows[headerIndex] ?? []).map((w) => w.box.y + w.box.height));
  for (const row of rows.slice(headerIndex + 1)) {
    const top = Math.min(...row.map((w) => w.box.y));
    if (isSummaryRow(row, columns) || top - previousBottom > MAX_ROW_GAP_FACTOR * lineHeight) {
      break;
    }
    items.push(row);
    previousBottom = Math.max(...row.map((w) => w.box.y + w.box.height));
  }
  return items;
}

/** Words by column index for one row. */
function splitIntoColumns(
  row: readonly RecognizedWord[],
  columns: readonly Column[],
): RecognizedWord[][] {
  const cells: RecognizedWord[][] = columns.map(() => []);
  for (const word of row) {
    cells[columnOf(word, columns)]?.push(word);
  }
  return cells;
}

/**
 * Item rows as words per column. A row with words only in the description column continues the
 * item above (a wrapped description), so it is merged rather than counted as an item.
 */
function tableRows(
  items: readonly RecognizedWord[][],
  columns: readonly Column[],
): RecognizedWord[][][] {
  const description = columns.findIndex((column) => column.kind === 'description');
  const result: RecognizedWord[][][] = [];
  for (const row of items) {
    const cells = splitIntoColumns(row, columns);
    const onlyDescription = cells.every(
      (words, index) => words.length === 0 || index === description,
    );
    const previous = result.at(-1);
    if (description !== -1 && onlyDescription && previous !== undefined) {
      previous[description]?.push(...(cells[description] ?? []));
    } else {
      result.push(cells);
    }
  }
  return result;
}

/** A cell's text as read: its words, and in a numeric cell without the marks glued to them. */
function cellText(words: readonly RecognizedWord[], numeric: boolean): string {
  const text = words.map((w) => w.text).join(' ');
  return numeric ? text.replace(NUMBER_EDGE_MARKS, '') : text;
}

/**
 * A numeric cell's words without a leading one-letter speck (`i 697,50`): dust before a number
 * that OCR read as a letter. A unit after the number (`2 h`) stays.
 */
function withoutLeadingSpeck(words: RecognizedWord[]): RecognizedWord[] {
  const [first, second] = words;
  return first !== undefined &&
    second !== undefined &&
    /^[\p{L}|]$/u.test(first.text) &&
    /^[\d€$£¥₹]/u.test(second.text)
    ? words.slice(1)
    : words;
}

/** The most a cell repaired from its row's arithmetic (see `repairRow`) is trusted. */
export const REPAIRED_CELL_CAP = 0.8;

/**
 * When an item row's quantity × unit price ≠ its amount, the amount or the unit price may be an
 * OCR misread: one look-alike digit (`7.619,56` for `7.619,50`) or one digit too many
 * (`725,090` for `725,00`). The one whose printed digits are exactly such a misread of what the
 * other two give is rewritten (its separators kept); when both or neither are, nothing is.
 * Amounts under four digits (in cents) are left alone: one slip from too many others. Returns
 * the column repaired, if any.
 */
function repairRow(
  texts: string[],
  columns: readonly Column[],
  format: NumberFormat | undefined,
): number | undefined {
  const quantityColumn = columns.findIndex((column) => column.kind === 'quantity');
  const priceColumn = columns.findIndex((column) => column.kind === 'unitPrice');
  const amount = amountColumn(columns);
  if (quantityColumn === -1 || priceColumn === -1 || columns[amount]?.kind !== 'amount') {
    return undefined;
  }
  const [quantity, price, total] = [quantityColumn, priceColumn, amount].map((column) =>
    parseAmount(texts[column] ?? '', format),
  );
  if (quantity === undefined || price === undefined || total === undefined || quantity <= 0) {
    return undefined;
  }
  const totalCents = Math.round(total * 100);
  const productCents = Math.round(quantity * price * 100);
  if (Math.abs(productCents - totalCents) <= 1) {
    return undefined;
  }
  const rewrite = (column: number, cents: number): string | undefined => {
    const text = texts[column] ?? '';
    const fixed =
      Number.isInteger(cents) && cents >= 1000 ? withDigits(text, String(cents)) : undefined;
    const value = fixed === undefined ? undefined : parseAmount(fixed, format);
    return value !== undefined && Math.round(value * 100) === cents ? fixed : undefined;
  };
  const fixes = [
    { column: amount, text: rewrite(amount, productCents) },
    { column: priceColumn, text: rewrite(priceColumn, totalCents / quantity) },
  ].filter((fix): fix is { column: number; text: string } => fix.text !== undefined);
  if (fixes.length !== 1) {
    return undefined;
  }
  texts[fixes[0].column] = fixes[0].text;
  return fixes[0].column;
}

/** The column holding line amounts: the last amount-like one, else the last one. */
function amountColumn(columns: readonly Column[]): number {
  const kinds = columns.map((column) => column.kind);
  const lastAmount = kinds.lastIndexOf('amount');
  return lastAmount === -1 ? columns.length - 1 : lastAmount;
}

function lineAmountsOf(rows: readonly string[][], column: number, format?: NumberFormat): number[] {
  return rows
    .map((texts) => parseAmount(texts[column] ?? '', format))
    .filter((value) => value !== undefined);
}

interface LocatedTable {
  columns: Column[];
  header: RecognizedWord[];
  /** Item rows as words per column, wrapped descriptions merged. */
  body: RecognizedWord[][][];
  /** All rows of the page, for the number-format vote. */
  rows: RecognizedWord[][];
}

function locateTable(page: RecognizedPage): LocatedTable | undefined {
  const words = pageWords(page).filter((word) => !SPECK.test(word.text));
  const lineHeight = medianWordHeight(words);
  const rows = visualRows(words);
  const headerIndex = rows.findIndex(isHeaderRow);
  if (headerIndex === -1) {
    return undefined;
  }
  const header = rows[headerIndex];
  const columns = headerColumns(header, lineHeight);
  const body = tableRows(itemRows(rows, headerIndex, columns, lineHeight), columns);
  return { columns, header, body, rows };
}

/**
 * Reads the line-item table of a page. Rows are rebuilt from word positions (table cells often
 * come back from OCR as separate lines or blocks); the first row naming two kinds of column is
 * the header; the table ends at a summary row (`Subtotal`, `Total`, `Tax`, ...) or a wide
 * vertical gap. Empty cells are omitted. No header: no cells.
 */
export function extractLineItems(page: RecognizedPage): LineItemsResult {
  const table = locateTable(page);
  if (table === undefined) {
    return { cells: [], lineAmounts: [] };
  }
  const { columns, rows } = table;
  const numeric = columns.map(
    (column) => column.kind !== undefined && column.kind !== 'description',
  );
  const format = detectNumberFormat(rows.map((row) => row.map((w) => w.text).join(' ')));
  const body = table.body.map((row) =>
    row.map((words, index) => (numeric[index] ? withoutLeadingSpeck(words) : words)),
  );
  const texts = body.map((row) => row.map((words, index) => cellText(words, numeric[index])));
  const repaired = texts.map((row) => repairRow(row, columns, format));
  const cell = (row: number, column: number, words: RecognizedWord[], text: string) => {
    const confidence = meanConfidence(words);
    return {
      rowIndex: row,
      columnIndex: column,
      cellText: text,
      confidence:
        row > 0 && repaired[row - 1] === column
          ? Math.min(confidence, REPAIRED_CELL_CAP)
          : confidence,
      boundingBox: unionBox(words.map((w) => w.box)) as Box,
    };
  };
  const cells: TableCellResult[] = [
    ...columns.map((column, index) => cell(0, index, column.words, cellText(column.words, false))),
    ...body.flatMap((row, rowOffset) =>
      row.flatMap((words, index) =>
        words.length > 0 ? [cell(rowOffset + 1, index, words, texts[rowOffset][index])] : [],
      ),
    ),
  ];
  const box = unionBox([...table.header, ...body.flat(2)].map((word) => word.box)) as Box;
  return {
    cells,
    lineAmounts: lineAmountsOf(texts, amountColumn(columns), format),
    bounds: { top: box.y, bottom: box.y + box.height },
  };
}

/**
 * The kind of line-item column a stored header cell names (`Unit Price` → `unitPrice`), by the
 * same keywords the table was found with; undefined for a header the keywords do not know.
 */
export function columnKindOfHeader(cellText: string): ColumnKind | undefined {
  for (const word of cellText.split(/\s+/)) {
    const kind = HEADER_KEYWORDS[word.toLowerCase().replace(/[^\p{L}]/gu, '')];
    if (kind) {
      return kind;
    }
  }
  return undefined;
}
