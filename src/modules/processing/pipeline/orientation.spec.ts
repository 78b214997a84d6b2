import sharp from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { decodePage } from '../decode/decode-page.js';
import type { GrayImage } from '../preprocess/image-analysis.js';
import { analysisCopy } from '../preprocess/prepare-for-ocr.js';
import type { RecognizedPage, RecognizedWord } from '../processing.types.js';
import { orientationOf, readabilityScore } from './orientation.js';

const word = (text: string, confidence: number): RecognizedWord => ({
  text,
  confidence,
  box: { x: 0, y: 0, width: 10, height: 10 },
});

/** A page with one block per list of lines. */
function page(...blocks: RecognizedWord[][][]): RecognizedPage {
  return {
    text: '',
    confidence: 0,
    blocks: blocks.map((lines) => ({
      text: '',
      confidence: 0,
      box: { x: 0, y: 0, width: 10, height: 10 },
      blockType: BlockType.Text,
      lines: lines.map((words) => ({
        text: '',
        confidence: 0,
        box: { x: 0, y: 0, width: 10, height: 10 },
        words,
      })),
    })),
  };
}

describe('readabilityScore', () => {
  it('sums and averages the confidence of readable words across blocks and lines', () => {
    const result = readabilityScore(
      page([[word('Invoice', 0.9), word('Total', 0.8)]], [[word('12345', 0.7)], [word('ACME', 1)]]),
    );
    expect(result.words).toBe(4);
    expect(result.score).toBeCloseTo(3.4, 10);
    expect(result.mean).toBeCloseTo(0.85, 10);
  });

  it('ignores words with fewer than 3 letters or digits in a row', () => {
    const result = readabilityScore(
      page([
        [
          word('a', 0.99),
          word('No', 0.99),
          word('1.2', 0.99),
          word('--', 0.99),
          word('€/$', 0.99),
          word('a-b-c', 0.99),
          word('x9z', 0.9),
          word('(42)', 0.99),
          word('Ltd.', 0.7),
        ],
      ]),
    );
    // Only "x9z" and "Ltd." have 3 alphanumerics in a row.
    expect(result.words).toBe(2);
    expect(result.score).toBeCloseTo(1.6, 10);
    expect(result.mean).toBeCloseTo(0.8, 10);
  });

  it('ignores words read with a confidence below 0.6', () => {
    const result = readabilityScore(
      page([[word('Invoice', 0.59), word('Number', 0.6), word('Total', 0.2)]]),
    );
    expect(result).toEqual({ score: 0.6, words: 1, mean: 0.6 });
  });

  it('is 0 for a page without readable words', () => {
    expect(readabilityScore(page())).toEqual({ score: 0, words: 0, mean: 0 });
    expect(readabilityScore(page([[word('ab', 1), word('xyz', 0.1)]], []))).toEqual({
      score: 0,
      words: 0,
      mean: 0,
    });
  });

  it('scores upside-down garbage below the upright reading of the same page', () => {
    const upright = page([[word('Invoice', 0.92), word('Number', 0.9), word('Total', 0.88)]]);
    const upsideDown = page([[word('ǝɔᴉoʌuI', 0.4), word('ɹǝqɯnN', 0.5), word('lɐʇoꓕ', 0.3)]]);
    expect(readabilityScore(upright).score).toBeGreaterThan(readabilityScore(upsideDown).score);
    expect(readabilityScore(upsideDown).words).toBe(0);
  });
});

describe('orientationOf', () => {
  /** The analysis copy of a corpus page, turned clockwise by `degrees` as a scanner might. */
  async function copyOf(name: string, degrees = 0): Promise<GrayImage> {
    const { image } = await renderFixture(corpusFixtureByName(name));
    const turned = await sharp(image).rotate(degrees).png().toBuffer();
    const decoded = await decodePage(turned);
    if (decoded.kind !== 'image') {
      throw new Error('expected an image');
    }
    return analysisCopy(decoded.pixels);
  }

  it.each([
    [0, 0],
    [90, 270],
    [180, 180],
    [270, 90],
  ])('turns a page scanned %i° clockwise by %i° and is sure of it', async (scanned, turn) => {
    expect(await orientationOf(await copyOf('en-01-letter-uk-png-200', scanned))).toEqual({
      turn,
      settled: true,
    });
  });

  it('settles a skewed page and a noisy scan upright', async () => {
    expect(await orientationOf(await copyOf('de-08-footer-at-png-200-skew'))).toEqual({
      turn: 0,
      settled: true,
    });
    expect(await orientationOf(await copyOf('fr-10-two-column-fr-jpeg-scan'))).toEqual({
      turn: 0,
      settled: true,
    });
  });

  it('leaves a page without text lines to the reading', async () => {
    const blank: GrayImage = { data: new Uint8Array(600 * 800).fill(255), width: 600, height: 800 };
    expect(await orientationOf(blank)).toEqual({ turn: 0, settled: false });
  });
});
