/** How to read an ambiguous numeric date such as `03/04/2024`. */
export type DateOrder = 'dmy' | 'mdy';

/** A date found in a text: its ISO value and character span [start, end). */
export interface DateMatch {
  /** `YYYY-MM-DD` */
  value: string;
  text: string;
  start: number;
  end: number;
  /** The year was printed in this century but read with a look-alike digit (`2925`). */
  repairedYear?: true;
}

/**
 * Month names and abbreviations in English, German, French, Dutch, Spanish and Italian, with
 * the unaccented spellings OCR sometimes returns (`fevrier`, `aout`, `Marz`).
 */
const MONTHS: Readonly<Record<string, number>> = {
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  may: 5,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  october: 10,
  november: 11,
  december: 12,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  januar: 1,
  jänner: 1,
  februar: 2,
  märz: 3,
  maerz: 3,
  mai: 5,
  juni: 6,
  juli: 7,
  oktober: 10,
  dezember: 12,
  okt: 10,
  dez: 12,
  marz: 3,
  // French
  janvier: 1,
  février: 2,
  fevrier: 2,
  mars: 3,
  avril: 4,
  juin: 6,
  juillet: 7,
  août: 8,
  aout: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  décembre: 12,
  decembre: 12,
  janv: 1,
  févr: 2,
  fevr: 2,
  avr: 4,
  juil: 7,
  déc: 12,
  // Dutch
  januari: 1,
  februari: 2,
  maart: 3,
  mei: 5,
  augustus: 8,
  // Spanish
  enero: 1,
  febrero: 2,
  marzo: 3,
  abril: 4,
  mayo: 5,
  junio: 6,
  julio: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  octubre: 10,
  noviembre: 11,
  diciembre: 12,
  // Italian
  gennaio: 1,
  febbraio: 2,
  aprile: 4,
  maggio: 5,
  giugno: 6,
  luglio: 7,
  settembre: 9,
  ottobre: 10,
  dicembre: 12,
};

// Longest first, so "march" is tried before "mar".
const MONTH_NAME = `(?<month>${Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})(?!\\p{L})\\.?`;
const DAY = `(?<day>\\d{1,2})(?:st|nd|rd|th|er)?`;

/** Not glued to a neighbouring word or number (`INV-2024-03-15` still finds its date). */
const BEFORE = `(?<![\\p{L}\\p{N}]|\\p{N}[-/.])`;
const AFTER = `(?![\\p{L}\\p{N}]|[-/.]\\p{N})`;

interface DateGroups {
  year?: string;
  month?: string;
  day?: string;
  first?: string;
  second?: string;
  sep?: string;
}

interface DatePattern {
  regex: RegExp;
  /** [year, month, day] from the match, or undefined when it cannot be read. */
  read: (groups: DateGroups, hint: DateOrder | undefined) => [number, number, number] | undefined;
}

/** Two-digit years are taken as 20yy: invoices are recent documents. */
function fullYear(year: string): number {
  return year.length === 2 ? 2000 + Number(year) : Number(year);
}

/**
 * The order of a numeric date's first two parts. Dotted dates are day-first everywhere they are
 * used; otherwise a part above 12 settles it, and only then does the page's hint apply.
 */
function numericOrder(first: number, second: number, sep: string, hint?: DateOrder): DateOrder {
  if (sep === '.' || first > 12) {
    return 'dmy';
  }
  return second > 12 ? 'mdy' : (hint ?? 'mdy');
}

const PATTERNS: readonly DatePattern[] = [
  {
    // 2024-03-15, 2024/03/15, 2024.03.15
    regex: new RegExp(
      `${BEFORE}(?<year>\\d{4})(?<sep>[-/.])(?<month>\\d{1,2})\\k<sep>(?<day>\\d{1,2})${AFTER}`,
      'gu',
    ),
    read: (g) => [Number(g.year), Number(g.month), Number(g.day)],
  },
  {
    // 15/03/2024, 03/15/2024, 15.03.2024, 15-03-2024, 15/03/24
    regex: new RegExp(
      `${BEFORE}(?<first>\\d{1,2})(?<sep>[-/.])(?<second>\\d{1,2})\\k<sep>(?<year>\\d{4}|\\d{2})${AFTER}`,
      'gu',
    ),
    read: (g, hint) => {
      const first = Number(g.first);
      const second = Number(g.second);
      const order = numericOrder(first, second, g.sep ?? '/', hint);
      const [day, month] = order === 'dmy' ? [first, second] : [second, first];
      return [fullYear(g.year ?? ''), month, day];
    },
  },
  {
    // 15 March 2024, 15 Mar 2024, 15-Mar-2024, 15th March, 2024, 15. März 2024, 1er mars 2024,
    // 15 de marzo de 2024; also with the day glued to the month (`7mei 2023`, `15Mar2024`), as
    // dense print and OCR give it.
    regex: new RegExp(
      `${BEFORE}${DAY}\\.?[ -]*(?:de\\s+)?${MONTH_NAME},?[ -]*(?:de\\s+)?(?<year>\\d{4})${AFTER}`,
      'giu',
    ),
    read: (g) => [Number(g.year), MONTHS[(g.month ?? '').toLowerCase()] ?? 0, Number(g.day)],
  },
  {
    // March 15, 2024, Mar 15 2024, Mar-15-2024
    regex: new RegExp(`${BEFORE}${MONTH_NAME}[ -]+${DAY},?[ -]+(?<year>\\d{4})${AFTER}`, 'giu'),
    read: (g) => [Number(g.year), MONTHS[(g.month ?? '').toLowerCase()] ?? 0, Number(g.day)],
  },
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** `YYYY-MM-DD` for a real calendar date in a plausible range, else undefined (2024-02-30). */
function isoDate(year: number, month: number, day: number): string | undefined {
  const valid =
    year >= 1900 &&
    year <= 2099 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month);
  if (!valid) {
    return undefined;
  }
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Keeps the earliest (then longest) of overlapping matches. */
function withoutOverlaps(matches: DateMatch[]): DateMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: DateMatch[] = [];
  for (const match of sorted) {
    const previous = kept.at(-1);
    if (previous === undefined || match.start >= previous.end) {
      kept.push(match);
    }
  }
  return kept;
}

/**
 * A year of this century whose `0` OCR read as a look-alike (`2925`, `2824`, `2625` for 2025):
 * no invoice is dated in the 22nd to 30th centuries, and the `0` is the digit that changed.
 */
function misreadYear(year: number): number | undefined {
  const digits = String(year);
  return /^2[689]\d{2}$/.test(digits) ? 2000 + (year % 100) : undefined;
}

/**
 * Every valid date in `text`, left to right; `hint` orders ambiguous numeric dates. A date whose
 * year only a look-alike misread puts out of range is read with the year repaired, and says so.
 */
export function findDates(text: string, hint?: DateOrder): DateMatch[] {
  const matches: DateMatch[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      const parts = pattern.read(match.groups ?? {}, hint);
      if (parts === undefined) {
        continue;
      }
      const start = match.index;
      const found = { text: match[0], start, end: start + match[0].length };
      const value = isoDate(...parts);
      const year = value === undefined ? misreadYear(parts[0]) : undefined;
      const repaired = year === undefined ? undefined : isoDate(year, parts[1], parts[2]);
      if (value !== undefined) {
        matches.push({ value, ...found });
      } else if (repaired !== undefined) {
        matches.push({ value: repaired, ...found, repairedYear: true });
      }
    }
  }
  return withoutOverlaps(matches);
}

/**
 * Parses a text that is one date into `YYYY-MM-DD`; undefined for anything else. Stray OCR
 * punctuation around it (`15.03.2024.`, `:2024-03-15`) is ignored.
 */
export function parseDate(text: string, hint?: DateOrder): string | undefined {
  const cleaned = text
    .trim()
    .replace(/^[:;#*]+/, '')
    .replace(/[.:;,*]+$/, '')
    .trim();
  const dates = findDates(cleaned, hint);
  const only = dates[0];
  return dates.length === 1 && only !== undefined && only.text === cleaned ? only.value : undefined;
}

const NUMERIC_DATE = new RegExp(
  `${BEFORE}(?<first>\\d{1,2})(?<sep>[-/])(?<second>\\d{1,2})\\k<sep>(?:\\d{4}|\\d{2})${AFTER}`,
  'gu',
);

/**
 * The day/month order a page uses, by majority vote of its self-revealing numeric dates
 * (`15/03/2024` is dmy, `03/15/2024` mdy). Undefined when none reveals it or the vote ties.
 */
export function detectDateOrder(texts: readonly string[]): DateOrder | undefined {
  let dmy = 0;
  let mdy = 0;
  for (const text of texts) {
    for (const match of text.matchAll(NUMERIC_DATE)) {
      const first = Number(match.groups?.['first']);
      const second = Number(match.groups?.['second']);
      dmy += first > 12 && second <= 12 ? 1 : 0;
      mdy += second > 12 && first <= 12 ? 1 : 0;
    }
  }
  if (dmy === mdy) {
    return undefined;
  }
  return dmy > mdy ? 'dmy' : 'mdy';
}
