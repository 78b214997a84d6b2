import { stringify } from 'csv-stringify/sync';
import { INVOICE_FIELD_NAMES } from '../ocr-pages/ocr-page.enums.js';
import { fieldValue, type ExportableInvoice, type ExportedValue } from './exportable-invoice.js';

const LINE_COLUMNS = ['lineNumber', 'description', 'quantity', 'unitPrice', 'amount', 'page'];

/** The columns of the CSV export: the invoice's header fields, then the line item's. */
export const CSV_COLUMNS = [...INVOICE_FIELD_NAMES, ...LINE_COLUMNS];

/**
 * Characters that make a spreadsheet read a cell as a formula. OCR'd text is untrusted: a
 * description reading `=HYPERLINK(…)` must arrive as text, so such cells get a leading `'`
 * (the OWASP advice for CSV injection). Numbers are written as numbers and need none.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: ExportedValue): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * RFC 4180 CSV: a header row, then one row per line item with the invoice's header fields
 * repeated on each (one row with empty line columns when there are no line items), CRLF line
 * ends, fields quoted when they hold a comma, a quote or a line break.
 */
export function toInvoiceCsv(invoice: ExportableInvoice): string {
  const header = INVOICE_FIELD_NAMES.map((name) => cell(fieldValue(invoice, name)));
  const lines =
    invoice.lineItems.length > 0
      ? invoice.lineItems.map((item, index) => [
          String(index + 1),
          cell(item.description),
          cell(item.quantity),
          cell(item.unitPrice),
          cell(item.amount),
          String(item.page),
        ])
      : [LINE_COLUMNS.map(() => '')];
  return stringify(
    lines.map((line) => [...header, ...line]),
    {
      header: true,
      columns: CSV_COLUMNS,
      record_delimiter: 'windows',
      // csv-stringify quotes a field for the record delimiter (CRLF) only: a bare LF or CR in
      // OCR'd text would end the record in most readers. RFC 4180 quotes any line break.
      quoted_match: /[\r\n]/,
    },
  );
}
