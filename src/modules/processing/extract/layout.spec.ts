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

describe('pageWords: dust', () => {
  it('leaves out marks a scan reads between words (., |, _,) but keeps :, ·, - and &', () => {
    const built = page(
      line(0, phrase(0, 'Boulangerie Petit | Jean _, Weber & Partner')),
      line(30, phrase(0, 'Total : 12 · Tel - 42 .')),
    );

    expect(pageWords(built).map((w) => w.text)).toEqual(
      'Boulangerie Petit Jean Weber & Partner Total : 12 · Tel - 42'.split(' '),
    );
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

describe('readingOrderText: side-by-side blocks', () => {
  /** Words 20 px tall; `phrase` sets 10 px per character. */
  const read = (...lines: Parameters<typeof page>): string[] =>
    readingOrderText(page(...lines)).split('\n');

  it('reads an address beside invoice details set at another line pitch block by block', () => {
    // The address at a 28 px pitch, the details at 30 px starting half a line lower: no line of
    // one shares a baseline with a line of the other.
    expect(
      read(
        line(100, phrase(50, 'Bill to:')),
        line(128, phrase(50, 'Jansen Bouw B.V.')),
        line(156, phrase(50, 'Keizersgracht 42')),
        line(184, phrase(50, '1012 JS Amsterdam')),
        line(112, [...phrase(500, 'Number:'), ...phrase(700, 'INV-2024-43995')]),
        line(142, [...phrase(500, 'Date:'), ...phrase(700, '11-11-2024')]),
        line(172, [...phrase(500, 'Due:'), ...phrase(700, '10-01-2025')]),
        line(300, phrase(50, 'Thank you for your order.')),
      ),
    ).toEqual([
      'Bill to:',
      'Jansen Bouw B.V.',
      'Keizersgracht 42',
      '1012 JS Amsterdam',
      'Number: INV-2024-43995',
      'Date: 11-11-2024',
      'Due: 10-01-2025',
      'Thank you for your order.',
    ]);
  });

  it("reads a sidebar, then the column beside it top to bottom, whatever its blocks' left edges", () => {
    const title = page(line(0, [['FATTURA', 262, 200]])).blocks[0].lines[0];
    title.words[0].box = { x: 262, y: 60, width: 200, height: 44 };
    title.box = title.words[0].box;
    expect(
      read(
        line(66, phrase(40, 'Studio Bianchi')),
        line(92, phrase(40, 'Via Roma 12')),
        line(118, phrase(40, '40121 Bologna')),
        line(144, phrase(40, 'P.IVA IT09766820362')),
        line(170, phrase(40, 'studiobianchi.it')),
        line(196, phrase(40, 'Tel. 051 123456')),
        line(222, phrase(40, 'info@bianchi.it')),
        line(248, phrase(40, 'IBAN IT60 X054')),
        title,
        line(130, [...phrase(260, 'Fattura n.'), ...phrase(460, 'Data')]),
        line(156, [...phrase(260, 'INV-2023-66921'), ...phrase(460, '28 marzo 2023')]),
        // The customer's label starts two pixels left of the title and the details.
        line(215, phrase(258, 'Intestatario:')),
        line(241, phrase(258, 'Comune di Verona')),
      ),
    ).toEqual([
      'Studio Bianchi',
      'Via Roma 12',
      '40121 Bologna',
      'P.IVA IT09766820362',
      'studiobianchi.it',
      'Tel. 051 123456',
      'info@bianchi.it',
      'IBAN IT60 X054',
      'FATTURA',
      'Fattura n. Data',
      'INV-2023-66921 28 marzo 2023',
      'Intestatario:',
      'Comune di Verona',
    ]);
  });

  it('reads blocks whose lines share baselines line by line across the page', () => {
    expect(
      read(
        line(100, [...phrase(50, 'Seller'), ...phrase(500, 'Customer')]),
        line(128, [...phrase(50, 'Helios GmbH'), ...phrase(500, 'Kaufhaus Sommer GmbH')]),
        line(156, [...phrase(50, 'Hauptstraße 12'), ...phrase(500, 'Lindenallee 3')]),
      ),
    ).toEqual([
      'Seller Customer',
      'Helios GmbH Kaufhaus Sommer GmbH',
      'Hauptstraße 12 Lindenallee 3',
    ]);
  });

  it('reads a large title beside smaller lines on other baselines before them', () => {
    const title = page(line(0, [['FACTURE', 50, 240]])).blocks[0].lines[0];
    title.words[0].box = { x: 50, y: 88, width: 240, height: 44 };
    title.box = title.words[0].box;
    expect(
      read(
        title,
        line(90, [...phrase(500, 'Numéro :'), ...phrase(700, 'INV-2024-18976')]),
        line(118, [...phrase(500, 'Émise le :'), ...phrase(700, '09/07/2024')]),
        line(146, [...phrase(500, 'Échéance :'), ...phrase(700, '07/09/2024')]),
      ),
    ).toEqual([
      'FACTURE',
      'Numéro : INV-2024-18976',
      'Émise le : 09/07/2024',
      'Échéance : 07/09/2024',
    ]);
  });

  it('reads a boxed summary on the left before the notes beside it', () => {
    expect(
      read(
        line(400, [...phrase(50, 'Subtotal'), ...phrase(260, '100.00')]),
        line(428, [...phrase(50, 'VAT 20%'), ...phrase(260, '20.00')]),
        line(456, [...phrase(50, 'Total'), ...phrase(260, '120.00')]),
        line(410, phrase(500, 'Payment within 30 days.')),
        line(442, phrase(500, 'Thank you.')),
      ),
    ).toEqual([
      'Subtotal 100.00',
      'VAT 20% 20.00',
      'Total 120.00',
      'Payment within 30 days.',
      'Thank you.',
    ]);
  });

  it('leaves out lines of specks only, keeping their words in the blocks', () => {
    const built = page(
      line(100, phrase(50, 'Ref. pedido: PO-77586')),
      line(130, [
        ['—..', 300, 30],
        ['.', 400, 5],
      ]),
      line(160, phrase(50, '- 12 -')),
    );
    expect(read(...built.blocks[0].lines)).toEqual(['Ref. pedido: PO-77586', '- 12 -']);
    expect(pageWords(built).map((w) => w.text)).toContain('—..');
  });

  it('reads every table row as one line, cells left to right, despite a speck beside it', () => {
    expect(
      read(
        line(300, [...phrase(50, 'Description'), ...phrase(400, 'Qty'), ...phrase(600, 'Amount')]),
        line(330, [...phrase(50, 'Setup fee'), ...phrase(400, '1'), ...phrase(600, '100.00')]),
        line(360, [
          ...phrase(50, 'Support, 2 hours'),
          ...phrase(400, '2'),
          ...phrase(600, '90.00'),
        ]),
        line(362, [[';', 900, 8]]),
        line(390, [...phrase(50, 'Licence'), ...phrase(400, '3'), ...phrase(600, '30.00')]),
      ),
    ).toEqual([
      'Description Qty Amount',
      'Setup fee 1 100.00',
      'Support, 2 hours 2 90.00 ;',
      'Licence 3 30.00',
    ]);
  });
});
