import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, toInvoiceCsv } from './invoice-csv.js';
import { sampleInvoice } from './invoice-export.fixtures.js';

describe('toInvoiceCsv', () => {
  it('writes a header row, then one row per line item with the header fields repeated', () => {
    const csv = toInvoiceCsv(sampleInvoice());
    const rows = parse(csv);
    expect(rows[0]).toEqual(CSV_COLUMNS);
    expect(rows).toHaveLength(4);
    for (const row of rows.slice(1)) {
      expect(row.slice(0, 11)).toEqual([
        'RE-2024-0042',
        '2024-03-15',
        '2024-04-14',
        'PO 7781',
        'Müller & Söhne GmbH',
        'DE123456789',
        'ACME, Inc.',
        'EUR',
        '1250',
        '237.5',
        '1487.5',
      ]);
    }
    expect(rows[1].slice(11)).toEqual(['1', 'Consulting "senior"', '10', '100', '1000', '1']);
    expect(rows[3].slice(11)).toEqual(['3', 'Travel, flat\nrate', '1', '50', '50', '2']);
  });

  it('quotes as RFC 4180 says and ends records with CRLF', () => {
    const csv = toInvoiceCsv(sampleInvoice());
    expect(csv).toContain('"ACME, Inc."');
    expect(csv).toContain('"Consulting ""senior"""');
    expect(csv).toContain('"Travel, flat\nrate"');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  it('quotes a field with a bare line break, which would otherwise end the record', () => {
    const invoice = sampleInvoice();
    invoice.lineItems[0].description = 'two\nlines';
    invoice.lineItems[1].description = 'carriage\rreturn';
    const csv = toInvoiceCsv(invoice);
    expect(csv).toContain(',"two\nlines",');
    expect(csv).toContain(',"carriage\rreturn",');
    expect(parse(csv)[1][12]).toBe('two\nlines');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const rows = parse(toInvoiceCsv(sampleInvoice()));
    expect(rows[2][12]).toBe(`'=HYPERLINK("http://evil")`);
  });

  it('writes one row with empty line columns when there are no line items', () => {
    const rows = parse(toInvoiceCsv(sampleInvoice({ lineItems: [] })));
    expect(rows).toHaveLength(2);
    expect(rows[1].slice(11)).toEqual(['', '', '', '', '', '']);
  });

  it('leaves fields that were not read empty', () => {
    const rows = parse(toInvoiceCsv(sampleInvoice({ fields: { invoiceNumber: { value: 'X' } } })));
    expect(rows[1].slice(0, 3)).toEqual(['X', '', '']);
  });
});
