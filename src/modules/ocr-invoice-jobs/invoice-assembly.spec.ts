import { Types } from 'mongoose';
import { PageStatus } from '../ocr-pages/ocr-page.enums.js';
import { assembleInvoice, type InvoicePage } from './invoice-assembly.js';

/** A page whose table is `rows` (row 0 the header; '' = no cell) and with the given fields. */
function page(
  pageNumber: number,
  rows: string[][],
  fields: Record<string, { value: string | number; confidence: number; source?: string }> = {},
  status = PageStatus.Completed,
): InvoicePage {
  return {
    _id: new Types.ObjectId(),
    pageNumber,
    status,
    extractedFields: fields,
    tableData: rows.flatMap((row, rowIndex) =>
      row.flatMap((cellText, columnIndex) =>
        cellText === '' ? [] : [{ rowIndex, columnIndex, cellText, confidence: 0.9 }],
      ),
    ),
  };
}

const HEADER = ['Description', 'Qty', 'Unit Price', 'Amount'];

describe('assembleInvoice', () => {
  it('stitches line items across pages, dropping headers and carried-forward rows', () => {
    const invoice = assembleInvoice([
      page(2, [
        HEADER,
        ['Brought forward', '', '', '30.00'],
        ['Item C', '1', '5.00', '5.00'],
        ['Übertrag', '', '', '35.00'],
      ]),
      page(1, [
        HEADER,
        ['Item A', '2', '10.00', '20.00'],
        ['Item B', '1', '10.00', '10.00'],
        ['Carried forward', '', '', '30.00'],
      ]),
      page(3, [
        HEADER,
        ['Report', '', '', '35.00'],
        ['Description', 'Qty', 'Price', 'Amount'],
        ['Item D', '3', '1,000.50', '3,001.50'],
      ]),
    ]);
    expect(invoice.lineItems).toEqual([
      { description: 'Item A', quantity: 2, unitPrice: 10, amount: 20, page: 1, rowIndex: 1 },
      { description: 'Item B', quantity: 1, unitPrice: 10, amount: 10, page: 1, rowIndex: 2 },
      { description: 'Item C', quantity: 1, unitPrice: 5, amount: 5, page: 2, rowIndex: 2 },
      {
        description: 'Item D',
        quantity: 3,
        unitPrice: 1000.5,
        amount: 3001.5,
        page: 3,
        rowIndex: 3,
      },
    ]);
  });

  it('joins an item cut by a page break into one, placed where it starts', () => {
    const invoice = assembleInvoice([
      page(1, [HEADER, ['Item A', '1', '1.00', '1.00'], ['Annual maintenance of the', '', '', '']]),
      page(2, [HEADER, ['cooling plant', '1', '99.00', '99.00'], ['Item Z', '1', '2.00', '2.00']]),
    ]);
    expect(invoice.lineItems).toEqual([
      { description: 'Item A', quantity: 1, unitPrice: 1, amount: 1, page: 1, rowIndex: 1 },
      {
        description: 'Annual maintenance of the cooling plant',
        quantity: 1,
        unitPrice: 99,
        amount: 99,
        page: 1,
        rowIndex: 2,
      },
      { description: 'Item Z', quantity: 1, unitPrice: 2, amount: 2, page: 2, rowIndex: 2 },
    ]);
  });

  it('reads German number formats', () => {
    const invoice = assembleInvoice([
      page(1, [
        ['Beschreibung', 'Menge', 'Einzelpreis', 'Betrag'],
        ['Artikel', '2', '1.234,50', '2.469,00'],
      ]),
    ]);
    expect(invoice.lineItems[0]).toMatchObject({ unitPrice: 1234.5, amount: 2469 });
  });

  it('takes header fields from the most confident page and totals from the page with the final total', () => {
    const invoice = assembleInvoice([
      page(1, [], {
        invoiceNumber: { value: 'INV-1', confidence: 0.95 },
        subtotal: { value: 1, confidence: 0.99 },
      }),
      page(2, [], {
        invoiceNumber: { value: 'INV-l', confidence: 0.6 },
        subtotal: { value: 100, confidence: 0.7 },
        taxAmount: { value: 20, confidence: 0.7 },
        totalAmount: { value: 120, confidence: 0.7 },
      }),
    ]);
    expect(invoice.fields.invoiceNumber).toEqual({
      value: 'INV-1',
      confidence: 0.95,
      source: 'ocr',
      page: 1,
    });
    expect(invoice.fields.subtotal).toEqual({
      value: 100,
      confidence: 0.7,
      source: 'ocr',
      page: 2,
    });
    expect(invoice.fields.totalAmount).toMatchObject({ value: 120, page: 2 });
  });

  it('takes a corrected value over an e-invoice one, and an e-invoice one over a reading', () => {
    const invoice = assembleInvoice([
      page(1, [], {
        invoiceNumber: { value: 'X-1', confidence: 1, source: 'e-invoice' },
        totalAmount: { value: 120, confidence: 1, source: 'e-invoice' },
        taxAmount: { value: 20, confidence: 1, source: 'e-invoice' },
      }),
      page(2, [], {
        invoiceNumber: { value: 'X-l', confidence: 1, source: 'ocr' },
        totalAmount: { value: 121, confidence: 0.99, source: 'ocr' },
        taxAmount: { value: 21, confidence: 1, source: 'review' },
      }),
    ]);
    expect(invoice.fields.invoiceNumber).toMatchObject({ value: 'X-1', source: 'e-invoice' });
    expect(invoice.fields.totalAmount).toMatchObject({ value: 120, page: 1 });
    expect(invoice.fields.taxAmount).toMatchObject({ value: 21, source: 'review', page: 2 });
  });

  it('checks sums and dates over the whole document, saying what failed or is missing', () => {
    const pages = [
      page(1, [HEADER, ['A', '1', '10.00', '10.00']], {
        invoiceDate: { value: '2026-03-02', confidence: 0.9 },
        dueDate: { value: '2026-03-01', confidence: 0.9 },
      }),
      page(2, [HEADER, ['B', '1', '5.00', '5.00']], {
        subtotal: { value: 15, confidence: 0.9 },
        totalAmount: { value: 18, confidence: 0.9 },
      }),
    ];
    expect(assembleInvoice(pages).checks).toEqual([
      {
        name: 'lineAmountsSumToSubtotal',
        passed: true,
        detail: '2 line amounts sum to 15.00 = subtotal 15.00',
      },
      { name: 'subtotalPlusTaxEqualsTotal', passed: false, detail: 'not found: taxAmount' },
      {
        name: 'dueDateNotBeforeInvoiceDate',
        passed: false,
        detail: 'due 2026-03-01 < invoice date 2026-03-02',
      },
    ]);
  });

  it('is complete only when no page is pending or processing, and reads completed pages only', () => {
    const pending = page(2, [HEADER, ['B', '1', '5.00', '5.00']], {}, PageStatus.Pending);
    const invoice = assembleInvoice([page(1, [HEADER, ['A', '1', '1.00', '1.00']]), pending]);
    expect(invoice.complete).toBe(false);
    expect(invoice.lineItems.map((item) => item.description)).toEqual(['A']);
    expect(assembleInvoice([]).complete).toBe(false);
    expect(assembleInvoice([page(1, []), { ...pending, status: PageStatus.Failed }]).complete).toBe(
      true,
    );
  });
});
