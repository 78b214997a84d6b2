/**
 * The multilingual corpus the OCR benchmark measures is what it claims: at least 60 documents
 * in six languages, born-digital PDFs beside scans; receipts whose item columns never run into
 * each other; and a ground truth, written by the generator, that accepts both ways a person reads
 * blocks printed side by side.
 */
import { stdnum } from 'stdnum';
import { buildDocument, REGIONS, type RegionKey } from '../../corpus/documents.js';
import { buildInvoice, createPrng } from '../../corpus/invoice-model.js';
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

  /**
   * The generator's tax ids are checked here against a published implementation of each
   * country's scheme (the generator computes its check digits on its own). The United States'
   * EIN has no check digit.
   */
  const VALIDATORS: Record<Exclude<RegionKey, 'us'>, (id: string) => boolean> = {
    uk: (id) => stdnum.GB.vat.validate(id).isValid,
    in: (id) => stdnum.IN.gstin.validate(id).isValid,
    se: (id) => stdnum.SE.vat.validate(id).isValid,
    pl: (id) => stdnum.PL.nip.validate(id).isValid,
    de: (id) => stdnum.DE.vat.validate(id).isValid,
    at: (id) => stdnum.AT.uid.validate(id).isValid,
    ch: (id) => stdnum.CH.vat.validate(id).isValid,
    fr: (id) => stdnum.FR.tva.validate(id).isValid,
    nl: (id) => stdnum.NL.btw.validate(id).isValid,
    be: (id) => stdnum.BE.vat.validate(id).isValid,
    es: (id) => stdnum.ES.nif.validate(id).isValid,
    it: (id) => stdnum.IT.iva.validate(id).isValid,
  };

  it.each(Object.keys(VALIDATORS) as Exclude<RegionKey, 'us'>[])(
    'writes %s tax ids that pass their real check digits',
    (region) => {
      const ids = Array.from({ length: 300 }, (_, seed) => REGIONS[region].taxId(createPrng(seed)));
      expect(ids.filter((id) => !VALIDATORS[region](id))).toEqual([]);
      // Still random: the check digits replace drawn digits, they do not fix the id.
      expect(new Set(ids).size).toBeGreaterThan(250);
    },
  );

  it('gives every document of the corpus and of the English fixtures a valid issuer tax id', () => {
    for (const fixture of CORPUS) {
      const region = fixture.document!.region;
      const id = documentOf(fixture).truth.vendorTaxId;
      if (id !== undefined && region !== 'us') {
        expect([fixture.name, VALIDATORS[region](id)]).toEqual([fixture.name, true]);
      }
    }
    const prefixes: Record<string, (id: string) => boolean> = {
      GB: VALIDATORS.uk,
      DE: VALIDATORS.de,
      FR: VALIDATORS.fr,
      NL: VALIDATORS.nl,
      AT: VALIDATORS.at,
      CH: VALIDATORS.ch,
    };
    for (let seed = 0; seed < 300; seed += 1) {
      const id = buildInvoice(seed).vendorTaxId;
      const validate = id === undefined ? undefined : prefixes[id.slice(0, 2)];
      if (validate !== undefined) {
        expect([id, validate(id!)]).toEqual([id, true]);
      }
    }
  });
});
