import type { INVOICE_FIELD_NAMES } from '../ocr-pages/ocr-page.enums.js';

export type InvoiceFieldName = (typeof INVOICE_FIELD_NAMES)[number];

/** A field's value as exported: dates `YYYY-MM-DD`, amounts numbers, the rest text. */
export type ExportedValue = string | number | null | undefined;

export interface ExportableLineItem {
  description?: string | null;
  quantity?: number | null;
  unitPrice?: number | null;
  amount?: number | null;
  /** The page that prints the line (1-based) and its row there. */
  page: number;
  rowIndex: number;
}

/** What every export format is made from: an assembled invoice (corrected values already won). */
export interface ExportableInvoice {
  jobId: string;
  fields: Partial<Record<InvoiceFieldName, { value?: ExportedValue }>>;
  lineItems: ExportableLineItem[];
}

export function fieldValue(invoice: ExportableInvoice, name: InvoiceFieldName): ExportedValue {
  return invoice.fields[name]?.value;
}
