import { detectDateOrder, findDates, parseDate, type DateOrder } from './dates.js';

describe('parseDate', () => {
  it.each<[string, string]>([
    ['2024-03-15', '2024-03-15'],
    ['2024/03/15', '2024-03-15'],
    ['2024.3.5', '2024-03-05'],
    ['15/03/2024', '2024-03-15'],
    ['03/15/2024', '2024-03-15'],
    ['15.03.2024', '2024-03-15'],
    ['15-03-2024', '2024-03-15'],
    ['5/3/2024', '2024-05-03'],
    ['15/03/24', '2024-03-15'],
    ['15 March 2024', '2024-03-15'],
    ['March 15, 2024', '2024-03-15'],
    ['15 Mar 2024', '2024-03-15'],
    ['15-Mar-2024', '2024-03-15'],
    ['Mar 15 2024', '2024-03-15'],
    ['Mar. 15, 2024', '2024-03-15'],
    ['15th March, 2024', '2024-03-15'],
    ['1st Sept 2024', '2024-09-01'],
    ['15 MARCH 2024', '2024-03-15'],
    ['15. März 2024', '2024-03-15'],
    ['29 Feb 2024', '2024-02-29'],
    ['2024-03-15.', '2024-03-15'],
    [':15/03/2024', '2024-03-15'],
  ])('%j → %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each<[string, DateOrder | undefined, string]>([
    // Both parts ≤ 12: the hint decides, defaulting to month first.
    ['03/04/2024', undefined, '2024-03-04'],
    ['03/04/2024', 'mdy', '2024-03-04'],
    ['03/04/2024', 'dmy', '2024-04-03'],
    ['03-04-2024', 'dmy', '2024-04-03'],
    // A part above 12 overrides the hint.
    ['15/03/2024', 'mdy', '2024-03-15'],
    ['03/15/2024', 'dmy', '2024-03-15'],
    // Dotted dates are day-first whatever the hint.
    ['03.04.2024', 'mdy', '2024-04-03'],
  ])('%j with hint %s → %s', (text, hint, expected) => {
    expect(parseDate(text, hint)).toBe(expected);
  });

  it.each<[string]>([
    ['2024-02-30'],
    ['2023-02-29'],
    ['31/04/2024'],
    ['13/13/2024'],
    ['2024-13-01'],
    ['31 June 2024'],
    ['INV-2024-0042'],
    ['2024/00042'],
    ['1,234.56'],
    ['Date'],
    ['15/03/2024 16/03/2024'],
    ['1500-01-01'],
    [''],
  ])('%j → undefined', (text) => {
    expect(parseDate(text)).toBeUndefined();
  });
});

describe('findDates', () => {
  it.each<
    [string, DateOrder | undefined, { value: string; text: string; start: number; end: number }[]]
  >([
    [
      'Invoice Date: 15/03/2024 Due: 14/04/2024',
      undefined,
      [
        { value: '2024-03-15', text: '15/03/2024', start: 14, end: 24 },
        { value: '2024-04-14', text: '14/04/2024', start: 30, end: 40 },
      ],
    ],
    [
      'Issued March 5, 2024 (due 4 Apr 2024)',
      undefined,
      [
        { value: '2024-03-05', text: 'March 5, 2024', start: 7, end: 20 },
        { value: '2024-04-04', text: '4 Apr 2024', start: 26, end: 36 },
      ],
    ],
    [
      'Ref INV-2024-03-15',
      undefined,
      [{ value: '2024-03-15', text: '2024-03-15', start: 8, end: 18 }],
    ],
    ['Date 01/02/2024', 'dmy', [{ value: '2024-02-01', text: '01/02/2024', start: 5, end: 15 }]],
    ['Total 1,234.56 on 2024-02-30', undefined, []],
    ['Invoice No 2024/00042', undefined, []],
    ['Version 1.2.3', undefined, []],
  ])('%j (hint %s)', (text, hint, expected) => {
    expect(findDates(text, hint)).toEqual(expected);
  });
});

describe('detectDateOrder', () => {
  it.each<[string[], DateOrder | undefined]>([
    [['Date 15/03/2024', 'Due 14/04/2024'], 'dmy'],
    [['Date 03/15/2024'], 'mdy'],
    [['Date 03/04/2024'], undefined],
    [['15/03/2024', '03/16/2024'], undefined],
    [['15/03/2024', '14/04/2024', '03/16/2024'], 'dmy'],
    // Dotted and ISO dates say nothing about slash dates.
    [['15.03.2024', '2024-03-15'], undefined],
    [[], undefined],
  ])('%j → %s', (texts, expected) => {
    expect(detectDateOrder(texts)).toBe(expected);
  });
});

describe('month names in six languages', () => {
  it.each([
    ['15. März 2024', '2024-03-15'],
    ['15 mars 2024', '2024-03-15'],
    ['1er mars 2024', '2024-03-01'],
    ['15 maart 2024', '2024-03-15'],
    ['15 de marzo de 2024', '2024-03-15'],
    ['15 marzo 2024', '2024-03-15'],
    ['3 août 2024', '2024-08-03'],
    ['3 aout 2024', '2024-08-03'],
    ['9 diciembre 2023', '2023-12-09'],
    ['9 dicembre 2023', '2023-12-09'],
    ['March 15, 2024', '2024-03-15'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });
});

describe('a day glued to its month name, as dense print and OCR give it', () => {
  it.each([
    ['7mei 2023', '2023-05-07'],
    ['15März 2024', '2024-03-15'],
    ['3août 2024', '2024-08-03'],
    ['12diciembre 2023', '2023-12-12'],
    ['15Mar2024', '2024-03-15'],
  ])('%s → %s', (text, iso) => {
    expect(parseDate(text)).toBe(iso);
  });

  it('still finds no date inside a word or an identifier', () => {
    expect(findDates('REF7mei2023X')).toEqual([]);
  });
});

describe('a year read with a look-alike digit for its 0', () => {
  it.each<[string, string, DateOrder | undefined]>([
    ['20-09-2925', '2025-09-20', 'dmy'],
    ['25/12/2824', '2024-12-25', 'dmy'],
    ['15. März 2625', '2025-03-15', undefined],
    ['15 de abril de 2925', '2025-04-15', undefined],
  ])('reads %s as %s and says the year was repaired', (text, value, order) => {
    expect(findDates(text, order)).toEqual([
      expect.objectContaining({ value, text, repairedYear: true }),
    ]);
  });

  it.each(['20-09-2125', '20-09-3025', '20-09-2725'])(
    'finds no date in %s: no single look-alike explains that year',
    (text) => {
      expect(findDates(text, 'dmy')).toEqual([]);
    },
  );

  it('leaves a year in range alone', () => {
    expect(findDates('20-09-2025', 'dmy')).toEqual([
      { value: '2025-09-20', text: '20-09-2025', start: 0, end: 10 },
    ]);
  });
});
