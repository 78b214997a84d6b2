import { detectNumberFormat, findAmounts, parseAmount, type NumberFormat } from './amounts.js';

describe('parseAmount', () => {
  it.each<[string, number]>([
    ['1,234.56', 1234.56],
    ["1'234.56", 1234.56],
    ["CHF 1'234.56", 1234.56],
    ['1,23,456.78', 123456.78],
    ['₹ 7,54,171.04', 754171.04],
    ['Rs. 1,15,043.04', 115043.04],
    ['1 234,56 zł', 1234.56],
    ['1.234,56', 1234.56],
    ['1 234,56', 1234.56],
    ['1\u00A0234,56', 1234.56],
    ['1\u202F234,56', 1234.56],
    ['1234.56', 1234.56],
    ['1234,56', 1234.56],
    ['1,234', 1234],
    ['1.234', 1234],
    ['1,234,567.89', 1234567.89],
    ['1.234.567,89', 1234567.89],
    ['1,234,567', 1234567],
    ["1'234.50", 1234.5],
    ['12,50', 12.5],
    ['12.5', 12.5],
    ['0,500', 0.5],
    ['42', 42],
    ['$1,234.56', 1234.56],
    ['€ 1.234,56', 1234.56],
    ['€1.234,56', 1234.56],
    ['1.234,56 EUR', 1234.56],
    ['1.234,56€', 1234.56],
    ['USD 99.00', 99],
    ['US$ 99.00', 99],
    ['£12.00', 12],
    ['CHF 1\u2019250.00', 1250],
    ['-12.00', -12],
    ['−12.00', -12],
    ['(12.00)', -12],
    ['($12.00)', -12],
    ['-$12.00', -12],
    ['$-12.00', -12],
    ['-0.00', 0],
    ['12.50.', 12.5],
    ['12.50:', 12.5],
    [':99.00', 99],
    ['  7.25  ', 7.25],
  ])('%j → %d', (text, expected) => {
    expect(parseAmount(text)).toBe(expected);
  });

  it.each<[string]>([
    ['2024-03-15'],
    ['15.03.2024'],
    ['15/03/2024'],
    ['INV-2024-0042'],
    ['2024/00042'],
    ['Total'],
    ['abc123'],
    ['12.34.56'],
    ['20%'],
    ['12.00 15.00'],
    [''],
    ['$'],
  ])('%j → undefined', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it.each<[string, NumberFormat, number]>([
    ['1,234', 'comma-decimal', 1.234],
    ['1.234', 'comma-decimal', 1234],
    ['1,234', 'dot-decimal', 1234],
    ['1.234', 'dot-decimal', 1.234],
    ['12.50', 'comma-decimal', 12.5],
    ['1.234,56', 'dot-decimal', 1234.56],
  ])(
    '%j with format %s → %d (only the lone 3-digit group is settled by the format)',
    (text, format, expected) => {
      expect(parseAmount(text, format)).toBe(expected);
    },
  );
});

describe('findAmounts', () => {
  it.each<[string, { value: number; text: string; start: number; end: number }[]]>([
    ['Total 1,234.56', [{ value: 1234.56, text: '1,234.56', start: 6, end: 14 }]],
    [
      'VAT 20% 246.91',
      // The rate is not an amount.
      [{ value: 246.91, text: '246.91', start: 8, end: 14 }],
    ],
    [
      '2 x 12.50 = 25.00 EUR',
      [
        { value: 2, text: '2', start: 0, end: 1 },
        { value: 12.5, text: '12.50', start: 4, end: 9 },
        { value: 25, text: '25.00 EUR', start: 12, end: 21 },
      ],
    ],
    ['Invoice INV-2024-0042 dated 2024-03-15', []],
    ['Datum: 15.03.2024', []],
    ['Rabatt (10,00 €)', [{ value: -10, text: '(10,00 €)', start: 7, end: 16 }]],
    ['Summe 1 234,56 €', [{ value: 1234.56, text: '1 234,56 €', start: 6, end: 16 }]],
    [
      // Ordinary spaces only group thousands before a decimal comma.
      'Qty 2 125.00',
      [
        { value: 2, text: '2', start: 4, end: 5 },
        { value: 125, text: '125.00', start: 6, end: 12 },
      ],
    ],
    ['Tax (VAT 20%)', []],
    ['Total:$99.00.', [{ value: 99, text: '$99.00', start: 6, end: 12 }]],
  ])('%j', (text, expected) => {
    expect(findAmounts(text)).toEqual(expected);
  });
});

describe('detectNumberFormat', () => {
  it.each<[string[], NumberFormat | undefined]>([
    [['Subtotal 1,234.56', 'Total 1,481.47'], 'dot-decimal'],
    [['Zwischensumme 1.234,56', 'Summe 1.481,47'], 'comma-decimal'],
    [['Total 1 234,56 €'], 'comma-decimal'],
    [['1,234,567'], 'dot-decimal'],
    [['1.234.567'], 'comma-decimal'],
    // "1,234" and "1.234" alone could be either.
    [['1,234', '1.234', 'Qty 3'], undefined],
    [['12.50', '99,00'], undefined],
    [['12.50', '99,00', '3.75'], 'dot-decimal'],
    [['no numbers here'], undefined],
    [[], undefined],
    // Dates and invoice numbers do not vote.
    [['15.03.2024', 'INV-2024-0042', '12,50'], 'comma-decimal'],
  ])('%j → %s', (texts, expected) => {
    expect(detectNumberFormat(texts)).toBe(expected);
  });
});

describe('OCR dust before an amount', () => {
  it('reads a German amount behind a stray full stop (`Netto. .8.755,90€`)', () => {
    expect(findAmounts('Netto. .8.755,90€', 'comma-decimal').map((a) => a.value)).toEqual([8755.9]);
  });

  it('still takes no amount out of a dotted token (`No.12345`, `v2.50`, `15.03.2024`)', () => {
    expect(findAmounts('No.12345')).toEqual([]);
    expect(findAmounts('v2.50')).toEqual([]);
    expect(findAmounts('15.03.2024')).toEqual([]);
  });
});
