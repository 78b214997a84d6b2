import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Types } from 'mongoose';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { CompletedPage } from '../../src/modules/ocr-pages/page-processing.port.js';
import { PageProcessingPort } from '../../src/modules/ocr-pages/page-processing.port.js';
import { expectError } from '../support/expect-error.js';
import { buildCreateJobDto, JOBS } from '../support/fixtures/jobs.js';
import { OCR_PAGES_COLLECTION, objectId } from '../support/fixtures/pages.js';
import { useTestApp, type TestAppHandle } from '../support/test-app.js';
import type { Client } from '../support/http.js';
import { waitUntil } from '../support/wait.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const READ_KEY = 'export-read-key';
const WRITE_KEY = 'export-write-key';
const METRICS_KEY = 'export-metrics-key';
const ADMIN_KEY = 'export-admin-key';
const API_KEYS = [
  `${sha256(READ_KEY)}:read`,
  `${sha256(WRITE_KEY)}:read+write`,
  `${sha256(METRICS_KEY)}:metrics`,
  `${sha256(ADMIN_KEY)}:admin`,
].join(',');
const as = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

const box = { x: 10, y: 10, width: 50, height: 12 };
const field = (value: string | number) => ({
  value,
  confidence: 0.9,
  boundingBox: box,
  source: 'ocr',
});

/** A line-item table as a worker stores it: header row 0, then the item rows. */
function table(rows: string[][]): CompletedPage['tableData'] {
  const header = ['Description', 'Quantity', 'Unit Price', 'Amount'];
  return [header, ...rows].flatMap((row, rowIndex) =>
    row.map((cellText, columnIndex) => ({
      rowIndex,
      columnIndex,
      cellText,
      confidence: 0.9,
      boundingBox: { ...box, y: 100 + rowIndex * 20, x: columnIndex * 100 },
    })),
  );
}

function output(
  extractedFields: CompletedPage['extractedFields'],
  tableData: CompletedPage['tableData'],
): CompletedPage {
  return {
    completedAt: new Date(),
    processingTime: 1,
    imageProperties: { width: 1000, height: 1400, dpi: 300, size: 100 },
    preprocessing: {
      enhanced: false,
      deskewed: false,
      denoised: false,
      binarized: false,
      rotationAngle: 0,
    },
    ocrResults: { text: 'x', confidence: 0.9, words: [], blocks: [] },
    extractedFields,
    tableData,
    qualityScore: 0.9,
    extractionChecks: [],
  };
}

/** Page 1 prints the header and two items, page 2 one more item and the totals. */
const PAGE_1 = output(
  {
    invoiceNumber: field('RE-2026/0042'),
    invoiceDate: field('2026-03-15'),
    dueDate: field('2026-04-14'),
    purchaseOrder: field('PO 7781'),
    vendorName: field('Müller, Söhne & "Partner" GmbH'),
    vendorTaxId: field('DE811907980'),
    customerName: field('ACME Europe B.V.'),
    currency: field('EUR'),
  },
  table([
    ['Consulting, "senior"', '10', '100.00', '1,000.00'],
    ['=HYPERLINK("http://evil.example")', '1', '200.00', '200.00'],
  ]),
);
const PAGE_2 = output(
  {
    subtotal: field(1250),
    taxAmount: field(237.5),
    // Misread; corrected to 1487.5 below.
    totalAmount: field(1487.3),
  },
  table([['Travel\nflat rate', '1', '50.00', '50.00']]),
);

/** Creates a job of `pages` pages and finishes them through the worker's port with `outputs`. */
async function finishedJob(
  testApp: TestAppHandle,
  api: Client,
  outputs: CompletedPage[],
): Promise<string> {
  const pageUrls = outputs.map((_, i) => `https://files.example.com/export/${i + 1}.png`);
  const created = await api.post(JOBS, buildCreateJobDto({ pageUrls }), as(WRITE_KEY));
  expect(created.status).toBe(201);
  const job = created.body.data._id as string;
  const port = testApp.app.get(PageProcessingPort);
  const pages = await testApp.connection
    .collection(OCR_PAGES_COLLECTION)
    .find({ job: new Types.ObjectId(job) })
    .sort({ pageNumber: 1 })
    .toArray();
  const claimed = new Set<string>();
  while (claimed.size < pages.length) {
    const page = await port.claimNext('export-test', 60_000, new Date());
    expect(page).not.toBeNull();
    claimed.add(String(page!._id));
  }
  await Promise.all(
    pages.map((page, i) => port.complete(String(page._id), 'export-test', outputs[i])),
  );
  return job;
}

describe('GET /api/v1/ocr-invoice-jobs/:id/invoice?format=', () => {
  const { testApp, api } = useTestApp({ API_KEYS });
  let job: string;

  beforeAll(async () => {
    job = await finishedJob(testApp, api, [PAGE_1, PAGE_2]);
    // A person's correction, as stored: the corrected value in `value`, the reading in `ocrValue`.
    await testApp.connection.collection(OCR_PAGES_COLLECTION).updateOne(
      { job: new Types.ObjectId(job), pageNumber: 2 },
      {
        $set: {
          'extractedFields.totalAmount': {
            value: 1487.5,
            confidence: 1,
            source: 'review',
            ocrValue: 1487.3,
            correctedAt: new Date(),
            correctedBy: 'e2e',
          },
        },
      },
    );
  });

  it('json (the default) is the assembled invoice, the corrected total winning', async () => {
    const res = await api.get(`${JOBS}/${job}/invoice`, as(READ_KEY));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const explicit = await api.get(`${JOBS}/${job}/invoice?format=json`, as(READ_KEY));
    expect(explicit.body).toEqual(res.body);
    expect(res.body.data.fields.totalAmount).toMatchObject({
      value: 1487.5,
      page: 2,
      source: 'review',
    });
    expect(res.body.data.fields.invoiceNumber).toMatchObject({
      value: 'RE-2026/0042',
      source: 'ocr',
    });
    expect(res.body.data.lineItems).toHaveLength(3);
    expect(res.body.data.checks).toContainEqual(
      expect.objectContaining({ name: 'subtotalPlusTaxEqualsTotal', passed: true }),
    );
  });

  it('csv: a header row, one row per line item with the header fields, RFC 4180 quoting', async () => {
    const res = await api.get(`${JOBS}/${job}/invoice?format=csv`, as(READ_KEY));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="invoice-${job}.csv"`,
    );
    const text = res.body as string;
    // Quoted as RFC 4180 says: commas, doubled quotes, a line break inside quotes; CRLF records.
    expect(text).toContain('"Müller, Söhne & ""Partner"" GmbH"');
    expect(text).toContain('"Consulting, ""senior"""');
    expect(text).toContain('"Travel\nflat rate"');
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(text);
    expect(rows).toEqual([
      [
        'invoiceNumber',
        'invoiceDate',
        'dueDate',
        'purchaseOrder',
        'vendorName',
        'vendorTaxId',
        'customerName',
        'currency',
        'subtotal',
        'taxAmount',
        'totalAmount',
        'lineNumber',
        'description',
        'quantity',
        'unitPrice',
        'amount',
        'page',
      ],
      ...[
        ['1', 'Consulting, "senior"', '10', '100', '1000', '1'],
        // A cell a spreadsheet would run as a formula arrives as text.
        ['2', `'=HYPERLINK("http://evil.example")`, '1', '200', '200', '1'],
        ['3', 'Travel\nflat rate', '1', '50', '50', '2'],
      ].map((line) => [
        'RE-2026/0042',
        '2026-03-15',
        '2026-04-14',
        'PO 7781',
        'Müller, Söhne & "Partner" GmbH',
        'DE811907980',
        'ACME Europe B.V.',
        'EUR',
        '1250',
        '237.5',
        '1487.5',
        ...line,
      ]),
    ]);
  });

  it('ubl: a namespaced UBL 2.1 Invoice, element by element, the missing terms in a header', async () => {
    const res = await api.get(`${JOBS}/${job}/invoice?format=ubl`, as(READ_KEY));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="invoice-${job}.xml"`,
    );
    expect(res.headers.get('x-missing-business-terms')).toBe('BT-40, BT-55, BT-118, BT-151');
    const xml = res.body as string;
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      parseTagValue: false,
      isArray: (name) => name === 'cac:InvoiceLine',
    }).parse(xml);
    const invoice = parsed.Invoice;
    expect(invoice['@_xmlns']).toBe('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(invoice['@_xmlns:cac']).toBe(
      'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
    );
    expect(invoice['@_xmlns:cbc']).toBe(
      'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
    );
    expect(invoice['cbc:CustomizationID']).toBe('urn:cen.eu:en16931:2017');
    expect(invoice['cbc:ID']).toBe('RE-2026/0042');
    expect(invoice['cbc:IssueDate']).toBe('2026-03-15');
    expect(invoice['cbc:DueDate']).toBe('2026-04-14');
    expect(invoice['cbc:InvoiceTypeCode']).toBe('380');
    expect(invoice['cbc:DocumentCurrencyCode']).toBe('EUR');
    expect(invoice['cac:OrderReference']['cbc:ID']).toBe('PO 7781');
    const supplier = invoice['cac:AccountingSupplierParty']['cac:Party'];
    expect(supplier['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe(
      'Müller, Söhne & "Partner" GmbH',
    );
    expect(supplier['cac:PartyTaxScheme']['cbc:CompanyID']).toBe('DE811907980');
    expect(supplier['cac:PartyTaxScheme']['cac:TaxScheme']['cbc:ID']).toBe('VAT');
    const customer = invoice['cac:AccountingCustomerParty']['cac:Party'];
    expect(customer['cac:PartyLegalEntity']['cbc:RegistrationName']).toBe('ACME Europe B.V.');
    const eur = (text: string) => ({ '#text': text, '@_currencyID': 'EUR' });
    expect(invoice['cac:TaxTotal']['cbc:TaxAmount']).toEqual(eur('237.50'));
    expect(invoice['cac:LegalMonetaryTotal']).toEqual({
      'cbc:LineExtensionAmount': eur('1250.00'),
      'cbc:TaxExclusiveAmount': eur('1250.00'),
      'cbc:TaxInclusiveAmount': eur('1487.50'),
      'cbc:PayableAmount': eur('1487.50'),
    });
    const lines = invoice['cac:InvoiceLine'];
    expect(lines).toHaveLength(3);
    expect(
      lines.map((line: any) => ({
        id: line['cbc:ID'],
        quantity: line['cbc:InvoicedQuantity'],
        amount: line['cbc:LineExtensionAmount'],
        name: line['cac:Item']['cbc:Name'],
        price: line['cac:Price']['cbc:PriceAmount'],
      })),
    ).toEqual([
      {
        id: '1',
        quantity: { '#text': '10', '@_unitCode': 'C62' },
        amount: eur('1000.00'),
        name: 'Consulting, "senior"',
        price: eur('100.00'),
      },
      {
        id: '2',
        quantity: { '#text': '1', '@_unitCode': 'C62' },
        amount: eur('200.00'),
        name: '=HYPERLINK("http://evil.example")',
        price: eur('200.00'),
      },
      {
        id: '3',
        quantity: { '#text': '1', '@_unitCode': 'C62' },
        amount: eur('50.00'),
        name: 'Travel\nflat rate',
        price: eur('50.00'),
      },
    ]);
  });

  it('an unknown format is a 400 VALIDATION_ERROR naming format, whatever Accept says', async () => {
    for (const format of ['xlsx', 'CSV', '']) {
      const res = await api.get(`${JOBS}/${job}/invoice?format=${format}`, {
        headers: { ...as(READ_KEY).headers, accept: 'text/csv' },
      });
      expectError(res, 400, 'VALIDATION_ERROR', [
        { field: 'format', message: expect.stringContaining('json, csv, ubl') },
      ]);
    }
  });

  it('answers 404 NOT_FOUND (JSON) for a job that does not exist, in every format', async () => {
    for (const format of ['json', 'csv', 'ubl']) {
      expectError(
        await api.get(`${JOBS}/${objectId()}/invoice?format=${format}`, as(READ_KEY)),
        404,
        'NOT_FOUND',
      );
    }
    expectError(await api.get(`${JOBS}/nope/invoice?format=csv`, as(READ_KEY)), 400, 'INVALID_ID');
  });

  it('needs the read scope in every format', async () => {
    expectError(await api.get(`${JOBS}/${job}/invoice?format=csv`), 401, 'UNAUTHORIZED');
    expectError(
      await api.get(`${JOBS}/${job}/invoice?format=ubl`, as(METRICS_KEY)),
      403,
      'FORBIDDEN',
    );
    expect((await api.get(`${JOBS}/${job}/invoice?format=csv`, as(WRITE_KEY))).status).toBe(200);
  });
});

describe('job.completed webhook event', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
  });
  const { testApp, api } = useTestApp({ API_KEYS, FETCH_ALLOWED_HOSTS: '127.0.0.1' });

  it('is delivered once, signed, when the last pages of a job finish at the same time', async () => {
    const hook = await api.post(
      '/api/v1/webhooks',
      { url: receiver.url, events: ['job.completed'] },
      as(ADMIN_KEY),
    );
    expect(hook.status).toBe(201);
    const secret = hook.body.data.secret as string;
    // Three pages completed concurrently: three roll-ups race, one flips the status.
    const job = await finishedJob(testApp, api, [PAGE_1, PAGE_2, PAGE_2]);
    const delivery = await waitUntil(
      () => receiver.received.find((d) => JSON.parse(d.body).data.jobId === job),
      15_000,
    );
    expect(() =>
      new StandardWebhook(secret).verify(delivery.body, delivery.headers as Record<string, string>),
    ).not.toThrow();
    expect(JSON.parse(delivery.body)).toEqual({
      type: 'job.completed',
      timestamp: expect.any(String),
      data: { jobId: job, status: 'completed', pageCount: 3, completedPages: 3, failedPages: 0 },
    });
    // Nothing more arrives for that job (a second delivery would be sent at once, like the first).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received.filter((d) => JSON.parse(d.body).data.jobId === job)).toHaveLength(1);
    const job2 = (await api.get(`${JOBS}/${job}`, as(READ_KEY))).body.data;
    expect(job2.status).toBe('completed');
  });
});
