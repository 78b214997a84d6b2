import { readingOrderText } from '../extract/layout.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import type { RecognizedPage, RecognizedWord } from '../processing.types.js';
import { offsetPage, weakRegions, withRereadRegion } from './weak-regions.js';

/** Words 30 px high, 16 px per character, one space (16 px) apart, starting at `x`. */
function words(x: number, y: number, text: string, confidence = 0.95): RecognizedWord[] {
  let left = x;
  return text.split(' ').map((part) => {
    const word = {
      text: part,
      confidence,
      box: { x: left, y, width: 16 * part.length, height: 30 },
    };
    left += 16 * part.length + 16;
    return word;
  });
}

/** A page of one block per group of lines, each line given as its words. */
function page(...lines: RecognizedWord[][]): RecognizedPage {
  const recognizedLines = lines.map((lineWords) => ({
    text: lineWords.map((w) => w.text).join(' '),
    confidence: 0.9,
    box: {
      x: lineWords[0].box.x,
      y: lineWords[0].box.y,
      width: lineWords.at(-1)!.box.x + lineWords.at(-1)!.box.width - lineWords[0].box.x,
      height: 30,
    },
    words: lineWords,
  }));
  return {
    text: recognizedLines.map((line) => line.text).join('\n'),
    confidence: 0.9,
    blocks: [
      {
        text: '',
        confidence: 0.9,
        box: { x: 0, y: 0, width: 2000, height: 2000 },
        blockType: BlockType.Text,
        lines: recognizedLines,
      },
    ],
  };
}

// A customer block on the left, the invoice's details on the right, a wide gap between them: the
// name was lost (`brilam` at confidence 0), as OCR does where the two columns' lines interleave.
const billedTo = words(100, 200, 'Billed to');
const lostName = [...words(100, 250, 'brilam', 0), ...words(212, 250, 'AB', 0.9)];
const street = words(100, 300, 'Kungsgatan 76');
const details = words(1200, 250, 'Date: 8 February 2023');
const total = words(100, 900, 'Total 12,00');
const withLostName = page(billedTo, [...lostName, ...details], street, total);

function reading(...lines: RecognizedWord[][]): RecognizedPage {
  return page(...lines);
}

describe('weakRegions', () => {
  it('finds none on a page read with confidence', () => {
    expect(weakRegions(page(billedTo, street, details), 2000, 2000)).toEqual([]);
  });

  it('leaves a region too small for an engine to read alone', () => {
    // Specks of a noisy scan read as letters, on a line run across the page: a region of a few
    // pixels, which tesseract fails on instead of reading.
    const speck = (x: number): RecognizedWord => ({
      text: 'xq',
      confidence: 0,
      box: { x, y: 700, width: 3, height: 3 },
    });
    const specks = page([speck(100), speck(1500)]);
    expect(weakRegions(specks, 2000, 2000)).toEqual([]);
    // The same line in letters of a readable size is read again.
    const letters = page([...words(100, 700, 'xq', 0), ...words(1500, 700, 'xq', 0)]);
    expect(weakRegions(letters, 2000, 2000).length).toBeGreaterThan(0);
  });

  it('leaves numbers and single letters read with low confidence alone', () => {
    const cells = [...words(100, 500, '5', 0), ...words(140, 500, '502,60', 0.1)];
    expect(weakRegions(page(billedTo, cells, words(100, 550, 'x', 0)), 2000, 2000)).toEqual([]);
  });

  it('leaves a weak word alone when its line stays within its own run of words', () => {
    // A footer's place name with a letter the model lacks, read alone on a well-formed line: read
    // again, the same pixels give the same word.
    const footer = words(100, 1800, 'Kungsgatan 153 411 19 Goteborg', 0.9);
    footer[4] = { ...footer[4], confidence: 0.07 };
    expect(weakRegions(page(billedTo, street, footer, details), 2000, 2000)).toEqual([]);
    // The same word on a line OCR ran across the gap to another column is read again.
    expect(
      weakRegions(page(billedTo, street, [...footer, ...words(1200, 1800, 'Page 1')]), 2000, 2000),
    ).toHaveLength(1);
  });

  it('takes the block around a lost word, with a margin, and not the column across the gap', () => {
    const [region] = weakRegions(withLostName, 2000, 2000);
    // The block's lines (Billed to, the lost name, the street) within 0.75 word heights of one
    // another, plus that margin (23 px); the details column and the distant total stay out.
    expect(region).toEqual({ x: 77, y: 177, width: 254, height: 176 });
    expect(weakRegions(withLostName, 2000, 2000)).toHaveLength(1);
  });
});

describe('withRereadRegion', () => {
  const region = { x: 77, y: 177, width: 254, height: 176 };

  it("replaces the region's words by a confident second reading; the rest stays", () => {
    const second = reading(
      words(100, 200, 'Billed to', 0.96),
      words(100, 250, 'Fabrikam Sverige AB', 0.95),
      words(100, 300, 'Kungsgatan 76', 0.96),
    );
    const read = withRereadRegion(withLostName, region, second);
    expect(read).toBeDefined();
    expect(readingOrderText(read!).split('\n')).toEqual([
      'Billed to',
      'Fabrikam Sverige AB Date: 8 February 2023',
      'Kungsgatan 76',
      'Total 12,00',
    ]);
    expect(read!.confidence).toBeGreaterThan(withLostName.confidence);
  });

  it('keeps the first reading when the second is unsure of a word', () => {
    const second = reading(
      words(100, 200, 'Billed to', 0.96),
      [...words(100, 250, 'Fabrikam Sverige', 0.95), ...words(400, 250, 'A8', 0.7)],
      words(100, 300, 'Kungsgatan 76', 0.96),
    );
    expect(withRereadRegion(withLostName, region, second)).toBeUndefined();
  });

  it('keeps the first reading when the second read only part of the region', () => {
    expect(
      withRereadRegion(withLostName, region, reading(words(100, 250, 'Fabrikam', 0.96))),
    ).toBeUndefined();
    expect(withRereadRegion(withLostName, region, reading())).toBeUndefined();
  });
});

describe('offsetPage', () => {
  it("moves a crop's reading to where the crop sits on the page", () => {
    const moved = offsetPage(reading(words(0, 0, 'AB')), 77, 177);
    expect(moved.blocks[0].lines[0].words[0].box).toEqual({ x: 77, y: 177, width: 32, height: 30 });
  });
});
