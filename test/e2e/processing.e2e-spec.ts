import { expectError } from '../support/expect-error.js';
import { Types } from 'mongoose';
import { PageProcessingPort } from '../../src/modules/ocr-pages/page-processing.port.js';
import { useTestApp } from '../support/test-app.js';
import {
  buildCreatePageDto,
  buildStoredPage,
  objectId,
  PAGES,
  OCR_PAGES_COLLECTION,
} from '../support/fixtures/pages.js';
import { renderFixture, SMALL_SET, type RenderedFixture } from '../../corpus/fixture-set.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';

/** Lowercase letters and digits only: OCR and layout spacing aside, is `needle` in `text`? */
function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

describe('processing pages: fetch, preprocess, OCR, extract, store', () => {
  const { testApp, api } = useTestApp({
    PROCESSING_ENABLED: 'true',
    PROCESSING_POLL_INTERVAL_MS: '100',
    PROCESSING_RETRY_BASE_MS: '50',
    PROCESSING_MAX_RETRIES: '2',
    FETCH_ALLOWED_HOSTS: '127.0.0.1',
    FETCH_TIMEOUT_MS: '1500',
    FETCH_MAX_BYTES: String(4 * 1024 * 1024),
  });
  let files: FixtureServer;
  const fixtures = new Map<string, RenderedFixture>();

  beforeAll(async () => {
    for (const fixture of SMALL_SET) {
      fixtures.set(fixture.name, await renderFixture(fixture));
    }
    files = await startFixtureServer(
      Object.fromEntries(
        [...fixtures.values()].map((f) => [
          f.fileName,
          { body: f.image, contentType: f.contentType },
        ]),
      ),
      { hugeBytes: 8 * 1024 * 1024, slowIntervalMs: 200 },
    );
  });

  afterAll(async () => {
    await files.close();
  });

  /** Polls the page until its status is one of `statuses`. */
  async function waitFor(id: string, statuses: string[], timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api.get(`${PAGES}/${id}`);
      if (statuses.includes(res.body.data?.status)) {
        return res.body.data;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `page ${id} stayed ${res.body.data?.status}: ${res.body.data?.errorLog ?? ''}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  async function createPage(pageUrl: string): Promise<string> {
    const res = await api.post(PAGES, buildCreatePageDto({ pageUrl }));
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('pending');
    return res.body.data._id;
  }

  describe('reading invoices', () => {
    it('completes a clean PNG with its text, words, fields and line items on the original image', async () => {
      const fixture = fixtures.get('classic-sans-en-png-200')!;
      const page = await waitFor(await createPage(files.url(fixture.fileName)), [
        'completed',
        'failed',
      ]);

      expect(page.status).toBe('completed');
      expect(page.errorLog).toBeUndefined();
      expect(page.imageProperties).toEqual({
        width: fixture.width,
        height: fixture.height,
        dpi: 200,
        colorSpace: expect.stringMatching(/^(rgb|grayscale)$/),
        format: 'png',
        size: fixture.image.length,
      });
      expect(page.preprocessing).toMatchObject({
        enhanced: true,
        denoised: true,
        binarized: true,
        rotationAngle: 0,
      });
      expect(page.ocrResults.confidence).toBeGreaterThan(0.7);
      expect(squash(page.ocrResults.text)).toContain(squash(fixture.truth.invoiceNumber));
      for (const word of page.ocrResults.words) {
        expect(word.confidence).toBeGreaterThanOrEqual(0);
        expect(word.confidence).toBeLessThanOrEqual(1);
        expect(word.boundingBox.x + word.boundingBox.width).toBeLessThanOrEqual(fixture.width);
        expect(word.boundingBox.y + word.boundingBox.height).toBeLessThanOrEqual(fixture.height);
      }
      expect(page.ocrResults.blocks.length).toBeGreaterThan(0);

      const fields = page.extractedFields;
      expect(fields.invoiceNumber.value).toBe(fixture.truth.invoiceNumber);
      expect(fields.invoiceDate.value).toBe(fixture.truth.invoiceDate);
      expect(fields.dueDate.value).toBe(fixture.truth.dueDate);
      expect(fields.totalAmount.value).toBe(fixture.truth.totalAmount);
      expect(fields.subtotal.value).toBe(fixture.truth.subtotal);
      expect(fields.taxAmount.value).toBe(fixture.truth.taxAmount);
      expect(fields.currency.value).toBe(fixture.truth.currency);
      expect(fields.totalAmount.confidence).toBeGreaterThan(0.5);
      expect(fields.totalAmount.boundingBox.width).toBeGreaterThan(0);

      const cells = page.tableData;
      const header = cells.filter((c: { rowIndex: number }) => c.rowIndex === 0);
      expect(header.map((c: { cellText: string }) => c.cellText).join(' ')).toMatch(
        /Description.*Qty.*Amount/,
      );
      const rows = new Set(cells.map((c: { rowIndex: number }) => c.rowIndex));
      expect(rows.size).toBe(fixture.truth.lineItems.length + 1);
      const firstItem = cells
        .filter((c: { rowIndex: number }) => c.rowIndex === 1)
        .map((c: { cellText: string }) => c.cellText)
        .join(' ');
      expect(squash(firstItem)).toContain(squash(fixture.truth.lineItems[0].description));

      expect(page.qualityScore).toBeGreaterThan(0.5);
      expect(page.qualityScore).toBeLessThanOrEqual(1);
      expect(page.processingTime).toBeGreaterThan(0);
      expect(new Date(page.completedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(page.startedAt).getTime(),
      );
      expect(page.extractionChecks.length).toBeGreaterThan(0);
      expect(page.extractionChecks.filter((c: { passed: boolean }) => !c.passed)).toEqual([]);
      expect(page).not.toHaveProperty('metadata');
    });

    it('reads 1.234,56 amounts and day-first dates from a JPEG', async () => {
      const fixture = fixtures.get('modern-serif-de-jpeg-200')!;
      const page = await waitFor(await createPage(files.url(fixture.fileName)), [
        'completed',
        'failed',
      ]);
      expect(page.status).toBe('completed');
      expect(page.imageProperties.format).toBe('jpeg');
      expect(page.extractedFields.totalAmount.value).toBe(fixture.truth.totalAmount);
      expect(page.extractedFields.invoiceDate.value).toBe(fixture.truth.invoiceDate);
    });

    it('turns an upside-down, skewed scan upright and maps boxes back onto it', async () => {
      const fixture = fixtures.get('modern-sans-en-skew-rotate180')!;
      const page = await waitFor(await createPage(files.url(fixture.fileName)), [
        'completed',
        'failed',
      ]);
      expect(page.status).toBe('completed');
      expect(Math.abs(Math.abs(page.preprocessing.rotationAngle) - 180)).toBeLessThan(5);
      expect(page.preprocessing.deskewed).toBe(true);
      expect(page.extractedFields.invoiceNumber.value).toBe(fixture.truth.invoiceNumber);
      // Upside down, the title printed at the top of the page lies in the bottom half of the image.
      const title = page.ocrResults.words.find((w: { text: string }) => /^INVOICE$/i.test(w.text));
      expect(title.boundingBox.y).toBeGreaterThan(fixture.height / 2);
    });

    it('uses the text layer of a born-digital PDF without OCR', async () => {
      const fixture = fixtures.get('classic-en-pdf-text')!;
      const page = await waitFor(await createPage(files.url(fixture.fileName)), [
        'completed',
        'failed',
      ]);
      expect(page.status).toBe('completed');
      expect(page.imageProperties).toMatchObject({ format: 'pdf', dpi: 300 });
      expect(page.preprocessing).toEqual({
        enhanced: false,
        deskewed: false,
        denoised: false,
        binarized: false,
        rotationAngle: 0,
      });
      expect(page.ocrResults.confidence).toBe(1);
      expect(page.extractedFields.totalAmount.value).toBe(fixture.truth.totalAmount);
      expect(page.extractedFields.invoiceNumber.value).toBe(fixture.truth.invoiceNumber);
    });
  });

  describe('failures', () => {
    it.each([
      ['a 404', '/status/404', /404/],
      ['an HTML page', '/html', /content type|text\/html/i],
      ['corrupt image data', '/corrupt.png', /could not be read/],
      ['a file over the size limit', '/huge', /larger than|too large/i],
    ])('fails %s at once with a readable errorLog', async (_name, path, message) => {
      const page = await waitFor(
        await createPage(files.url(path)),
        ['failed', 'completed'],
        20_000,
      );
      expect(page.status).toBe('failed');
      expect(page.errorLog).toMatch(message);
      expect(page.retryCount).toBe(0);
      expect(page).not.toHaveProperty('ocrResults');
    });

    it('retries a transient failure with backoff and completes', async () => {
      const fixture = fixtures.get('classic-sans-en-tiff-300')!;
      const id = await createPage(files.url(`/flaky/${fixture.fileName}?failures=2`));
      const page = await waitFor(id, ['completed', 'failed']);
      expect(page.status).toBe('completed');
      expect(page.retryCount).toBe(2);
      expect(page.imageProperties.format).toBe('tiff');
    });

    it('fails after the retry limit when a server keeps answering 503', async () => {
      const page = await waitFor(
        await createPage(files.url('/status/503')),
        ['failed', 'completed'],
        20_000,
      );
      expect(page.status).toBe('failed');
      expect(page.retryCount).toBe(2);
      expect(page.errorLog).toMatch(/503/);
    });

    it('times out a download that never finishes, as a transient failure', async () => {
      const page = await waitFor(
        await createPage(files.url('/slow')),
        ['failed', 'completed'],
        30_000,
      );
      expect(page.status).toBe('failed');
      expect(page.errorLog).toMatch(/within/);
      expect(page.retryCount).toBe(2);
    });

    it.each([
      ['a loopback name that is not allowed', (port: string) => `http://localhost:${port}/x.png`],
      ['a private address', () => 'http://10.0.0.1/x.png'],
      ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
      ['a CGNAT address', () => 'http://100.64.0.1/x.png'],
      ['an IPv6 loopback', () => 'http://[::1]/x.png'],
      [
        'a redirect to a loopback name',
        (port: string) =>
          `http://127.0.0.1:${port}/redirect?to=${encodeURIComponent(`http://localhost:${port}/html`)}`,
      ],
    ])('refuses to fetch %s', async (_name, url) => {
      const port = new URL(files.baseUrl).port;
      const before = files.requests.filter(
        (r) => r.url.startsWith('/x.png') || r.url === '/html',
      ).length;
      const page = await waitFor(await createPage(url(port)), ['failed', 'completed'], 20_000);
      expect(page.status).toBe('failed');
      expect(page.errorLog).toMatch(
        /^Fetching the page failed: address not allowed \(ref [0-9a-f]{8}\)$/,
      );
      expect(
        files.requests.filter((r) => r.url.startsWith('/x.png') || r.url === '/html').length,
      ).toBe(before);
    });
  });

  describe('POST /api/v1/ocr-invoice-job-pages/:id/process', () => {
    it('re-queues a finished page (202) and processes it again', async () => {
      const id = await createPage(files.url('/status/404'));
      const failed = await waitFor(id, ['failed']);
      expect(failed.errorLog).toMatch(/404/);
      const res = await api.post(`${PAGES}/${id}/process`);
      expect(res.status).toBe(202);
      expect(res.headers.get('etag')).toMatch(/^"\d+"$/);
      expect(res.body.data).toMatchObject({ _id: id, status: 'pending', retryCount: 0 });
      expect(res.body.data).not.toHaveProperty('errorLog');
      expect((await waitFor(id, ['failed'])).errorLog).toMatch(/404/);
    });

    it('answers 409 while a worker holds the page, 404 for an unknown id, 400 for a bad one', async () => {
      const held = buildStoredPage({
        status: 'processing',
        leaseOwner: 'another-worker',
        leaseExpiresAt: new Date(Date.now() + 3_600_000),
      });
      const { insertedId } = await testApp.connection
        .collection(OCR_PAGES_COLLECTION)
        .insertOne(held);
      const conflict = await api.post(`${PAGES}/${insertedId.toHexString()}/process`);
      expect(conflict.status).toBe(409);
      expect(conflict.body.error).toMatchObject({
        code: 'CONFLICT',
        message: 'Page is already processing',
      });
      expect((await api.post(`${PAGES}/${objectId()}/process`)).status).toBe(404);
      const bad = await api.post(`${PAGES}/nope/process`);
      expectError(bad, 400, 'INVALID_ID');
    });

    it('re-queues a page whose pageUrl changes, and reads the new image', async () => {
      const id = await createPage(files.url('/status/404'));
      await waitFor(id, ['failed']);
      const fixture = fixtures.get('classic-en-pdf-text')!;
      const res = await api.patch(`${PAGES}/${id}`, { pageUrl: files.url(fixture.fileName) });
      expect(res.body.data.status).toBe('pending');
      const page = await waitFor(id, ['completed', 'failed']);
      expect(page.status).toBe('completed');
      expect(page.extractedFields.invoiceNumber.value).toBe(fixture.truth.invoiceNumber);
    });
  });

  describe('claims', () => {
    it('gives each queued page to exactly one of many concurrent claims', async () => {
      const port = testApp.app.get(PageProcessingPort);
      const queuedAt = new Date(0);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { insertedId } = await testApp.connection.collection(OCR_PAGES_COLLECTION).insertOne(
          buildStoredPage({
            status: 'pending',
            queuedAt,
            job: new Types.ObjectId(),
            pageUrl: files.url('/status/404'),
          }),
        );
        ids.push(insertedId.toHexString());
      }
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) => port.claimNext(`claimer-${i}`, 60_000, new Date())),
      );
      const claimed = claims.filter((page) => page !== null).map((page) => String(page._id));
      // The app's own worker may take some too; none is ever taken twice.
      expect(new Set(claimed).size).toBe(claimed.length);
      const stored = await testApp.connection
        .collection(OCR_PAGES_COLLECTION)
        .find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })
        .toArray();
      for (const page of stored) {
        const owners = claims.filter((c) => c && String(c._id) === page._id.toHexString());
        expect(owners.length).toBeLessThanOrEqual(1);
      }
    });
  });
});
