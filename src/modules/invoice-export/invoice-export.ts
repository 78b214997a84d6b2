import type { ExportableInvoice } from './exportable-invoice.js';
import { toInvoiceCsv } from './invoice-csv.js';
import { toUblInvoice } from './invoice-ubl.js';

/** The response header that lists the EN 16931 business terms a UBL export could not fill. */
export const MISSING_TERMS_HEADER = 'X-Missing-Business-Terms';

/** An invoice as a file: its bytes (text), media type, download name and extra headers. */
export interface InvoiceFile {
  contentType: string;
  fileName: string;
  body: string;
  headers: Record<string, string>;
}

/** RFC 4180 CSV (see toInvoiceCsv). */
export function invoiceCsvFile(invoice: ExportableInvoice): InvoiceFile {
  return {
    contentType: 'text/csv; charset=utf-8',
    fileName: `invoice-${invoice.jobId}.csv`,
    body: toInvoiceCsv(invoice),
    headers: {},
  };
}

/** UBL 2.1 (see toUblInvoice), with the business terms it lacks in MISSING_TERMS_HEADER. */
export function invoiceUblFile(invoice: ExportableInvoice): InvoiceFile {
  const { xml, missingBusinessTerms } = toUblInvoice(invoice);
  return {
    contentType: 'application/xml; charset=utf-8',
    fileName: `invoice-${invoice.jobId}.xml`,
    body: xml,
    headers: { [MISSING_TERMS_HEADER]: missingBusinessTerms.join(', ') },
  };
}
