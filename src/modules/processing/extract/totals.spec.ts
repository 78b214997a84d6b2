import { line, page, phrase } from './extract.testing.js';
import { extractInvoiceFields, UNCONFIRMED_CAP } from './invoice-fields.js';

/** A summary block: each `[label, amount]` on its own row, label at x=500, amount at x=700. */
function summaryPage(...rows: [label: string, amount: string][]) {
  return page(
    line(40, phrase(50, 'Acme Design Studio Ltd')),
    line(70, phrase(600, 'Invoice No: INV-7')),
    ...rows.map(([label, amount], index) =>
      line(400 + index * 30, [...phrase(500, label), [amount, 700, amount.length * 10]]),
    ),
  );
}

const money = (...rows: [string, string][]) => {
  const { fields } = extractInvoiceFields(summaryPage(...rows), {
    lineItems: { cells: [], lineAmounts: [] },
  });
  return {
    subtotal: fields.subtotal?.value,
    tax: fields.taxAmount?.value,
    total: fields.totalAmount?.value,
    totalConfidence: fields.totalAmount?.confidence,
  };
};

describe('totals choice', () => {
  it('takes the total that subtotal + tax add up to, not a net amount under a "Total" label', () => {
    const result = money(
      ['Total', '1,000.00'],
      ['VAT 20%', '200.00'],
      ['Net amount', '1,000.00'],
      ['Amount due', '1,200.00'],
    );
    expect(result).toMatchObject({ subtotal: 1000, tax: 200, total: 1200 });
    expect(result.totalConfidence).toBeGreaterThanOrEqual(0.9);
  });

  it('without a consistent combination, takes the largest labelled payable amount', () => {
    const result = money(['Total', '980.00'], ['Total due', '1,176.00']);
    expect(result.total).toBe(1176);
  });

  it('never returns the subtotal as the total when tax was charged', () => {
    const result = money(['Subtotal', '500.00'], ['Tax', '95.00'], ['Total', '500.00']);
    expect(result.subtotal).toBe(500);
    expect(result.total).toBeUndefined();
  });

  it('never gives an unconfirmed total a confidence of 0.9 or more', () => {
    const result = money(['Subtotal', '500.00'], ['Tax', '95.00'], ['Total', '600.00']);
    expect(result.total).toBe(600);
    expect(result.totalConfidence).toBeLessThanOrEqual(UNCONFIRMED_CAP);
    expect(result.totalConfidence).toBeLessThan(0.9);
  });

  it.each([
    [
      'de',
      [
        ['Nettobetrag', '1.000,00'],
        ['MwSt. 19 %', '190,00'],
        ['Gesamtbetrag', '1.190,00'],
      ],
    ],
    [
      'fr',
      [
        ['Total HT', '1 000,00'],
        ['TVA 20 %', '200,00'],
        ['Total TTC', '1 200,00'],
      ],
    ],
    [
      'nl',
      [
        ['Subtotaal', '1.000,00'],
        ['BTW 21%', '210,00'],
        ['Te betalen', '1.210,00'],
      ],
    ],
    [
      'es',
      [
        ['Base imponible', '1.000,00'],
        ['IVA 21 %', '210,00'],
        ['Total factura', '1.210,00'],
      ],
    ],
    [
      'it',
      [
        ['Imponibile', '1.000,00'],
        ['IVA 22%', '220,00'],
        ['Totale fattura', '1.220,00'],
      ],
    ],
  ] as [string, [string, string][]][])('reads the %s summary labels', (_language, rows) => {
    const result = money(...rows);
    expect(result.subtotal).toBe(1000);
    expect((result.subtotal as number) + (result.tax as number)).toBe(result.total);
    expect(result.totalConfidence).toBeGreaterThanOrEqual(0.9);
  });
});
