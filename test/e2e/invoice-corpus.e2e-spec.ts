/**
 * The multilingual corpus the OCR benchmark measures is what it claims: at least 60 documents
 * in six languages, born-digital PDFs beside scans; receipts whose item columns never run into
 * each other; and a ground truth, written by the generator, that accepts both ways a person reads
 * blocks printed side by side.
 */
import { buildDocument } from '../../corpus/documents.js';
import { CORPUS, corpusFixtureByName, type InvoiceFixture } from '../../corpus/fixture-set.js';
import { layoutDocument, type DocumentLayout } from '../../corpus/layouts.js';
import { printedWidth, type TextElement } from '../../corpus/page-builder.js';
import { printedReadings } from '../../corpus/render-invoice.js';

function documentOf(fixture: InvoiceFixture) {
  const { region, kind } = fixture.document!;
  return buildDocument(fixture.seed, region, kind, {
    pdfSafe: fixture.options.format === 'pdf-text',
  });
}

/** A text element's horizontal extent, by the generous width estimate the layouts use. */
function extent(element: TextElement): [number, number] {
  const width = printedWidth(element.text, element.size, element.bold);
  const left = { start: 0, middle: width / 2, end: width }[element.anchor];
  return [element.x - left, element.x - left + width];
}

describe('multilingual invoice corpus', () => {
  it('holds at least 60 documents in six languages, born-digital PDFs and scans', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.map((f) => f.document?.language))).toEqual(
      new Set(['en', 'de', 'fr', 'nl', 'es', 'it']),
    );
    const formats = new Set(CORPUS.map((f) => f.options.format ?? 'png'));
    expect([...formats]).toEqual(expect.arrayContaining(['pdf-text', 'pdf-image', 'png', 'tiff']));
  });

  it('prints every receipt row with cells that do not run into each other', () => {
    const receipts = CORPUS.filter((f) => f.options.layout === 'receipt');
    expect(receipts.length).toBeGreaterThanOrEqual(6);
    for (const fixture of receipts) {
      const { truth, style } = documentOf(fixture);
      const { elements, table } = layoutDocument(truth, style, 'receipt');
      const texts = elements.filter((e): e is TextElement => e.kind === 'text');
      const byBaseline = new Map<number, TextElement[]>();
      for (const text of texts) {
        byBaseline.set(text.y, [...(byBaseline.get(text.y) ?? []), text]);
      }
      for (const row of table) {
        const printed = [...byBaseline.values()].find(
          (line) => line.map((t) => t.text).join('|') === row.join('|'),
        );
        expect(printed).toBeDefined();
        const extents = printed!.map(extent);
        extents.slice(1).forEach(([start], index) => {
          expect(extents[index][1]).toBeLessThan(start);
        });
      }
    }
  });

  it('accepts side-by-side blocks read block by block or line by line', () => {
    // The logo layout sets the customer's address beside the invoice details at another pitch.
    const fixture = CORPUS.find((f) => f.options.layout === ('logo' satisfies DocumentLayout))!;
    const { truth, style } = documentOf(fixture);
    const readings = printedReadings(truth, { ...fixture.options, style });
    expect(readings.length).toBeGreaterThanOrEqual(2);
    const address = [
      style.labels.customer,
      truth.customerName,
      truth.customerAddress.street,
      truth.customerAddress.city,
      truth.customerAddress.country,
    ];
    // Block by block: the address is five consecutive lines.
    expect(readings.some((reading) => reading.includes(address.join('\n')))).toBe(true);
    // Line by line: the first reading, with a detail beside at least one address line.
    expect(readings[0]).not.toContain(address.join('\n'));
    // Both readings hold the same printed pieces.
    const pieces = (text: string): string[] => text.split(/\s+/).sort();
    for (const reading of readings) {
      expect(pieces(reading)).toEqual(pieces(readings[0]));
    }
  });

  it('reads a table row as one line, its cells left to right, in every reading', () => {
    const fixture = corpusFixtureByName(CORPUS.find((f) => f.options.layout === 'letter')!.name);
    const { truth, style } = documentOf(fixture);
    const { table } = layoutDocument(truth, style, 'letter');
    for (const reading of printedReadings(truth, { ...fixture.options, style })) {
      for (const row of table) {
        expect(reading.split('\n')).toContain(row.join(' '));
      }
    }
  });
});
