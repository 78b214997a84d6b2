import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import type { PageLanguage } from '../extract/language.js';
import { TesseractJsEngine } from '../recognize/tesseract-ocr.engine.js';
import { PagePipeline } from './page-pipeline.js';

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
});
