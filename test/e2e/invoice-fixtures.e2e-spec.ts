/**
 * The synthetic invoice fixtures are what they claim: consistent ground truth, decodable images
 * of the expected size and density, a born-digital PDF with the printed text, and a clean page
 * that tesseract actually reads. Also exercises the fixture HTTP server's failure routes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { createWorker, OEM, PSM } from 'tesseract.js';

import {
  FIXTURE_SET,
  fixtureByName,
  renderFixture,
  SMALL_SET,
  type RenderedFixture,
} from '../../corpus/fixture-set.js';
import { buildInvoice } from '../../corpus/invoice-model.js';
import {
  formatMoney,
  PAGE_HEIGHT_PT,
  PAGE_WIDTH_PT,
  renderInvoice,
} from '../../corpus/render-invoice.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';

const cents = (value: number): number => Math.round(value * 100);

function printedTotal(rendered: RenderedFixture): string {
  return formatMoney(
    rendered.truth.totalAmount,
    rendered.truth.currency,
    rendered.fixture.options.numberFormat ?? 'en',
  );
}

describe('synthetic invoice model', () => {
  it('builds the same invoice for the same seed and different ones for other seeds', () => {
    expect(buildInvoice(42)).toEqual(buildInvoice(42));
    expect(buildInvoice(42)).not.toEqual(buildInvoice(43));
  });

  it('keeps amounts consistent and dates ordered for 300 seeds', () => {
    for (let seed = 0; seed < 300; seed++) {
      expectConsistent(seed);
    }
  });
});

function expectConsistent(seed: number): void {
  const truth = buildInvoice(seed);
  expect(truth.lineItems.length).toBeGreaterThanOrEqual(2);
  expect(truth.lineItems.length).toBeLessThanOrEqual(5);
  for (const item of truth.lineItems) {
    expect(cents(item.amount)).toBe(cents(item.quantity * item.unitPrice));
  }
  const subtotal = truth.lineItems.reduce((sum, item) => sum + cents(item.amount), 0);
  expect(cents(truth.subtotal)).toBe(subtotal);
  expect(cents(truth.taxAmount)).toBe(Math.round((subtotal * truth.taxRate) / 100));
  expect(cents(truth.totalAmount)).toBe(subtotal + cents(truth.taxAmount));
  expect(truth.invoiceDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect((truth.dueDate ?? '') > truth.invoiceDate).toBe(true);
  expect(truth.currency).toMatch(/^[A-Z]{3}$/);
}

describe('invoice fixture set', () => {
  it('has unique names and a small set drawn from it', () => {
    expect(new Set(FIXTURE_SET.map((f) => f.name)).size).toBe(FIXTURE_SET.length);
    expect(SMALL_SET.every((f) => FIXTURE_SET.includes(f))).toBe(true);
  });

  it('renders deterministically', async () => {
    const fixture = fixtureByName('classic-sans-en-noise30');
    const [a, b] = await Promise.all([renderFixture(fixture), renderFixture(fixture)]);
    expect(a.image.equals(b.image)).toBe(true);
  });

  it('escapes XML in printed text', async () => {
    const truth = { ...buildInvoice(1), customerName: `<Tom & "Jerry's"> Ltd` };
    const rendered = await renderInvoice(truth, { dpi: 72 });
    expect(rendered.text).toContain(`<Tom & "Jerry's"> Ltd`);
    expect((await sharp(rendered.image).metadata()).width).toBe(595);
  });

  it('renders the clean English classic page as a 200 dpi A4 PNG', async () => {
    const page = await renderFixture(fixtureByName('classic-sans-en-png-200'));
    const meta = await sharp(page.image).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 1654, height: 2338, density: 200 });
    expect([page.width, page.height]).toEqual([1654, 2338]);
    expect(page.text).toContain(`Invoice No: ${page.truth.invoiceNumber}`);
    expect(page.text).toContain(`Total ${printedTotal(page)}`);
    expect(page.table[0]).toEqual(['Description', 'Qty', 'Unit Price', 'Amount']);
    expect(page.table).toHaveLength(page.truth.lineItems.length + 1);
  });

  it('renders the German modern page as a JPEG', async () => {
    const page = await renderFixture(fixtureByName('modern-serif-de-jpeg-200'));
    const meta = await sharp(page.image).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1654, height: 2338, density: 200 });
    expect(page.contentType).toBe('image/jpeg');
    expect(printedTotal(page)).toMatch(/^\d{1,3}(\.\d{3})*,\d{2} [A-Z]{3}$/);
    expect(page.text).toContain(`Amount Due ${printedTotal(page)}`);
    expect(page.table[0]).toEqual(['Item', 'Quantity', 'Rate', 'Line Total']);
  });

  it('renders the TIFF and the sideways page at their sizes', async () => {
    const tiff = await renderFixture(fixtureByName('classic-sans-en-tiff-300'));
    expect(await sharp(tiff.image).metadata()).toMatchObject({
      format: 'tiff',
      width: 2481,
      height: 3507,
    });
    const sideways = await renderFixture(fixtureByName('classic-sans-en-rotate90'));
    expect(await sharp(sideways.image).metadata()).toMatchObject({ width: 2338, height: 1654 });
  });

  it('draws the born-digital PDF with the printed text', async () => {
    const page = await renderFixture(fixtureByName('classic-en-pdf-text'));
    expect(page.image.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pdf = await getDocument({
      data: new Uint8Array(page.image),
      verbosity: 0,
      isEvalSupported: false,
    }).promise;
    try {
      expect(pdf.numPages).toBe(1);
      const pdfPage = await pdf.getPage(1);
      const [, , width, height] = pdfPage.view;
      expect(width).toBeCloseTo(PAGE_WIDTH_PT, 1);
      expect(height).toBeCloseTo(PAGE_HEIGHT_PT, 1);
      const content = await pdfPage.getTextContent();
      const strings = content.items.flatMap((item) => ('str' in item ? [item.str] : []));
      expect(strings).toContain(page.truth.invoiceNumber);
      expect(strings).toContain(printedTotal(page));
      expect(strings).toContain(page.truth.vendorName);
    } finally {
      await pdf.destroy();
    }
  });

  it('is readable by tesseract: invoice number and total of the clean PNG', async () => {
    const page = await renderFixture(fixtureByName('classic-sans-en-png-200'));
    const require = createRequire(import.meta.url);
    const langPath = path.join(
      path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
      '4.0.0_best_int',
    );
    const workerErrors: unknown[] = [];
    const worker = await createWorker('eng', OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: 'none',
      errorHandler: (error: unknown) => workerErrors.push(error),
    });
    try {
      await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
      const { data } = await worker.recognize(page.image);
      const text = data.text.replace(/\s+/g, ' ');
      expect(text).toContain(page.truth.invoiceNumber);
      expect(text).toContain(printedTotal(page));
      expect(data.confidence).toBeGreaterThan(80);
    } finally {
      await worker.terminate();
    }
    expect(workerErrors).toEqual([]);
  }, 120_000);
});

describe('invoice fixture server', () => {
  let server: FixtureServer;
  const png = Buffer.from('not really a png');

  beforeAll(async () => {
    server = await startFixtureServer(
      { 'invoice.png': { body: png, contentType: 'image/png' } },
      { flakyFailures: 2 },
    );
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves files on loopback and 404s unknown paths', async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(server.url('/invoice.png'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(server.url('missing.png'))).status).toBe(404);
  });

  it.each([200, 404, 410, 500, 503])('answers /status/%i', async (code) => {
    const res = await fetch(server.url(`/status/${code}`));
    expect(res.status).toBe(code);
    await res.arrayBuffer();
  });

  it('redirects to the given URL', async () => {
    const target = server.url('/invoice.png');
    const manual = await fetch(server.url(`/redirect?to=${encodeURIComponent(target)}`), {
      redirect: 'manual',
    });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(target);
    await manual.arrayBuffer();
    const followed = await fetch(server.url(`/redirect?to=${encodeURIComponent(target)}`));
    expect(followed.status).toBe(200);
    expect(followed.url).toBe(target);
    await followed.arrayBuffer();
  });

  it('fails the first N requests of a flaky file with 503, then serves it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(server.url('/flaky/invoice.png'));
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([503, 503, 200, 200]);
    const once = await fetch(server.url('/flaky/invoice.png?failures=1'));
    expect(once.status).toBe(503);
    await once.arrayBuffer();
  });

  it('serves HTML and a corrupt PNG', async () => {
    const html = await fetch(server.url('/html'));
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<html');
    const corrupt = await fetch(server.url('/corrupt.png'));
    expect(corrupt.headers.get('content-type')).toBe('image/png');
    await expect(sharp(Buffer.from(await corrupt.arrayBuffer())).metadata()).rejects.toThrow();
  });

  it('starts the slow and huge bodies without finishing them quickly', async () => {
    const controller = new AbortController();
    const slow = await fetch(server.url('/slow'), { signal: controller.signal });
    expect(slow.status).toBe(200);
    expect(Number(slow.headers.get('content-length'))).toBeGreaterThan(1000);
    controller.abort();
    const huge = await fetch(server.url('/huge'), { method: 'HEAD' });
    expect(Number(huge.headers.get('content-length'))).toBe(50 * 1024 * 1024);
    expect(server.requests.some((r) => r.url === '/slow')).toBe(true);
  });
});
