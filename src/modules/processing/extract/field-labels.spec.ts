import { findLabels } from './field-labels.js';

/** Labels as `field:text` for compact expectations. */
const labels = (text: string): string[] =>
  findLabels(text).map((label) => `${label.field}:${text.slice(label.start, label.end)}`);

describe('findLabels', () => {
  it.each<[string, string[]]>([
    ['Invoice No: INV-001', ['invoiceNumber:Invoice No']],
    ['Invoice No. 42', ['invoiceNumber:Invoice No.']],
    ['Invoice #42', ['invoiceNumber:Invoice #']],
    // A speck between the label and its `#`, read as a letter.
    ['Invoice i # 043/2024', ['invoiceNumber:Invoice i #']],
    // OCR's `nm` for `mm`.
    ['Bon de conmande : B1207', ['purchaseOrder:Bon de conmande']],
    ['N° de cornmande : B1207', ['purchaseOrder:N° de cornmande']],
    ['INVOICE NUMBER: 42', ['invoiceNumber:INVOICE NUMBER']],
    ['lnvoice N0: 42', ['invoiceNumber:lnvoice N0']],
    ['1nvoice Nº 42', ['invoiceNumber:1nvoice Nº']],
    ['Inv. No. 42', ['invoiceNumber:Inv. No.']],
    ['Invoice: 42', ['invoiceNumber:Invoice']],
    ['Rechnungsnummer 42', ['invoiceNumber:Rechnungsnummer']],
    // Labels in French, Dutch, Spanish, Italian and German as real invoices print them.
    ['Facture n° F-2024-17', ['invoiceNumber:Facture n°']],
    ['Factuurnummer: 2024-0042', ['invoiceNumber:Factuurnummer']],
    ['Número de factura: A-17', ['invoiceNumber:Número de factura']],
    ['Rechnungsdatum: 15. März 2024', ['invoiceDate:Rechnungsdatum']],
    ['Date d’échéance : 15 mars 2024', ['dueDate:Date d’échéance']],
    ['Vervaldatum: 15-04-2024', ['dueDate:Vervaldatum']],
    ['Fecha de vencimiento: 15/04/2024', ['dueDate:Fecha de vencimiento']],
    ['Data scadenza: 15/04/2024', ['dueDate:Data scadenza']],
    ['Base imponible 1.000,00 €', ['subtotal:Base imponible']],
    ['Imponibile € 1.000,00', ['subtotal:Imponibile']],
    ['Total HT 1 000,00 €', ['subtotal:Total HT']],
    ['Total TTC 1 200,00 €', ['totalAmount:Total TTC']],
    ['Totaal incl. btw € 1.210,00', ['totalAmount:Totaal incl. btw']],
    ['Gesamtbetrag 1.190,00 €', ['totalAmount:Gesamtbetrag']],
    ['BTW-nummer: NL123456789B01', ['vendorTaxId:BTW-nummer']],
    ['USt-IdNr.: DE123456789', ['vendorTaxId:USt-IdNr.']],
    ['N° TVA : FR12345678901', ['vendorTaxId:N° TVA']],
    ['P.IVA 12345678901', ['vendorTaxId:P.IVA']],
    ['GSTIN: 27AAPFU0939F1ZV', ['vendorTaxId:GSTIN']],
    ['Taxable amount 100.00', ['subtotal:Taxable amount']],
    ['INVOICE', []],
    ['Invoice Date: 15/03/2024', ['invoiceDate:Invoice Date']],
    ['Date: 15/03/2024', ['invoiceDate:Date']],
    ['Date of issue 15/03/2024', ['invoiceDate:Date of issue']],
    ['Datum 15.03.2024', ['invoiceDate:Datum']],
    ['Order Date 01/03/2024', []],
    ['Due Date: 14/04/2024', ['dueDate:Due Date']],
    ['Payment Due 14/04/2024', ['dueDate:Payment Due']],
    ['Due: 14/04/2024', ['dueDate:Due']],
    ['Invoice Date Due Date', ['invoiceDate:Invoice Date', 'dueDate:Due Date']],
    ['Invoice No: 42 Date: 15/03/2024', ['invoiceNumber:Invoice No', 'invoiceDate:Date']],
    ['PO Number: 4500', ['purchaseOrder:PO Number']],
    ['P.O. 4500', ['purchaseOrder:P.O.']],
    ['PO# 4500', ['purchaseOrder:PO#']],
    ['Purchase Order: PO-4500', ['purchaseOrder:Purchase Order']],
    ['PO Box 12', []],
    ['P.O. Box 12', []],
    ['Pos Description', []],
    ['VAT No: GB123456789', ['vendorTaxId:VAT No']],
    ['VAT Reg. No. GB123456789', ['vendorTaxId:VAT Reg. No.']],
    ['Tax ID: 12-3456789', ['vendorTaxId:Tax ID']],
    ['EIN 12-3456789', ['vendorTaxId:EIN']],
    ['ABN 51 824 753 556', ['vendorTaxId:ABN']],
    ['GST No. 123', ['vendorTaxId:GST No.']],
    ['USt-IdNr. DE123456789', ['vendorTaxId:USt-IdNr.']],
    // "ein" in German prose is not the US employer number.
    ['Das ist ein Test', []],
    // Bare VAT is both: the value decides (a rate and amount, or an identifier).
    ['VAT 20% 246.91', ['taxAmount:VAT', 'vendorTaxId:VAT']],
    ['Bill To: Contoso Ltd', ['customerName:Bill To']],
    ['Billed To', ['customerName:Billed To']],
    ['Customer: Contoso Ltd', ['customerName:Customer']],
    ['Customer No: 123', []],
    // Party labels count only at the start of a line.
    ['Thanks from Acme Customer Services', []],
    ['From: Acme Ltd', ['vendorName:From']],
    ['Subtotal 100.00', ['subtotal:Subtotal']],
    ['Sub-total 100.00', ['subtotal:Sub-total']],
    ['Total excl. VAT 100.00', ['subtotal:Total excl. VAT']],
    ['Net amount 100.00', ['subtotal:Net amount']],
    ['Tax (VAT 20%) 20.00', ['taxAmount:Tax', 'taxAmount:VAT', 'vendorTaxId:VAT']],
    ['Sales Tax 8.25', ['taxAmount:Sales Tax']],
    ['Total VAT 20.00', ['taxAmount:Total VAT']],
    ['Total 120.00', ['totalAmount:Total']],
    ['Total Due 120.00', ['totalAmount:Total Due']],
    ['Grand Total 120.00', ['totalAmount:Grand Total']],
    ['Total incl. VAT 120.00', ['totalAmount:Total incl. VAT']],
    ['Amount Due 120.00', ['totalAmount:Amount Due']],
    ['Balance Due: 120.00', ['totalAmount:Balance Due']],
    ['Total hours 12', []],
  ])('%j → %j', (text, expected) => {
    expect(labels(text)).toEqual(expected);
  });

  it('reports spans and ranks', () => {
    expect(findLabels('Date: 1/2/2024, Total 9.00')).toEqual([
      { field: 'invoiceDate', rank: 2, start: 0, end: 4 },
      { field: 'totalAmount', rank: 1, start: 16, end: 21 },
    ]);
  });

  it.each([
    // `Nº` as OCR misreads it.
    ['Factura N* 20243375', ['invoiceNumber:Factura N*']],
    ['N? factura: 20256286', ['invoiceNumber:N? factura']],
    ['Nota de crédito ne 060/2025', ['invoiceNumber:Nota de crédito ne']],
    ['Factura n.e INV-2025-99070', ['invoiceNumber:Factura n.e']],
    // `N°` read as a bare `N`, the number in the next cell.
    ['Facture N', ['invoiceNumber:Facture N']],
    ['Facture N 20258522', ['invoiceNumber:Facture N']],
    // A word joined to a number by a hyphen is an identifier, not a label.
    ['GST-2023-99681', []],
    ['GST 18% 540.00', ['taxAmount:GST']],
  ])('OCR readings: %j → %j', (text, expected) => {
    expect(labels(text)).toEqual(expected);
  });
});

describe('labels as OCR splits them', () => {
  it.each<[string, string[]]>([
    // Italian "del" ending its cell, the date in the next one.
    ['del', ['invoiceDate:del']],
    ['. del 07/02/2025', ['invoiceDate:del']],
    ['Te. betalen', ['totalAmount:Te. betalen']],
    ['N..I.F.: ESB81485747', ['vendorTaxId:N..I.F.']],
  ])('%s', (text, expected) => {
    expect(labels(text)).toEqual(expected);
  });

  it('takes no "del" in the middle of a name', () => {
    expect(labels('Via del Corso 12')).toEqual([]);
  });
});
