import type { RecognizedPage } from '../processing.types.js';
import { line, page, phrase, word } from './extract.testing.js';
import {
  groupRows,
  makeSegment,
  medianWordHeight,
  pageWords,
  readingOrder,
  readingOrderText,
  toSegments,
  wordsInSpan,
} from './layout.js';

describe('toSegments', () => {
  it('splits an OCR line at gaps wider than 3 word heights and sorts into reading order', () => {
    const segments = toSegments(
      page(
        // Left and right columns merged into one OCR line; 60 px gaps are not wider than 3 × 20.
        line(70, [...phrase(50, 'Acme Ltd'), ...phrase(600, 'Invoice No: 42')]),
        line(40, [
          ['Acme', 50, 40],
          ['Corp', 150, 40],
          ['INVOICE', 600, 70],
        ]),
      ),
    );

    expect(segments.map((s) => [s.text, s.box])).toEqual([
      ['Acme Corp', { x: 50, y: 40, width: 140, height: 20 }],
      ['INVOICE', { x: 600, y: 40, width: 70, height: 20 }],
      ['Acme Ltd', { x: 50, y: 70, width: 80, height: 20 }],
      ['Invoice No: 42', { x: 600, y: 70, width: 140, height: 20 }],
    ]);
  });

  it('orders words inside a line by x and drops blank words', () => {
    const segments = toSegments(
      page(
        line(10, [
          ['world', 70, 50],
          [' ', 60, 5],
          ['hello', 10, 50],
        ]),
      ),
    );

    expect(segments.map((s) => s.text)).toEqual(['hello world']);
  });

  it('returns nothing for an empty page', () => {
    expect(toSegments(page())).toEqual([]);
  });
});

describe('makeSegment and wordsInSpan', () => {
  const segment = makeSegment([word('Total', 0, 0, 50, 0.8), word('$1,234.56', 60, 0, 90, 0.6)]);

  it('joins words with single spaces and records their offsets', () => {
    expect(segment).toEqual({
      words: segment.words,
      text: 'Total $1,234.56',
      wordStarts: [0, 6],
      box: { x: 0, y: 0, width: 150, height: 20 },
      confidence: 0.7,
    });
  });

  it.each<[number, number, string[]]>([
    [0, 5, ['Total']],
    [6, 15, ['$1,234.56']],
    [7, 8, ['$1,234.56']],
    [3, 8, ['Total', '$1,234.56']],
    [5, 6, []],
  ])('span [%d, %d) → %j', (start, end, expected) => {
    expect(wordsInSpan(segment, start, end).map((w) => w.text)).toEqual(expected);
  });
});

describe('readingOrder', () => {
  it('groups slightly misaligned items into one row, left to right', () => {
    const items = [
      { name: 'b', box: { x: 300, y: 103, width: 10, height: 20 } },
      { name: 'c', box: { x: 0, y: 140, width: 10, height: 20 } },
      { name: 'a', box: { x: 0, y: 100, width: 10, height: 20 } },
    ];

    expect(readingOrder(items).map((item) => item.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('groupRows', () => {
  it('groups words by vertical centre regardless of OCR lines', () => {
    const words = [
      word('Qty', 400, 102, 30),
      word('Description', 50, 100, 110),
      word('1', 420, 131, 10),
      word('Setup', 50, 130, 50),
    ];

    expect(groupRows(words).map((row) => row.map((w) => w.text))).toEqual([
      ['Description', 'Qty'],
      ['Setup', '1'],
    ]);
  });
});

describe('pageWords and medianWordHeight', () => {
  it('collects the words of every block and line', () => {
    const built = page(line(0, phrase(0, 'a b')), line(30, phrase(0, 'c')));

    expect(pageWords(built).map((w) => w.text)).toEqual(['a', 'b', 'c']);
    expect(medianWordHeight(pageWords(built))).toBe(20);
    expect(medianWordHeight([])).toBe(0);
  });
});

describe('readingOrderText', () => {
  /** A page whose OCR blocks are columns: descriptions, the vendor block, then the amounts. */
  const COLUMNS_AS_BLOCKS: RecognizedPage = {
    text: '',
    confidence: 0.9,
    blocks: [
      page(
        line(300, phrase(50, 'Description')),
        line(330, phrase(50, 'Setup fee')),
        line(360, phrase(50, 'Support, 2 hours')),
      ).blocks[0],
      page(
        line(40, [
          ['Acme', 50, 60],
          ['Ltd', 120, 40],
        ]),
        line(40, phrase(600, 'INVOICE')),
      ).blocks[0],
      page(
        line(300, phrase(500, 'Qty Amount')),
        line(330, phrase(500, '1 100.00')),
        line(360, phrase(500, '2 90.00')),
      ).blocks[0],
    ],
  };

  it('reads a table row as one line, its cells left to right, whatever the OCR blocks were', () => {
    expect(readingOrderText(COLUMNS_AS_BLOCKS).split('\n')).toEqual([
      'Acme Ltd INVOICE',
      'Description Qty Amount',
      'Setup fee 1 100.00',
      'Support, 2 hours 2 90.00',
    ]);
  });

  it('puts a large title and a small name on one baseline on one line', () => {
    const title = {
      text: 'RECHNUNG',
      confidence: 0.9,
      box: { x: 600, y: 20, width: 200, height: 40 },
    };
    const name = { text: 'Helios', confidence: 0.9, box: { x: 50, y: 38, width: 80, height: 20 } };
    const below = {
      text: 'Hauptstraße',
      confidence: 0.9,
      box: { x: 50, y: 66, width: 120, height: 20 },
    };
    const built = page(line(0, []));
    built.blocks[0].lines = [
      { text: '', confidence: 0.9, box: title.box, words: [title, name, below] },
    ];
    expect(readingOrderText(built)).toBe('Helios RECHNUNG\nHauptstraße');
  });
});
