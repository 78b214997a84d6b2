import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AFRelationship, PDFDocument, StandardFonts } from 'pdf-lib';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { expectError } from '../support/expect-error.js';
import { buildCreateJobDto, JOBS } from '../support/fixtures/jobs.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { useTestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * A Factur-X (EN 16931) invoice whose every value differs from what the printed page says, so
 * that a field taken from the page could not pass for one taken from the XML.
 */
const CII_XML = `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>XQ-7781-ZZ</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">20310719</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedTradeProduct><ram:Name>Zebrafutter &amp; Heu</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>111.52</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="H87">3</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>334.56</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:SpecifiedTradeProduct><ram:Name>Okapi-Pflege</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>450.00</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="H87">2</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>900.00</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty>
        <ram:Name>Quokka Kontor GmbH</ram:Name>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">ATU13585627</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Wombat Werke AG</ram:Name></ram:BuyerTradeParty>
      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-ZEBRA-42</ram:IssuerAssignedID></ram:BuyerOrderReferencedDocument>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>CHF</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradePaymentTerms>
        <ram:DueDateDateTime><udt:DateTimeString format="102">20310818</udt:DateTimeString></ram:DueDateDateTime>
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>1234.56</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>1234.56</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="CHF">98.77</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>1333.33</ram:GrandTotalAmount>
        <ram:DuePayableAmount>1333.33</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>`;

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocument><ID>&lol9;</ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>`;

/** 6 MiB of well-formed XML: over the 5 MiB cap (it compresses to a few KB in the PDF). */
const OVERSIZED = `<?xml version="1.0"?><rsm:CrossIndustryInvoice xmlns:rsm="urn:x">${'<a>x</a>'.repeat(
  (6 * 1024 * 1024) / 8,
)}</rsm:CrossIndustryInvoice>`;

const MALFORMED = CII_XML.slice(0, 900);

/**
 * A born-digital one-page invoice that prints other values than its e-invoice (a text layer the
 * page is read from), with `xml` attached as Factur-X does: in the EmbeddedFiles name tree and
 * the catalog's /AF, relationship Alternative.
 */
async function facturXPdf(xml: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const lines = [
    'Printed Supplies Ltd',
    'INVOICE',
    'Invoice number: INV-2024-001',
    'Invoice date: 2024-02-01',
    'Description          Qty   Unit price   Amount',
    'Paper                 1        999.99    999.99',
    'Total: EUR 999.99',
  ];
  lines.forEach((text, i) => page.drawText(text, { x: 50, y: 780 - i * 24, size: 12, font }));
  await pdf.attach(new TextEncoder().encode(xml), 'factur-x.xml', {
    mimeType: 'application/xml',
    description: 'Factur-X invoice',
    afRelationship: AFRelationship.Alternative,
  });
  return Buffer.from(await pdf.save());
}

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const KEY = 'e-invoice-admin-key';
const auth = { headers: { authorization: `Bearer ${KEY}` } };
const SETTLED_WITHIN_MS = 60_000;

describe('embedded e-invoices (Factur-X PDFs read by the real worker)', () => {
  const files = new Map<string, Buffer>();
  let server: Server;
  let receiver: WebhookReceiver;
  let base: string;

  beforeAll(async () => {
    files.set('factur-x.pdf', await facturXPdf(CII_XML));
    files.set('billion-laughs.pdf', await facturXPdf(BILLION_LAUGHS));
    files.set('oversized.pdf', await facturXPdf(OVERSIZED));
    files.set('malformed.pdf', await facturXPdf(MALFORMED));
    server = createServer((req, res) => {
      const body = files.get((req.url ?? '').slice(1));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/pdf' }).end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await receiver.close();
  });

  const { api } = useTestApp({
    API_KEYS: `${sha256(KEY)}:read+write+admin`,
    PROCESSING_ENABLED: 'true',
    PROCESSING_CONCURRENCY: '2',
    PROCESSING_POLL_INTERVAL_MS: '100',
    PROCESSING_PAGE_TIMEOUT_MS: '30000',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
  });

  async function settled(id: string): Promise<any> {
    return waitUntil(
      async () => {
        const page = (await api.get(`${PAGES}/${id}`, auth)).body.data;
        return ['failed', 'completed'].includes(page?.status) ? page : undefined;
      },
      SETTLED_WITHIN_MS,
      200,
    );
  }

  it(
    'takes every field and line item from the XML (source e-invoice, confidence 1); the page only cross-checks; job.completed arrives once, signed',
    async () => {
      const hook = await api.post(
        '/api/v1/webhooks',
        { url: receiver.url, events: ['job.completed'] },
        auth,
      );
      expect(hook.status).toBe(201);
      const created = await api.post(
        JOBS,
        buildCreateJobDto({ pageUrls: [`${base}/factur-x.pdf`] }),
        auth,
      );
      expect(created.status).toBe(201);
      const job = created.body.data._id as string;
      const pageId = (await api.get(`${JOBS}/${job}/pages`, auth)).body.data[0]._id as string;
      const page = await settled(pageId);
      expect(page.status).toBe('completed');
      const xmlField = (value: string | number) => ({
        value,
        confidence: 1,
        source: 'e-invoice',
      });
      // toMatchObject: a field the page prints the same way may also carry its box.
      expect(page.extractedFields).toMatchObject({
        invoiceNumber: xmlField('XQ-7781-ZZ'),
        invoiceDate: xmlField('2031-07-19'),
        dueDate: xmlField('2031-08-18'),
        purchaseOrder: xmlField('PO-ZEBRA-42'),
        vendorName: xmlField('Quokka Kontor GmbH'),
        vendorTaxId: xmlField('ATU13585627'),
        customerName: xmlField('Wombat Werke AG'),
        currency: xmlField('CHF'),
        subtotal: xmlField(1234.56),
        taxAmount: xmlField(98.77),
        totalAmount: xmlField(1333.33),
      });
      expect(Object.keys(page.extractedFields)).toHaveLength(11);
      expect(page.eInvoice).toEqual({
        fileName: 'factur-x.xml',
        syntax: 'cii',
        lineItems: [
          { description: 'Zebrafutter & Heu', quantity: 3, unitPrice: 111.52, amount: 334.56 },
          { description: 'Okapi-Pflege', quantity: 2, unitPrice: 450, amount: 900 },
        ],
      });
      // The page was read (its text layer) and disagrees: reported, not taken.
      expect(page.ocrResults.text).toContain('INV-2024-001');
      const crossCheck = page.extractionChecks.find((c: any) => c.name === 'eInvoiceMatchesPage');
      expect(crossCheck.passed).toBe(false);
      expect(crossCheck.detail).toContain(
        'invoiceNumber: the page reads INV-2024-001, the e-invoice says XQ-7781-ZZ',
      );
      expect(page.extractionChecks).toContainEqual(
        expect.objectContaining({ name: 'subtotalPlusTaxEqualsTotal', passed: true }),
      );

      // The assembled invoice and its exports use the e-invoice.
      const invoice = (await api.get(`${JOBS}/${job}/invoice`, auth)).body.data;
      expect(invoice.fields.totalAmount).toMatchObject({ value: 1333.33, source: 'e-invoice' });
      expect(invoice.lineItems).toEqual([
        {
          description: 'Zebrafutter & Heu',
          quantity: 3,
          unitPrice: 111.52,
          amount: 334.56,
          page: 1,
          rowIndex: 1,
        },
        {
          description: 'Okapi-Pflege',
          quantity: 2,
          unitPrice: 450,
          amount: 900,
          page: 1,
          rowIndex: 2,
        },
      ]);
      const ubl = await api.get(`${JOBS}/${job}/invoice?format=ubl`, auth);
      expect(ubl.body).toContain('<cbc:PayableAmount currencyID="CHF">1333.33</cbc:PayableAmount>');

      // The job's only page finished: one job.completed, signed with the webhook's secret.
      const delivery = await waitUntil(
        () => receiver.received.find((d) => JSON.parse(d.body).data.jobId === job),
        15_000,
      );
      expect(() =>
        new StandardWebhook(hook.body.data.secret as string).verify(
          delivery.body,
          delivery.headers as Record<string, string>,
        ),
      ).not.toThrow();
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'job.completed',
        data: { jobId: job, status: 'completed', pageCount: 1, completedPages: 1, failedPages: 0 },
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(receiver.received.filter((d) => JSON.parse(d.body).data.jobId === job)).toHaveLength(
        1,
      );
    },
    SETTLED_WITHIN_MS + 30_000,
  );

  it.each([
    ['billion-laughs.pdf', 'it declares a DOCTYPE or entities, which are not accepted'],
    ['oversized.pdf', 'it is larger than 5 MiB'],
    ['malformed.pdf', 'it is not well-formed XML'],
  ])(
    'reads %s from the page and reports why its e-invoice was not read',
    async (name, reason) => {
      const created = await api.post(
        PAGES,
        buildCreatePageDto({ pageUrl: `${base}/${name}` }),
        auth,
      );
      expect(created.status).toBe(201);
      const page = await settled(created.body.data._id);
      expect(page.status).toBe('completed');
      expect(page.eInvoice).toBeUndefined();
      expect(page.extractedFields.invoiceNumber).toMatchObject({
        value: 'INV-2024-001',
        source: 'ocr',
      });
      expect(page.extractionChecks).toContainEqual({
        name: 'eInvoiceRead',
        passed: false,
        detail: `the embedded e-invoice factur-x.xml was not read (${reason}); the fields are read from the page`,
        fields: [],
      });
      // The app still answers.
      expectError(await api.get(`${PAGES}/nope`, auth), 400, 'INVALID_ID');
    },
    SETTLED_WITHIN_MS + 5000,
  );
});
