import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { line, page, phrase, word } from './extract.testing.js';

describe('fixture builders', () => {
  it('phrase lays words out at 10 px per character, one character apart', () => {
    expect(phrase(100, 'Invoice No: 42')).toEqual([
      ['Invoice', 100, 70],
      ['No:', 180, 30],
      ['42', 220, 20],
    ]);
    expect(phrase(0, 'a  b', 0.5)).toEqual([
      ['a', 0, 10, 0.5],
      ['b', 20, 10, 0.5],
    ]);
  });

  it('line builds 20 px high words at y, with the line box and mean confidence', () => {
    expect(
      line(40, [
        ['Total', 10, 50, 0.8],
        ['9.00', 70, 40],
      ]),
    ).toEqual({
      text: 'Total 9.00',
      confidence: 0.85,
      box: { x: 10, y: 40, width: 100, height: 20 },
      words: [word('Total', 10, 40, 50, 0.8), word('9.00', 70, 40, 40, 0.9)],
    });
  });

  it('page wraps lines in one text block', () => {
    const first = line(0, [['a', 0, 10]]);
    const second = line(30, [['b', 20, 10, 0.7]]);

    expect(page(first, second)).toEqual({
      text: 'a\nb',
      confidence: 0.8,
      blocks: [
        {
          text: 'a\nb',
          confidence: 0.8,
          box: { x: 0, y: 0, width: 30, height: 50 },
          blockType: BlockType.Text,
          lines: [first, second],
        },
      ],
    });
  });
});
