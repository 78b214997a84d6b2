import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import { PagePipeline } from '../pipeline/page-pipeline.js';
import { TesseractJsEngine } from '../recognize/tesseract-ocr.engine.js';

describe('prepareForOcr on a low-resolution JPEG page (through the page pipeline)', () => {
  const engine = new TesseractJsEngine(['en', 'de']);
  afterAll(() => engine.close());

  it('keeps the strokes solid: a 200-DPI JPEG receipt reads as printed, row by row', async () => {
    // Enlarged to 300 DPI before binarisation; a contrast stretch there once turned the JPEG
    // ringing around the letters into ink, and this page came back as garbage.
    const receipt = await renderFixture(corpusFixtureByName('de-03-receipt-ch-jpeg-200'));
    const result = await new PagePipeline(engine, { maxPages: 1 }, ['en', 'de']).process(
      receipt.image,
    );

    expect(result.preprocessing.enhanced).toBe(true);
    const lines = result.recognized.text.split('\n');
    expect(lines).toContain(receipt.truth.vendorName);
    for (const row of receipt.table) {
      expect(lines).toContain(row.join(' '));
    }
    expect(result.extractedFields.invoiceNumber?.value).toBe(receipt.truth.invoiceNumber);
  }, 240_000);
});
