import { findEInvoice, readEInvoice } from './read-e-invoice.js';

/** A Factur-X (EN 16931 profile) document as the standard's examples write it. */
export const FACTUR_X_XML = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>urn:cen.eu:en16931:2017</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>00471102</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20240305</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Trennblätter A4</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>9.90</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="H87">20.0000</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>198.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedTradeProduct><ram:Name>Joghurt Banane</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>5.50</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="H87">50</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>275.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>Lieferant GmbH</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="FC">201/113/40209</ram:ID></ram:SpecifiedTaxRegistration>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">DE123456789</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Kunden AG Mitte</ram:Name></ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-2024-17</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20240404</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>473.00</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>473.00</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">56.87</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>529.87</ram:GrandTotalAmount>
        <ram:DuePayableAmount>529.87</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;

describe('readEInvoice', () => {
  it('reads the fields and line items of a Factur-X / ZUGFeRD (CII) invoice', () => {
    expect(readEInvoice(FACTUR_X_XML)).toEqual({
      syntax: 'cii',
      fields: {
        invoiceNumber: '00471102',
        invoiceDate: '2024-03-05',
        dueDate: '2024-04-04',
        purchaseOrder: 'PO-2024-17',
        vendorName: 'Lieferant GmbH',
        vendorTaxId: 'DE123456789',
        customerName: 'Kunden AG Mitte',
        currency: 'EUR',
        subtotal: 473,
        taxAmount: 56.87,
        totalAmount: 529.87,
      },
      lineItems: [
        { description: 'Trennblätter A4', quantity: 20, unitPrice: 9.9, amount: 198 },
        { description: 'Joghurt Banane', quantity: 50, unitPrice: 5.5, amount: 275 },
      ],
    });
  });

  it.each([
    ['not XML', 'hello'],
    ['malformed XML', '<rsm:CrossIndustryInvoice><a></rsm:CrossIndustryInvoice>'],
    ['another document', '<?xml version="1.0"?><order><id>1</id></order>'],
  ])('gives nothing for %s', (_, xml) => {
    expect(readEInvoice(xml)).toBeUndefined();
  });

  it('does not expand entity bombs', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE Invoice [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&d;&d;&d;&d;&d;&d;&d;&d;</ID></Invoice>`;
    const read = readEInvoice(lol);
    expect(String(read?.fields.invoiceNumber ?? '').length).toBeLessThan(200_000);
  });

  it('refuses an impossible date', () => {
    const xml = FACTUR_X_XML.replace('20240305', '20240231');
    expect(readEInvoice(xml)?.fields.invoiceDate).toBeUndefined();
  });
});

describe('findEInvoice', () => {
  const xml = new TextEncoder().encode(FACTUR_X_XML);

  it('finds the invoice among a PDF attachments by its standard name', () => {
    const found = findEInvoice([
      { filename: 'terms.xml', content: new TextEncoder().encode('<terms/>') },
      { filename: 'factur-x.xml', content: xml },
    ]);
    expect(found?.fields.invoiceNumber).toBe('00471102');
  });

  it('reads an invoice attached under another .xml name', () => {
    expect(findEInvoice([{ filename: 'rechnung.xml', content: xml }])?.syntax).toBe('cii');
  });

  it('gives nothing when no attachment is an invoice', () => {
    expect(
      findEInvoice([{ filename: 'logo.png', content: new Uint8Array([1, 2]) }]),
    ).toBeUndefined();
  });
});
