import type { BlockType, FieldSource, INVOICE_FIELD_NAMES } from '../ocr-pages/ocr-page.enums.js';

/** A rectangle in pixels of the original page image (top-left origin, y down). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A word as recognised, in original-image coordinates; confidence in [0, 1]. */
export interface RecognizedWord {
  text: string;
  confidence: number;
  box: Box;
}

/** A text line: its words in reading order (left to right). */
export interface RecognizedLine {
  text: string;
  confidence: number;
  box: Box;
  words: RecognizedWord[];
}

export interface RecognizedBlock {
  text: string;
  confidence: number;
  box: Box;
  blockType: BlockType;
  lines: RecognizedLine[];
}

/** What reading a page produced (by OCR, or from a PDF's text layer). */
export interface RecognizedPage {
  text: string;
  /** Mean word confidence in [0, 1]. */
  confidence: number;
  blocks: RecognizedBlock[];
}

/** One extracted invoice field, e.g. `totalAmount`. */
export interface ExtractedField {
  /** A number for amounts, `YYYY-MM-DD` for dates, otherwise a string. */
  value: string | number;
  confidence: number;
  boundingBox?: Box;
  /** Where the value comes from; `ocr` when absent (the extraction rules leave it out). */
  source?: FieldSource;
}

/** The contract's extractedFields keys. */
export type InvoiceFieldName = (typeof INVOICE_FIELD_NAMES)[number];

export type ExtractedFields = Partial<Record<InvoiceFieldName, ExtractedField>>;

/** The outcome of one arithmetic or date consistency check on the extracted fields. */
export interface ConsistencyCheck {
  name:
    | 'subtotalPlusTaxEqualsTotal'
    | 'lineAmountsSumToSubtotal'
    | 'dueDateNotBeforeInvoiceDate'
    /** The page's reading agrees with its document's embedded e-invoice. */
    | 'eInvoiceMatchesPage'
    /** An embedded e-invoice could not be read (the check always fails, saying why). */
    | 'eInvoiceRead';
  passed: boolean;
  /** Human-readable explanation, e.g. "1234.56 + 123.45 = 1358.01 ≠ 1358.10". */
  detail: string;
  /** The fields whose confidence was lowered because the check failed. */
  fields: InvoiceFieldName[];
}

/** A cell of the line-item table; row 0 is the header row. */
export interface TableCellResult {
  rowIndex: number;
  columnIndex: number;
  cellText: string;
  confidence: number;
  boundingBox: Box;
}
