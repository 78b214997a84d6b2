import type { ExportableInvoice } from './exportable-invoice.js';

/** An invoice as assembled from two pages, with values that need quoting and escaping. */
export function sampleInvoice(overrides: Partial<ExportableInvoice> = {}): ExportableInvoice {
  return {
    jobId: '6650c0ffee0000000000abcd',
    fields: {
      invoiceNumber: { value: 'RE-2024-0042' },
      invoiceDate: { value: '2024-03-15' },
      dueDate: { value: '2024-04-14' },
      purchaseOrder: { value: 'PO 7781' },
      vendorName: { value: 'Müller & Söhne GmbH' },
      vendorTaxId: { value: 'DE123456789' },
      customerName: { value: 'ACME, Inc.' },
      currency: { value: 'EUR' },
      subtotal: { value: 1250 },
      taxAmount: { value: 237.5 },
      totalAmount: { value: 1487.5 },
    },
    lineItems: [
      {
        description: 'Consulting "senior"',
        quantity: 10,
        unitPrice: 100,
        amount: 1000,
        page: 1,
        rowIndex: 1,
      },
      {
        description: '=HYPERLINK("http://evil")',
        quantity: 1,
        unitPrice: 200,
        amount: 200,
        page: 2,
        rowIndex: 1,
      },
      {
        description: 'Travel, flat\nrate',
        quantity: 1,
        unitPrice: 50,
        amount: 50,
        page: 2,
        rowIndex: 2,
      },
    ],
    ...overrides,
  };
}
