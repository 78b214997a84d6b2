import sharp from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import type { PageLanguage } from '../extract/language.js';
import { TesseractJsEngine } from '../recognize/tesseract-ocr.engine.js';
import { toPbm } from '../preprocess/prepare-for-ocr.js';
import { PagePipeline } from './page-pipeline.js';
import { labelPng, plainPng } from '../../../../test/support/small-images.js';

/** The real tesseract.js engine, noting the model of every reading it is asked for. */
class NotingEngine extends TesseractJsEngine {
  readonly readings: PageLanguage[] = [];

  override async recognize(...args: Parameters<TesseractJsEngine['recognize']>) {
    this.readings.push(args[1]?.language ?? 'en');
    return super.recognize(...args);
  }
}

describe('PagePipeline: the language pass', () => {
  const engine = new NotingEngine(['en', 'de']);
  afterAll(() => engine.close());

  it("reads a page once more only when it is not in the previous page's language", async () => {
    const german = await renderFixture(corpusFixtureByName('de-01-left-totals-de-png-200'));
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en', 'de']);

    // The first page is read with English, found German, and read again with German.
    const first = await pipeline.process(german.image);
    expect(first.language).toBe('de');
    expect(engine.readings).toEqual(['en', 'de']);

    // The next German page is read with German once.
    const second = await pipeline.process(german.image);
    expect(second.language).toBe('de');
    expect(engine.readings).toEqual(['en', 'de', 'de']);
    expect(second.extractedFields.invoiceNumber?.value).toBe(german.truth.invoiceNumber);
  }, 240_000);

  it('reads a page first in the language it is told the page is likely in', async () => {
    engine.readings.length = 0;
    const german = await renderFixture(corpusFixtureByName('de-01-left-totals-de-png-200'));
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en', 'de']);

    expect((await pipeline.process(german.image, 1, 'de')).language).toBe('de');
    expect(engine.readings).toEqual(['de']);
  }, 240_000);

  it('takes the language of a text-layer page as the first guess for the next page', async () => {
    engine.readings.length = 0;
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en', 'de']);
    const bornDigital = await renderFixture(corpusFixtureByName('de-02-two-column-at-pdf-text'));
    const scanned = await renderFixture(corpusFixtureByName('de-01-left-totals-de-png-200'));

    expect((await pipeline.process(bornDigital.image)).language).toBe('de');
    expect(engine.readings).toEqual([]);
    expect((await pipeline.process(scanned.image)).language).toBe('de');
    expect(engine.readings).toEqual(['de']);
  }, 240_000);
});

describe('PagePipeline: orientation', () => {
  const engine = new NotingEngine(['en']);
  afterAll(() => engine.close());

  it('reads an upside-down page once, turned by what its line profiles show', async () => {
    const upsideDown = await renderFixture(
      corpusFixtureByName('en-11-footer-uk-png-200-rotate180'),
    );
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);

    const result = await pipeline.process(upsideDown.image);
    expect(engine.readings).toEqual(['en']);
    expect(result.timings.ocrReads).toBe(1);
    expect(result.preprocessing.rotationAngle).toBe(180);
    // Read upright: the number is in the text where it is printed (whether its label survives the
    // scan is the extraction's business, measured by bench:ocr) and the total is the page's.
    expect(result.recognized.text).toContain(upsideDown.truth.invoiceNumber);
    expect(result.extractedFields.totalAmount?.value).toBe(upsideDown.truth.totalAmount);
  }, 240_000);
});

describe('PagePipeline: a second reading where OCR lost its way', () => {
  const engine = new NotingEngine(['en']);
  afterAll(() => engine.close());

  it('reads a customer block again on its own when its lines were lost beside another column', async () => {
    // The bold customer name beside the invoice's details, set at another line pitch: the page's
    // reading cuts lines across both columns and loses the name (`brilam AB` at confidence 0).
    const letter = await renderFixture(corpusFixtureByName('en-09-letter-se-tiff-300'));
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);

    const result = await pipeline.process(letter.image);
    expect(result.timings.ocrReads).toBeGreaterThan(1);
    expect(result.recognized.text.split('\n')).toEqual(
      expect.arrayContaining(['Fabrikam Sverige AB', 'Kungsgatan 76']),
    );
    expect(result.extractedFields.customerName?.value).toBe('Fabrikam Sverige AB');
  }, 240_000);
});

describe('PagePipeline: a scanned PDF page', () => {
  const engine = new NotingEngine(['en']);
  afterAll(() => engine.close());

  it('reads a scanned PDF page (one JPEG over the page) from its JPEG, its boxes on the 300 DPI page', async () => {
    const scan = await renderFixture(corpusFixtureByName('en-06-receipt-us-pdf-scan-300'));
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);

    const result = await pipeline.process(scan.image);
    expect(result.imageProperties).toMatchObject({
      width: 2481,
      height: 3507,
      dpi: 300,
      format: 'pdf',
    });
    expect(result.extractedFields.invoiceNumber?.value).toBe(scan.truth.invoiceNumber);
    expect(result.extractedFields.totalAmount?.value).toBe(scan.truth.totalAmount);
    // Where the total is printed: about x 1819, y 1342 on the page at 300 DPI.
    const box = result.extractedFields.totalAmount?.boundingBox;
    expect(box?.x).toBeGreaterThan(1800);
    expect(box?.x).toBeLessThan(1840);
    expect(box?.y).toBeGreaterThan(1320);
    expect(box?.y).toBeLessThan(1360);
  }, 240_000);
});

describe('PagePipeline: images of odd sizes', () => {
  const engine = new TesseractJsEngine(['en']);
  afterAll(() => engine.close());

  // A 1 × 1 image (a tracking pixel, say) made the engine fail, and a small clean page hung
  // the contrast stretch until the page's deadline.
  it.each([
    [1, 1],
    [3, 2],
    [40, 2],
  ])(
    'reads a %i × %i image as a page without text, handing nothing to the engine',
    async (width, height) => {
      const image = await plainPng(width, height);
      const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);
      const result = await pipeline.process(image);
      expect(result.recognized).toMatchObject({ text: '', blocks: [] });
      expect(result.timings.ocrReads).toBe(0);
      expect(result.imageProperties).toMatchObject({ width, height });
    },
    60_000,
  );

  it('reads a page whose top-left corner is inked as a byte Leptonica would take for whitespace', async () => {
    // Ink at the third of the first eight pixels: 0x20, a space, once packed into the PBM.
    const data = new Uint8Array(640 * 200).fill(255);
    data[2] = 0;
    const result = await engine.recognize(toPbm({ data, width: 640, height: 200 }), {
      dpi: 300,
    });
    expect(result.text).toBe('');
  }, 60_000);

  it('reads a strip longer than tesseract takes once enlarged (16 × 16000 at 96 DPI)', async () => {
    const strip = await sharp({
      create: { width: 16, height: 16_000, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .withMetadata({ density: 96 })
      .png()
      .toBuffer();
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);
    const result = await pipeline.process(strip);
    expect(result.recognized.text).toBe('');
    expect(result.timings.ocrReads).toBeGreaterThan(0);
  }, 60_000);

  it('reads a small clean page at low resolution (fewer pixels than the contrast stretch samples)', async () => {
    const text = await labelPng();
    const pipeline = new PagePipeline(engine, { maxPages: 1 }, ['en']);
    const result = await pipeline.process(text);
    expect(result.preprocessing.enhanced).toBe(true);
    expect(result.recognized.text.split(/\s+/)).toEqual(['Invoice', '4711']);
  }, 60_000);
});
