import { expectError } from '../support/expect-error.js';
import { buildCreateJobDto, buildDocumentJobDto, JOBS } from '../support/fixtures/jobs.js';
import {
  buildMultiPageInvoice,
  renderMultiPageInvoice,
  type RenderedMultiPageInvoice,
} from '../../corpus/multi-page-invoice.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';
import type { Client } from '../support/http.js';
import { useTestApp } from '../support/test-app.js';
import { waitUntil } from '../support/wait.js';

const TRUTH = buildMultiPageInvoice();

/** Waits until the job is finished (or failed) and returns it. */
async function finishedJob(api: Client, id: string): Promise<any> {
  return waitUntil(
    async () => {
      const job = (await api.get(`${JOBS}/${id}`)).body.data;
      return ['completed', 'failed', 'partial'].includes(job.status) ? job : undefined;
    },
    150_000,
    250,
  );
}

/**
 * The assembled invoice matches the document's ground truth, across its three pages.
 * `quantities: 'where-read'`: OCR does not read every single-digit quantity of these scans (an
 * isolated digit in the Qty column is dropped or read as letters), so such a quantity may be
 * missing; one that is read must still be the printed one.
 */
function expectTheInvoice(
  invoice: any,
  jobId: string,
  { quantities }: { quantities: 'all' | 'where-read' } = { quantities: 'all' },
): void {
  expect(invoice.jobId).toBe(jobId);
  expect(invoice.complete).toBe(true);
  expect(
    invoice.pages.map((p: { pageNumber: number; status: string }) => [p.pageNumber, p.status]),
  ).toEqual([
    [1, 'completed'],
    [2, 'completed'],
    [3, 'completed'],
  ]);
  expect(invoice.fields.invoiceNumber).toMatchObject({ value: TRUTH.invoiceNumber, page: 1 });
  expect(invoice.fields.invoiceDate).toMatchObject({ value: TRUTH.invoiceDate, page: 1 });
  expect(invoice.fields.dueDate).toMatchObject({ value: TRUTH.dueDate, page: 1 });
  // The totals are printed on the last page only.
  expect(invoice.fields.subtotal).toMatchObject({ value: TRUTH.subtotal, page: 3 });
  expect(invoice.fields.taxAmount).toMatchObject({ value: TRUTH.taxAmount, page: 3 });
  expect(invoice.fields.totalAmount).toMatchObject({ value: TRUTH.totalAmount, page: 3 });
  // Every item once, in order, across both page breaks: no header or carried-forward rows.
  expect(
    invoice.lineItems.map((item: any) => [item.description, item.unitPrice, item.amount]),
  ).toEqual(TRUTH.lineItems.map((item) => [item.description, item.unitPrice, item.amount]));
  const quantitiesRead = invoice.lineItems.map((item: { quantity?: number }) => item.quantity);
  expect(quantitiesRead).toEqual(
    TRUTH.lineItems.map((item, i) =>
      quantities === 'all' || quantitiesRead[i] !== undefined ? item.quantity : undefined,
    ),
  );
  expect(invoice.lineItems.map((item: { page: number }) => item.page)).toEqual([
    1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3,
  ]);
  expect(invoice.checks).toEqual([
    { name: 'lineAmountsSumToSubtotal', passed: true, detail: expect.any(String) },
    { name: 'subtotalPlusTaxEqualsTotal', passed: true, detail: expect.any(String) },
    { name: 'dueDateNotBeforeInvoiceDate', passed: true, detail: expect.any(String) },
  ]);
}

describe('jobs from documents and page URLs, processed by the worker', () => {
  const { api } = useTestApp({
    PROCESSING_ENABLED: 'true',
    PROCESSING_CONCURRENCY: '2',
    PROCESSING_POLL_INTERVAL_MS: '100',
    PROCESSING_RETRY_BASE_MS: '50',
    PROCESSING_MAX_RETRIES: '1',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
    JOB_MAX_PAGES: '3',
  });
  let files: FixtureServer;
  const documents: Record<string, RenderedMultiPageInvoice> = {};

  beforeAll(async () => {
    for (const format of ['pdf-text', 'pdf-image', 'tiff'] as const) {
      documents[format] = await renderMultiPageInvoice(format);
    }
    // Four pages: over JOB_MAX_PAGES (3).
    const longer = await renderMultiPageInvoice('pdf-text', {
      ...TRUTH,
      itemsPerPage: [3, 3, 3, 3],
    });
    files = await startFixtureServer({
      ...Object.fromEntries(
        Object.values(documents).map((d) => [
          d.fileName,
          { body: d.body, contentType: d.contentType },
        ]),
      ),
      'four-pages.pdf': { body: longer.body, contentType: 'application/pdf' },
    });
  }, 60_000);

  afterAll(async () => {
    await files.close();
  });

  const downloadsOf = (fileName: string) =>
    files.requests.filter((request) => request.url === `/${fileName}`).length;

  it('splits a born-digital three-page PDF into pages #page=1..3, downloading it once, and assembles the invoice', async () => {
    const document = documents['pdf-text'];
    const url = files.url(document.fileName);
    const created = await api.post(JOBS, buildDocumentJobDto(url));
    expect(created.status).toBe(201);
    const id = created.body.data._id;

    const job = await finishedJob(api, id);
    expect(job).toMatchObject({
      status: 'completed',
      pageCount: 3,
      pageCounts: { pending: 0, processing: 0, completed: 3, failed: 0 },
      completedAt: expect.any(String),
    });
    const pages = (await api.get(`${JOBS}/${id}/pages`)).body.data;
    expect(pages.map((p: { pageUrl: string }) => p.pageUrl)).toEqual(
      [1, 2, 3].map((n) => `${url}#page=${n}`),
    );
    // Read from the text layer of each page: no OCR preprocessing.
    expect(pages.every((p: any) => p.imageProperties.format === 'pdf')).toBe(true);
    // Counted and read from one download, shared by the split and the three pages.
    expect(downloadsOf(document.fileName)).toBe(1);

    const invoice = await api.get(`${JOBS}/${id}/invoice`);
    expect(invoice.status).toBe(200);
    expectTheInvoice(invoice.body.data, id);
  });

  it('assembles the same invoice from a scanned three-page PDF (OCR)', async () => {
    const id = (
      await api.post(JOBS, buildDocumentJobDto(files.url(documents['pdf-image'].fileName)))
    ).body.data._id;
    expect(await finishedJob(api, id)).toMatchObject({ status: 'completed', pageCount: 3 });
    expectTheInvoice((await api.get(`${JOBS}/${id}/invoice`)).body.data, id, {
      quantities: 'where-read',
    });
  });

  it('reads each image of a multi-page TIFF as a page', async () => {
    const id = (await api.post(JOBS, buildDocumentJobDto(files.url(documents.tiff.fileName)))).body
      .data._id;
    const job = await finishedJob(api, id);
    expect(job).toMatchObject({ status: 'completed', pageCount: 3 });
    const pages = (await api.get(`${JOBS}/${id}/pages`)).body.data;
    expect(pages.map((p: any) => p.imageProperties.format)).toEqual(['tiff', 'tiff', 'tiff']);
    expectTheInvoice((await api.get(`${JOBS}/${id}/invoice`)).body.data, id, {
      quantities: 'where-read',
    });
  });

  it('assembles the invoice of a job created from page URLs', async () => {
    const url = files.url(documents['pdf-text'].fileName);
    const pageUrls = [1, 2, 3].map((n) => `${url}#page=${n}`);
    const id = (await api.post(JOBS, buildCreateJobDto({ pageUrls }))).body.data._id;
    expect(await finishedJob(api, id)).toMatchObject({ status: 'completed', pageCount: 3 });
    expectTheInvoice((await api.get(`${JOBS}/${id}/invoice`)).body.data, id);
  });

  it('fails a job whose document has more than JOB_MAX_PAGES pages, saying so', async () => {
    const id = (await api.post(JOBS, buildDocumentJobDto(files.url('four-pages.pdf')))).body.data
      ._id;
    const job = await finishedJob(api, id);
    expect(job).toMatchObject({
      status: 'failed',
      pageCount: null,
      errorLog: 'The document has 4 pages, more than the 3 allowed (JOB_MAX_PAGES)',
    });
    expect((await api.get(`${JOBS}/${id}/pages`)).body.total).toBe(0);
  });

  it.each([
    ['a missing document', '/status/404', /^Fetching the document failed: .*404/],
    ['a file that is not a document', '/corrupt.png', /^The document could not be read: /],
  ])('fails a job for %s with a readable errorLog', async (_, path, message) => {
    const id = (await api.post(JOBS, buildDocumentJobDto(files.url(path)))).body.data._id;
    const job = await finishedJob(api, id);
    expect(job.status).toBe('failed');
    expect(job.errorLog).toMatch(message);
  });

  it('fails a page asking for a page its document does not have', async () => {
    const url = files.url(documents['pdf-text'].fileName);
    const id = (
      await api.post(JOBS, buildCreateJobDto({ pageUrls: [`${url}#page=1`, `${url}#page=9`] }))
    ).body.data._id;
    const job = await finishedJob(api, id);
    expect(job).toMatchObject({ status: 'partial', pageCounts: { completed: 1, failed: 1 } });
    const pages = (await api.get(`${JOBS}/${id}/pages`)).body.data;
    expect(pages[1].errorLog).toBe(
      'The page could not be read: the PDF has 3 page(s); there is no page 9',
    );
    const invoice = (await api.get(`${JOBS}/${id}/invoice`)).body.data;
    expect(invoice.complete).toBe(true);
    expect(
      invoice.checks.find((c: { name: string }) => c.name === 'subtotalPlusTaxEqualsTotal').passed,
    ).toBe(false);
  });
});

describe('GET /api/v1/ocr-invoice-jobs/:id/invoice', () => {
  const { api } = useTestApp();

  it('answers for a job whose pages are unfinished with complete: false', async () => {
    const id = (await api.post(JOBS, buildCreateJobDto())).body.data._id;
    const res = await api.get(`${JOBS}/${id}/invoice`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      jobId: id,
      complete: false,
      fields: {},
      lineItems: [],
    });
    expect(res.body.data.pages).toHaveLength(3);
  });

  it('answers for a document not split yet with complete: false and no pages', async () => {
    const id = (await api.post(JOBS, buildDocumentJobDto('https://files.example.com/x.pdf'))).body
      .data._id;
    expect((await api.get(`${JOBS}/${id}/invoice`)).body.data).toMatchObject({
      complete: false,
      pages: [],
    });
  });

  it('answers 404 for an id with neither a job nor pages, 400 for a malformed one', async () => {
    expectError(await api.get(`${JOBS}/0123456789abcdef01234567/invoice`), 404, 'NOT_FOUND');
    expectError(await api.get(`${JOBS}/nope/invoice`), 400, 'INVALID_ID');
  });
});
