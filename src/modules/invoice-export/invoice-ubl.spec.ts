import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readEInvoice } from '../processing/e-invoice/read-e-invoice.js';
import { sampleInvoice } from './invoice-export.fixtures.js';
import { toUblInvoice } from './invoice-ubl.js';

/** Parsed with prefixes kept, so element names and namespaces are checked as written. */
const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => name === 'cac:InvoiceLine',
});

describe('toUblInvoice', () => {
  const { xml, missingBusinessTerms } = toUblInvoice(sampleInvoice());
  const invoice = parser.parse(xml).Invoice;

  it('is well-formed XML in the UBL 2.1 Invoice namespaces', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(invoice['@_xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(invoice['@_xmlns:cac']).toBe(
      'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
    );
    expect(invoice['@_xmlns:cbc']).toBe(
      'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
    );
  });

  it('fills the header business terms', () => {
    expect(invoice['cbc:CustomizationID']).toBe('urn:cen.eu:en16931:2017');
    expect(invoice['cbc:ID']).toBe('RE-2024-0042');
    expect(invoice['cbc:IssueDate']).toBe('2024-03-15');
    expect(invoice['cbc:DueDate']).toBe('2024-04-14');
    expect(invoice['cbc:InvoiceTypeCode']).toBe('380');
    expect(invoice['cbc:DocumentCurrencyCode']).toBe('EUR');
    expect(invoice['cac:OrderReference']['cbc:ID']).toBe('PO 7781');
  });

  it('names the supplier with its VAT id and the customer', () => {
    const supplier = invoice['cac:AccountingSupplierParty']['cac:Party'];
    expect(supplier['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('Müller & Söhne GmbH');
    expect(supplier['cac:PartyTaxScheme']['cbc:CompanyID']).toBe('DE123456789');
    expect(supplier['cac:PartyTaxScheme']['cac:TaxScheme']['cbc:ID']).toBe('VAT');
    const customer = invoice['cac:AccountingCustomerParty']['cac:Party'];
    expect(customer['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('ACME, Inc.');
  });

  it('writes every amount with two decimals and its currencyID', () => {
    expect(invoice['cac:TaxTotal']['cbc:TaxAmount']).toEqual({
      '#text': '237.50',
      '@_currencyID': 'EUR',
    });
    const totals = invoice['cac:LegalMonetaryTotal'];
    expect(totals['cbc:LineExtensionAmount']).toEqual({
      '#text': '1250.00',
      '@_currencyID': 'EUR',
    });
    expect(totals['cbc:TaxExclusiveAmount']).toEqual({ '#text': '1250.00', '@_currencyID': 'EUR' });
    expect(totals['cbc:TaxInclusiveAmount']).toEqual({ '#text': '1487.50', '@_currencyID': 'EUR' });
    expect(totals['cbc:PayableAmount']).toEqual({ '#text': '1487.50', '@_currencyID': 'EUR' });
  });

  it('writes one InvoiceLine per line item, in order', () => {
    const lines = invoice['cac:InvoiceLine'];
    expect(lines).toHaveLength(3);
    expect(lines[0]['cbc:ID']).toBe('1');
    expect(lines[0]['cbc:InvoicedQuantity']).toEqual({ '#text': '10', '@_unitCode': 'C62' });
    expect(lines[0]['cbc:LineExtensionAmount']).toEqual({
      '#text': '1000.00',
      '@_currencyID': 'EUR',
    });
    expect(lines[0]['cac:Item']['cbc:Name']).toBe('Consulting "senior"');
    expect(lines[0]['cac:Price']['cbc:PriceAmount']).toEqual({
      '#text': '100.00',
      '@_currencyID': 'EUR',
    });
    expect(lines[1]['cac:Item']['cbc:Name']).toBe('=HYPERLINK("http://evil")');
  });

  it('escapes text so that it cannot inject markup', () => {
    const hostile = toUblInvoice(
      sampleInvoice({ fields: { vendorName: { value: '</cbc:RegistrationName><evil/>' } } }),
    );
    expect(XMLValidator.validate(hostile.xml)).toBe(true);
    expect(hostile.xml).not.toContain('<evil/>');
  });

  it('lists the EN 16931 terms it could not fill', () => {
    expect(missingBusinessTerms).toEqual(['BT-40', 'BT-55', 'BT-118', 'BT-151']);
    const sparse = toUblInvoice(
      sampleInvoice({ fields: { invoiceNumber: { value: 'A-1' } }, lineItems: [] }),
    );
    expect(sparse.missingBusinessTerms).toEqual([
      'BG-25',
      'BT-2',
      'BT-5',
      'BT-9',
      'BT-13',
      'BT-27',
      'BT-31',
      'BT-40',
      'BT-44',
      'BT-55',
      'BT-109',
      'BT-110',
      'BT-112',
      'BT-118',
      'BT-151',
    ]);
    expect(sparse.xml).not.toContain('InvoiceLine');
    const unread = toUblInvoice(
      sampleInvoice({ lineItems: [{ amount: 5, page: 1, rowIndex: 1 }] }),
    );
    expect(unread.missingBusinessTerms).toEqual([
      'BT-40',
      'BT-55',
      'BT-118',
      'BT-129',
      'BT-151',
      'BT-153',
    ]);
    const line = parser.parse(unread.xml).Invoice['cac:InvoiceLine'][0];
    expect(line['cbc:InvoicedQuantity']).toBeUndefined();
    expect(line['cac:Item']).toBe('');
    expect(sparse.xml).not.toContain('DocumentCurrencyCode');
  });

  it('reads back as the same invoice', () => {
    const read = readEInvoice(xml);
    expect(read?.syntax).toBe('ubl');
    expect(read?.fields).toEqual(
      Object.fromEntries(
        Object.entries(sampleInvoice().fields).map(([name, field]) => [name, field.value]),
      ),
    );
    expect(read?.lineItems[2]).toEqual({
      description: 'Travel, flat\nrate',
      quantity: 1,
      unitPrice: 50,
      amount: 50,
    });
  });
});
