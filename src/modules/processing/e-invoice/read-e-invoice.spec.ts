import {
  findEInvoice,
  MAX_E_INVOICE_BYTES,
  parseEInvoice,
  readEInvoice,
} from './read-e-invoice.js';

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

  it('refuses a DOCTYPE (entity bombs, external entities) without expanding anything', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE Invoice [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
  <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
  <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&d;&d;&d;&d;&d;&d;&d;&d;</ID></Invoice>`;
    expect(() => parseEInvoice(new TextEncoder().encode(lol))).toThrow(/DOCTYPE/);
    const external = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1/">]><Invoice><ID>&x;</ID></Invoice>`;
    expect(readEInvoice(external)).toBeUndefined();
  });

  it('refuses a file over the size cap before decoding it', () => {
    expect(() => parseEInvoice(new Uint8Array(MAX_E_INVOICE_BYTES + 1))).toThrow(/larger than/);
  });

  it('decodes the predefined entities and character references, and nothing else', () => {
    const xml = FACTUR_X_XML.replace(
      '<ram:Name>Lieferant GmbH</ram:Name>',
      '<ram:Name>M&#252;ller &amp; S&#xF6;hne &lt;GmbH&gt; &unknown;</ram:Name>',
    );
    expect(readEInvoice(xml)?.fields.vendorName).toBe('Müller & Söhne <GmbH> &unknown;');
  });

  it('takes the tax total in the invoice currency when the tax currency differs', () => {
    const xml = FACTUR_X_XML.replace(
      '<ram:TaxTotalAmount currencyID="EUR">56.87</ram:TaxTotalAmount>',
      '<ram:TaxTotalAmount currencyID="SEK">650.00</ram:TaxTotalAmount><ram:TaxTotalAmount currencyID="EUR">56.87</ram:TaxTotalAmount>',
    );
    expect(readEInvoice(xml)?.fields.taxAmount).toBe(56.87);
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
    expect(found?.kind === 'read' && found.invoice.fields.invoiceNumber).toBe('00471102');
    expect(found?.fileName).toBe('factur-x.xml');
  });

  it('reads an invoice attached under another .xml name', () => {
    const found = findEInvoice([{ filename: 'rechnung.xml', content: xml }]);
    expect(found?.kind === 'read' && found.invoice.syntax).toBe('cii');
  });

  it('reports a standard-named attachment that cannot be read', () => {
    expect(
      findEInvoice([
        { filename: 'notes.xml', content: new TextEncoder().encode('<a><b></a>') },
        { filename: 'factur-x.xml', content: new TextEncoder().encode('<rsm:Cross') },
      ]),
    ).toEqual({
      kind: 'unreadable',
      fileName: 'factur-x.xml',
      reason: 'it is not well-formed XML',
    });
  });

  it('gives nothing when no attachment is an invoice', () => {
    expect(
      findEInvoice([{ filename: 'logo.png', content: new Uint8Array([1, 2]) }]),
    ).toBeUndefined();
  });
});
