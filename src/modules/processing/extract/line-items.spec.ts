import type { RecognizedLine, TableCellResult } from '../processing.types.js';
import { line, page, phrase, type WordSpec } from './extract.testing.js';
import { extractLineItems } from './line-items.js';

/** A table row: description at x=50, quantity ending at 430, unit price at 600, amount at 740. */
function itemRow(
  y: number,
  description: string,
  quantity: string,
  unitPrice: string,
  amount: string,
  confidence?: number,
): RecognizedLine {
  const rightAligned = (end: number, text: string): WordSpec =>
    confidence === undefined
      ? [text, end - text.length * 10, text.length * 10]
      : [text, end - text.length * 10, text.length * 10, confidence];
  return line(y, [
    ...phrase(50, description, confidence),
    rightAligned(430, quantity),
    rightAligned(600, unitPrice),
    rightAligned(740, amount),
  ]);
}

const HEADER = line(300, [
  ...phrase(50, 'Description'),
  ...phrase(400, 'Qty'),
  ...phrase(500, 'Unit Price'),
  ...phrase(680, 'Amount'),
]);

/** Cells as [row, column, text] for compact expectations. */
const texts = (cells: TableCellResult[]): [number, number, string][] =>
  cells.map((c) => [c.rowIndex, c.columnIndex, c.cellText]);

describe('extractLineItems', () => {
  it('reads a 3-item US table with multi-word descriptions, stopping at Subtotal', () => {
    const result = extractLineItems(
      page(
        line(100, phrase(50, 'Acme Design Studio')),
        HEADER,
        itemRow(330, 'Website redesign and development', '1', '2,500.00', '2,500.00'),
        itemRow(360, 'Hosting (12 months)', '12', '25.00', '300.00'),
        itemRow(390, 'SEO audit and keyword report', '1', '450.00', '1,450.00', 0.8),
        line(440, [...phrase(500, 'Subtotal'), ['4,250.00', 660, 80]]),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Description'],
      [0, 1, 'Qty'],
      [0, 2, 'Unit Price'],
      [0, 3, 'Amount'],
      [1, 0, 'Website redesign and development'],
      [1, 1, '1'],
      [1, 2, '2,500.00'],
      [1, 3, '2,500.00'],
      [2, 0, 'Hosting (12 months)'],
      [2, 1, '12'],
      [2, 2, '25.00'],
      [2, 3, '300.00'],
      [3, 0, 'SEO audit and keyword report'],
      [3, 1, '1'],
      [3, 2, '450.00'],
      [3, 3, '1,450.00'],
    ]);
    expect(result.lineAmounts).toEqual([2500, 300, 1450]);
  });

  it('gives each cell the union box and mean confidence of its words', () => {
    const result = extractLineItems(
      page(
        HEADER,
        line(330, [
          ['Consulting', 50, 100, 0.9],
          ['services', 160, 80, 0.7],
          ['10', 410, 20, 0.95],
          ['120.00', 540, 60, 0.85],
          ['1,200.00', 660, 80, 0.75],
        ]),
      ),
    );

    expect(result.cells).toEqual([
      {
        rowIndex: 0,
        columnIndex: 0,
        cellText: 'Description',
        confidence: 0.9,
        boundingBox: { x: 50, y: 300, width: 110, height: 20 },
      },
      {
        rowIndex: 0,
        columnIndex: 1,
        cellText: 'Qty',
        confidence: 0.9,
        boundingBox: { x: 400, y: 300, width: 30, height: 20 },
      },
      {
        rowIndex: 0,
        columnIndex: 2,
        cellText: 'Unit Price',
        confidence: 0.9,
        boundingBox: { x: 500, y: 300, width: 100, height: 20 },
      },
      {
        rowIndex: 0,
        columnIndex: 3,
        cellText: 'Amount',
        confidence: 0.9,
        boundingBox: { x: 680, y: 300, width: 60, height: 20 },
      },
      {
        rowIndex: 1,
        columnIndex: 0,
        cellText: 'Consulting services',
        confidence: 0.8,
        boundingBox: { x: 50, y: 330, width: 190, height: 20 },
      },
      {
        rowIndex: 1,
        columnIndex: 1,
        cellText: '10',
        confidence: 0.95,
        boundingBox: { x: 410, y: 330, width: 20, height: 20 },
      },
      {
        rowIndex: 1,
        columnIndex: 2,
        cellText: '120.00',
        confidence: 0.85,
        boundingBox: { x: 540, y: 330, width: 60, height: 20 },
      },
      {
        rowIndex: 1,
        columnIndex: 3,
        cellText: '1,200.00',
        confidence: 0.75,
        boundingBox: { x: 660, y: 330, width: 80, height: 20 },
      },
    ]);
    expect(result.lineAmounts).toEqual([1200]);
  });

  it('reads an EU table: comma decimals, a position column, a wrapped description, stop at a gap', () => {
    const result = extractLineItems(
      page(
        line(300, [
          ...phrase(20, 'Pos'),
          ...phrase(80, 'Bezeichnung'),
          ...phrase(400, 'Menge'),
          ...phrase(500, 'Einzelpreis'),
          ...phrase(660, 'Betrag'),
        ]),
        line(330, [
          ['1', 20, 10],
          ...phrase(80, 'Bürostuhl, ergonomisch'),
          ['2', 440, 10],
          ['1.234,50', 530, 80],
          ['2.469,00', 640, 80],
        ]),
        // The description wraps onto a second line with nothing in the other columns.
        line(355, phrase(80, 'mit Armlehnen')),
        line(385, [
          ['2', 20, 10],
          ...phrase(80, 'Lieferung'),
          ['1', 440, 10],
          ['49,90', 560, 50],
          ['49,90', 670, 50],
        ]),
        // 85 px below the last item (> 2.5 line heights): no longer the table.
        line(490, phrase(80, 'Zahlbar innerhalb von 30 Tagen')),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Pos'],
      [0, 1, 'Bezeichnung'],
      [0, 2, 'Menge'],
      [0, 3, 'Einzelpreis'],
      [0, 4, 'Betrag'],
      [1, 0, '1'],
      [1, 1, 'Bürostuhl, ergonomisch mit Armlehnen'],
      [1, 2, '2'],
      [1, 3, '1.234,50'],
      [1, 4, '2.469,00'],
      [2, 0, '2'],
      [2, 1, 'Lieferung'],
      [2, 2, '1'],
      [2, 3, '49,90'],
      [2, 4, '49,90'],
    ]);
    expect(result.lineAmounts).toEqual([2469, 49.9]);
  });

  it('keeps tightly set headers of different kinds apart but joins "Line Total"', () => {
    const result = extractLineItems(
      page(
        line(300, [
          ...phrase(50, 'Item'),
          ['Hours', 400, 50],
          ['Rate', 460, 40],
          ...phrase(600, 'Line Total'),
        ]),
        line(330, [
          ...phrase(50, 'Support'),
          ['3', 420, 10],
          ['80.00', 450, 50],
          ['240.00', 640, 60],
        ]),
        line(360, [...phrase(50, 'Total'), ['240.00', 640, 60]]),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Item'],
      [0, 1, 'Hours'],
      [0, 2, 'Rate'],
      [0, 3, 'Line Total'],
      [1, 0, 'Support'],
      [1, 1, '3'],
      [1, 2, '80.00'],
      [1, 3, '240.00'],
    ]);
    expect(result.lineAmounts).toEqual([240]);
  });

  it('takes the amount column even when another column follows it', () => {
    const result = extractLineItems(
      page(
        line(300, [...phrase(50, 'Product'), ...phrase(400, 'Amount'), ...phrase(550, 'VAT %')]),
        line(330, [...phrase(50, 'Toner'), ['99.00', 410, 50], ['20%', 560, 30]]),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Product'],
      [0, 1, 'Amount'],
      [0, 2, 'VAT %'],
      [1, 0, 'Toner'],
      [1, 1, '99.00'],
      [1, 2, '20%'],
    ]);
    expect(result.lineAmounts).toEqual([99]);
  });

  it('skips an item whose amount cell is empty or not a number', () => {
    const result = extractLineItems(
      page(
        HEADER,
        itemRow(330, 'Setup', '1', '100.00', '100.00'),
        line(360, [...phrase(50, 'Discount'), ...phrase(680, 'n/a')]),
      ),
    );

    expect(result.lineAmounts).toEqual([100]);
    expect(texts(result.cells).slice(-2)).toEqual([
      [2, 0, 'Discount'],
      [2, 3, 'n/a'],
    ]);
  });

  it('keeps an item whose description starts with a summary word, if it has a quantity', () => {
    const result = extractLineItems(
      page(
        HEADER,
        itemRow(330, 'Tax return preparation', '2', '150.00', '300.00'),
        itemRow(360, 'Total rewiring', '1', '80.00', '80.00'),
        // A summary label over the quantity column is still a summary.
        line(400, [...phrase(380, 'Total'), ['380.00', 680, 60]]),
      ),
    );

    expect(texts(result.cells).filter(([, column]) => column === 0)).toEqual([
      [0, 0, 'Description'],
      [1, 0, 'Tax return preparation'],
      [2, 0, 'Total rewiring'],
    ]);
    expect(result.lineAmounts).toEqual([300, 80]);
  });

  it.each<[string, RecognizedLine[]]>([
    ['an empty page', []],
    [
      'no header row',
      [
        line(100, phrase(50, 'Thank you for your business')),
        itemRow(130, 'Setup', '1', '1.00', '1.00'),
      ],
    ],
    // One kind of column only ("Total" and "Amount" name the same kind).
    ['a one-kind header', [line(100, phrase(50, 'Total Amount')), line(130, phrase(50, '12.00'))]],
    // A row naming two kinds but holding an amount is a summary, not a header.
    ['a keyword row with an amount', [line(100, phrase(50, 'Total hours 12.50'))]],
  ])('finds no table on %s', (_name, lines) => {
    expect(extractLineItems(page(...lines))).toEqual({ cells: [], lineAmounts: [] });
  });
});

describe('extractLineItems on a noisy scan', () => {
  it('takes no column, row or cell from specks (dots, quotes, bars) but keeps "&"', () => {
    const result = extractLineItems(
      page(
        line(300, [
          ...phrase(50, 'Description'),
          ['‘|', 300, 10],
          ...phrase(400, 'Qty'),
          ...phrase(680, 'Amount'),
        ]),
        line(330, [
          ...phrase(50, 'Delivery & handling'),
          ['°', 360, 8],
          ['2', 420, 10],
          ['554.20', 680, 60],
        ]),
        line(345, [[';', 500, 6]]),
        line(360, [...phrase(50, 'Setup'), ['1', 420, 10], ['100.00', 680, 60]]),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Description'],
      [0, 1, 'Qty'],
      [0, 2, 'Amount'],
      [1, 0, 'Delivery & handling'],
      [1, 1, '2'],
      [1, 2, '554.20'],
      [2, 0, 'Setup'],
      [2, 1, '1'],
      [2, 2, '100.00'],
    ]);
    expect(result.lineAmounts).toEqual([554.2, 100]);
  });

  it('drops marks glued to the numbers of numeric cells, not to descriptions', () => {
    const result = extractLineItems(
      page(HEADER, itemRow(330, 'Toner "black"', '4.', '“427,00', '1.708,00.')),
    );

    expect(texts(result.cells).filter(([row]) => row === 1)).toEqual([
      [1, 0, 'Toner "black"'],
      [1, 1, '4'],
      [1, 2, '427,00'],
      [1, 3, '1.708,00'],
    ]);
  });

  it('joins an abbreviated header set with word spaces wider than a word is tall (P.U. HT)', () => {
    // Words 20 px tall; the abbreviation's word space is 25 px, the column gaps 60 px and more.
    const result = extractLineItems(
      page(
        line(300, [
          ['Désignation', 50, 110],
          ['Qté', 380, 30],
          ['P.U.', 470, 40],
          ['HT', 535, 20],
          ['Montant', 640, 70],
          ['HT', 725, 20],
        ]),
        line(330, [
          ['Conseil', 50, 70],
          ['5', 400, 10],
          ['303,50', 495, 60],
          ['1 517,50', 685, 70],
        ]),
      ),
    );

    expect(texts(result.cells)).toEqual([
      [0, 0, 'Désignation'],
      [0, 1, 'Qté'],
      [0, 2, 'P.U. HT'],
      [0, 3, 'Montant HT'],
      [1, 0, 'Conseil'],
      [1, 1, '5'],
      [1, 2, '303,50'],
      [1, 3, '1 517,50'],
    ]);
  });
});

describe('table bounds', () => {
  it('spans the header and the item rows, not the summary', () => {
    const { bounds } = extractLineItems(
      page(
        line(100, phrase(50, 'Invoice No: 1')),
        HEADER,
        itemRow(330, 'Setup', '1', '100.00', '100.00'),
        itemRow(360, 'Support', '2', '50.00', '100.00'),
        line(400, [...phrase(500, 'Total'), ['200.00', 680, 60]]),
      ),
    );

    expect(bounds).toEqual({ top: 300, bottom: 380 });
  });

  it('is undefined without a table', () => {
    expect(extractLineItems(page(line(100, phrase(50, 'Invoice No: 1')))).bounds).toBeUndefined();
  });
});

describe('item cells OCR misread by one digit, repaired from their row', () => {
  const table = (header: string[], ...rows: [string, string, string, string][]) =>
    extractLineItems(
      page(
        line(300, [
          ...phrase(50, header[0]),
          ...phrase(390, header[1]),
          ...phrase(520, header[2]),
          ...phrase(670, header[3]),
        ]),
        ...rows.map((row, index) => itemRow(330 + 30 * index, ...row)),
      ),
    );
  const cellAt = (cells: TableCellResult[], row: number, column: number) =>
    cells.find((c) => c.rowIndex === row && c.columnIndex === column);

  it('nl: an amount with a look-alike digit (7.619,56 for 10 × 761,95) is read as printed', () => {
    const result = table(
      ['Artikel', 'Aant.', 'Stukprijs', 'Bedrag'],
      ['Verzendkosten', '10', '761,95', '7.619,56'],
      ['Koffiebonen 1 kg', '4', '538,00', '2.152,00'],
    );
    expect(cellAt(result.cells, 1, 3)).toMatchObject({ cellText: '7.619,50', confidence: 0.8 });
    expect(cellAt(result.cells, 2, 3)).toMatchObject({ cellText: '2.152,00', confidence: 0.9 });
    expect(result.lineAmounts).toEqual([7619.5, 2152]);
  });

  it('de: a unit price with a digit read too many (725,090) is read as printed', () => {
    const result = table(
      ['Artikel', 'Anzahl', 'E-Preis', 'Gesamtpreis'],
      ['Tonerkartusche schwarz', '10', '725,090', '7.250,00'],
    );
    expect(cellAt(result.cells, 1, 2)).toMatchObject({ cellText: '725,00', confidence: 0.8 });
    expect(result.lineAmounts).toEqual([7250]);
  });

  it('en: leaves a row alone when no single misread explains it, or both could', () => {
    const result = table(
      ['Description', 'Qty', 'Unit Price', 'Amount'],
      // 3 × 120.00 = 360.00: 330.00 is no look-alike misread of it (3 and 6 are not alike).
      ['Consulting', '3', '120.00', '330.00'],
      // 12 × 25.00 = 300.00 (a discount, say): two digits differ, nothing to repair from.
      ['Hosting', '12', '25.00', '250.00'],
    );
    expect(texts(result.cells).slice(4)).toEqual([
      [1, 0, 'Consulting'],
      [1, 1, '3'],
      [1, 2, '120.00'],
      [1, 3, '330.00'],
      [2, 0, 'Hosting'],
      [2, 1, '12'],
      [2, 2, '25.00'],
      [2, 3, '250.00'],
    ]);
  });

  it('it: a one-letter speck before a price is no part of the cell', () => {
    const result = extractLineItems(
      page(
        line(300, [
          ...phrase(50, 'Articolo'),
          ...phrase(390, 'Qtà'),
          ...phrase(520, 'Prezzo unitario'),
          ...phrase(670, 'Importo'),
        ]),
        line(330, [
          ...phrase(50, 'Cartuccia toner nero'),
          ['3', 420, 10],
          ['i', 515, 5],
          ['697,50', 540, 60],
          ['2.092,50', 660, 80],
        ]),
      ),
    );
    expect(cellAt(result.cells, 1, 2)).toMatchObject({ cellText: '697,50' });
  });
});
