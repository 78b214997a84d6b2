import { line, page, phrase } from './extract.testing.js';
import { extractInvoiceFields, REPAIRED_CAP, UNCONFIRMED_CAP } from './invoice-fields.js';

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

const moneyOf = (rows: [string, string][], lineAmounts: number[] = [], language?: string) => {
  const { fields } = extractInvoiceFields(summaryPage(...rows), {
    lineItems: { cells: [], lineAmounts },
    language,
  });
  return {
    subtotal: fields.subtotal?.value,
    tax: fields.taxAmount?.value,
    total: fields.totalAmount?.value,
    subtotalConfidence: fields.subtotal?.confidence,
    taxConfidence: fields.taxAmount?.confidence,
    totalConfidence: fields.totalAmount?.confidence,
  };
};
const money = (...rows: [string, string][]) => moneyOf(rows);

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

  it('prefers the amount printed with cents to a stray bare number after it on the row', () => {
    const result = money(
      ['Net amount', '1,500.00'],
      ['VAT 20%', '300.00 7'],
      ['Total', '1,800.00'],
    );
    expect(result.tax).toBe(300);
  });
});

describe('summary amounts OCR misread by one character', () => {
  it('repairs a German net amount with a look-alike digit (3 for 8) from gross − VAT', () => {
    const result = moneyOf(
      [
        ['Nettobetrag', '4.354,50 €'],
        ['MwSt. 19 %', '922,36 €'],
        ['Summe brutto', '5.776,86 €'],
      ],
      [],
      'de',
    );
    expect(result).toMatchObject({ subtotal: 4854.5, tax: 922.36, total: 5776.86 });
    // Derived, not read: none of the three is confident.
    expect(result.subtotalConfidence).toBeLessThanOrEqual(REPAIRED_CAP);
    expect(result.taxConfidence).toBeLessThanOrEqual(UNCONFIRMED_CAP);
    expect(result.totalConfidence).toBeLessThanOrEqual(UNCONFIRMED_CAP);
  });

  it('repairs an English VAT amount with a digit too many (fractions of a penny)', () => {
    const result = money(
      ['Sub-total', '£21,605.50'],
      ['VAT @ 20%', '£4,321.106'],
      ['Total incl. VAT', '£25,926.60'],
    );
    expect(result).toMatchObject({ subtotal: 21605.5, tax: 4321.1, total: 25926.6 });
    expect(result.taxConfidence).toBeLessThan(0.9);
  });

  it('repairs an Italian imponibile whose decimal comma was lost', () => {
    const result = moneyOf(
      [
        ['Imponibile', '7693152'],
        ['IVA 23%', '1.769,42'],
        ['Totale documento', '9.462,57'],
      ],
      [],
      'it',
    );
    expect(result.subtotal).toBe(7693.15);
  });

  it('takes a Swiss net amount printed on the line above its label when the sum needs it', () => {
    const rows = page(
      line(40, phrase(50, 'Matterhorn Precision AG')),
      line(385, [["3'512.38", 700, 80]]),
      line(415, phrase(500, 'Gesamt netto CHF')),
      line(445, [...phrase(500, 'zzgl. 8% MwSt. CHF'), ['280.99', 700, 60]]),
      line(475, [...phrase(500, 'Summe brutto CHF'), ["3'793.37", 700, 80]]),
    );
    const { fields } = extractInvoiceFields(rows, {
      lineItems: { cells: [], lineAmounts: [] },
      language: 'de',
    });
    expect(fields.subtotal?.value).toBe(3512.38);
    expect(fields.subtotal?.confidence).toBeLessThanOrEqual(REPAIRED_CAP);
  });

  it('leaves French amounts as read when no single misread explains the difference', () => {
    // 500 + 95 ≠ 600: 95 → 100 or 600 → 595 is more than one misread, 500 → 505 is not a
    // look-alike digit.
    const result = moneyOf(
      [
        ['Total HT', '500,00 €'],
        ['TVA', '95,00 €'],
        ['Total TTC', '600,00 €'],
      ],
      [],
      'fr',
    );
    expect(result).toMatchObject({ subtotal: 500, tax: 95, total: 600 });
    expect(result.totalConfidence).toBeLessThan(0.9);
  });

  it('never repairs a Dutch subtotal into one the item lines contradict', () => {
    // 1.080,00 → 1.000,00 would make the sum hold (8 and 0 look alike), but the lines add up to
    // 1.080,00: the tax or total is the misread one, and neither is one look-alike away.
    const result = moneyOf(
      [
        ['Subtotaal', '1.080,00'],
        ['BTW 21%', '210,00'],
        ['Te betalen', '1.210,00'],
      ],
      [1000, 80],
      'nl',
    );
    expect(result.subtotal).toBe(1080);
    expect(result.totalConfidence).toBeLessThan(0.9);
  });

  it('reads a Dutch total introduced by "Te. betalen" (a speck read as a full stop)', () => {
    const result = moneyOf(
      [
        ['Subtotaal', '1.000,00'],
        ['BTW 21%', '210,00'],
        ['Te. betalen', '1.210,00'],
      ],
      [],
      'nl',
    );
    expect(result.total).toBe(1210);
  });
});
