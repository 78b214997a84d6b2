/**
 * Invoices in six languages through the running API: real HTTP, the real database engine, real
 * OCR. One scanned page per language and a born-digital PDF; each is checked against the ground
 * truth its generator wrote (fields, language) and its text against the printed table rows, read
 * in order (a table row is one line, its cells left to right).
 */
import {
  corpusFixtureByName,
  renderFixture,
  type RenderedFixture,
} from '../../corpus/fixture-set.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { startFixtureServer, type FixtureServer } from '../support/invoices/serve-fixtures.js';

/** One document per language, clean scans at 200 DPI, and a German born-digital PDF. */
const DOCUMENTS = [
  ['en', 'en-01-letter-uk-png-200'],
  ['de', 'de-01-left-totals-de-png-200'],
  ['fr', 'fr-01-credit-note-fr-png-200'],
  ['nl', 'nl-01-logo-nl-png-200'],
  ['es', 'es-01-two-column-es-png-200'],
  ['it', 'it-01-two-column-it-png-200'],
  ['de', 'de-02-two-column-at-pdf-text'],
] as const;

/** The fields every document states, compared exactly with the generator's truth. */
const FIELDS = [
  'invoiceNumber',
  'invoiceDate',
  'vendorName',
  'vendorTaxId',
  'customerName',
  'currency',
  'subtotal',
  'taxAmount',
  'totalAmount',
] as const;

/**
 * The text's lines with white space collapsed. A space that groups thousands (`1 584,00`, set as
 * a narrow no-break space) is spacing, not text: OCR may or may not see it, so it is dropped.
 */
const normaliseLine = (line: string): string =>
  line
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/(?<=\d) (?=\d{3}(?:[.,]\d{2})?(?!\d))/g, '')
    .trim();
const lines = (text: string): string[] => text.split('\n').map(normaliseLine);

describe('processing invoices in six languages', () => {
  let testApp: TestApp;
  let api: Client;
  let files: FixtureServer;
  const rendered = new Map<string, RenderedFixture>();

  beforeAll(async () => {
    for (const [, name] of DOCUMENTS) {
      rendered.set(name, await renderFixture(corpusFixtureByName(name)));
    }
    files = await startFixtureServer(
      Object.fromEntries(
        [...rendered.values()].map((f) => [
          f.fileName,
          { body: f.image, contentType: f.contentType },
        ]),
      ),
    );
    testApp = await createTestApp({
      PROCESSING_ENABLED: 'true',
      PROCESSING_POLL_INTERVAL_MS: '100',
      FETCH_ALLOWED_HOSTS: '127.0.0.1',
    });
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
    await files.close();
  });

  async function processed(fixture: RenderedFixture): Promise<any> {
    const created = await api.post(
      PAGES,
      buildCreatePageDto({ pageUrl: files.url(fixture.fileName) }),
    );
    expect(created.status).toBe(201);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const res = await api.get(`${PAGES}/${created.body.data._id}`);
      if (['completed', 'failed'].includes(res.body.data?.status)) {
        return res.body.data;
      }
      if (Date.now() > deadline) {
        throw new Error(`page stayed ${res.body.data?.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it.each(DOCUMENTS)(
    'reads a %s invoice (%s): language, fields and table rows in order',
    async (language, name) => {
      const fixture = rendered.get(name) as RenderedFixture;
      const page = await processed(fixture);

      expect(page.status).toBe('completed');
      expect(page.ocrResults.language).toBe(language);
      const truth = fixture.truth as unknown as Record<string, unknown>;
      const got = Object.fromEntries(
        FIELDS.filter((field) => truth[field] !== undefined).map((field) => [
          field,
          page.extractedFields[field]?.value,
        ]),
      );
      const expected = Object.fromEntries(
        FIELDS.filter((field) => truth[field] !== undefined).map((field) => [field, truth[field]]),
      );
      expect(got).toEqual(expected);
      // Every item row of the table is one line of the text, its cells left to right.
      const text = lines(page.ocrResults.text);
      for (const row of fixture.table.slice(1)) {
        expect(text).toContain(normaliseLine(row.join(' ')));
      }
      // The words keep their boxes on the page.
      expect(page.ocrResults.words.length).toBeGreaterThan(20);
      expect(page.ocrResults.words[0].boundingBox.width).toBeGreaterThan(0);
    },
    // A page is read in seconds; a machine busy with other work may take a minute or two.
    180_000,
  );
});
