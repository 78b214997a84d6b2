import type { ExtractedFields } from '../processing.types.js';
import { applyEInvoice } from './apply-e-invoice.js';
import type { EInvoice } from './read-e-invoice.js';

const box = { x: 1, y: 2, width: 3, height: 4 };

const reading: { fields: ExtractedFields; checks: [] } = {
  fields: {
    invoiceNumber: { value: 'INV 00471102', confidence: 0.7, boundingBox: box },
    totalAmount: { value: 592.78, confidence: 0.6, boundingBox: box },
    customerName: { value: 'Someone Else Ltd', confidence: 0.5, boundingBox: box },
  },
  checks: [],
};

const invoice: EInvoice = {
  syntax: 'cii',
  fields: {
    invoiceNumber: 'INV-00471102',
    subtotal: 473,
    taxAmount: 56.87,
    totalAmount: 529.87,
    currency: 'EUR',
  },
  lineItems: [
    { description: 'A', quantity: 1, unitPrice: 198, amount: 198 },
    { description: 'B', quantity: 50, unitPrice: 5.5, amount: 275 },
  ],
};

describe('applyEInvoice', () => {
  it('leaves a page without an e-invoice as read', () => {
    expect(applyEInvoice(reading, undefined)).toBe(reading);
  });

  it('takes every field the e-invoice gives, with confidence 1 and source e-invoice', () => {
    const { fields, eInvoice } = applyEInvoice(reading, {
      kind: 'read',
      fileName: 'factur-x.xml',
      invoice,
    });
    expect(fields).toEqual({
      // Printed the same way (punctuation aside): the page's box is kept.
      invoiceNumber: {
        value: 'INV-00471102',
        confidence: 1,
        source: 'e-invoice',
        boundingBox: box,
      },
      subtotal: { value: 473, confidence: 1, source: 'e-invoice' },
      taxAmount: { value: 56.87, confidence: 1, source: 'e-invoice' },
      // Read differently: the e-invoice's value, without the box of another figure.
      totalAmount: { value: 529.87, confidence: 1, source: 'e-invoice' },
      currency: { value: 'EUR', confidence: 1, source: 'e-invoice' },
      // The e-invoice does not name the customer: the reading stays.
      customerName: reading.fields.customerName,
    });
    expect(eInvoice).toEqual({
      fileName: 'factur-x.xml',
      syntax: 'cii',
      lineItems: invoice.lineItems,
    });
  });

  it('reports a disagreement of the reading without taking it, and checks the e-invoice sums', () => {
    const { checks } = applyEInvoice(reading, { kind: 'read', fileName: 'factur-x.xml', invoice });
    expect(checks).toEqual([
      expect.objectContaining({ name: 'subtotalPlusTaxEqualsTotal', passed: true, fields: [] }),
      expect.objectContaining({ name: 'lineAmountsSumToSubtotal', passed: true, fields: [] }),
      {
        name: 'eInvoiceMatchesPage',
        passed: false,
        detail:
          'factur-x.xml and the page differ: totalAmount: the page reads 592.78, the e-invoice says 529.87',
        fields: [],
      },
    ]);
  });

  it('keeps the reading of an unreadable e-invoice and says why', () => {
    const result = applyEInvoice(reading, {
      kind: 'unreadable',
      fileName: 'factur-x.xml',
      reason: 'it is not well-formed XML',
    });
    expect(result.fields).toBe(reading.fields);
    expect(result.eInvoice).toBeUndefined();
    expect(result.checks).toEqual([
      {
        name: 'eInvoiceRead',
        passed: false,
        detail:
          'the embedded e-invoice factur-x.xml was not read (it is not well-formed XML); the fields are read from the page',
        fields: [],
      },
    ]);
  });
});
