import { CURRENCY_CODES } from './currency.js';

/** Which mark separates the decimals: `1,234.56` is dot-decimal, `1.234,56` comma-decimal. */
export type NumberFormat = 'dot-decimal' | 'comma-decimal';

/** An amount found in a text, with its character span [start, end). */
export interface AmountMatch {
  value: number;
  /** The matched text, including any sign, parentheses and currency. */
  text: string;
  start: number;
  end: number;
}

/** Currency symbols and codes that may stand next to an amount. */
const CURRENCY = `(?:US\\$|A\\$|C\\$|\\$|€|£|¥|₹|Rs\\.?|zł|Kč|kr|${CURRENCY_CODES.join('|')})`;

/**
 * The number itself, three alternatives tried in order:
 * 1. grouped with `,` `.` `'` or a no-break space (`1,234.56`, `1.234.567`, `1'234.50`);
 * 2. grouped with ordinary spaces, only with comma decimals (`1 234,56`): an ordinary space is
 *    also what separates neighbouring numbers ("Qty 2 125.00"), so without the decimal comma
 *    that French/Scandinavian style implies, merging groups would invent amounts;
 * 3. ungrouped (`1234.56`, `12,50`, `42`).
 * Which mark is the decimal one is decided afterwards by `parseNumber`.
 */
const NUMBER = [
  `\\d{1,2}(?:,\\d{2})+,\\d{3}(?:\\.\\d{1,2})?`,
  `\\d{1,3}(?:[,.'’\\u00A0\\u202F]\\d{3})+(?:[.,]\\d+)?`,
  `\\d{1,3}(?: \\d{3})+,\\d{1,2}`,
  `\\d+(?:[.,]\\d+)?`,
].join('|');

/**
 * An amount with optional parentheses, minus sign and currency on either side. The lookbehind
 * and lookahead keep parts of other tokens out: the digits of `INV-2024-0042`, `2024-03-15` or
 * `15.03.2024` touch letters, digits or a separator followed by a digit. A dot that touches no
 * letter or digit on its left is OCR dust (`Netto .8.755,90`), not part of another token. A number followed by `%`
 * is a rate, not an amount.
 */
const AMOUNT_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}_,/\\-−])(?<![\\p{L}\\p{N}_][.])` +
    `(?<open>\\()?(?<sign>[-−–])?(?:${CURRENCY}[ \\u00A0]?)?(?<sign2>[-−–])?` +
    `(?<number>${NUMBER})` +
    `(?:[ \\u00A0]?${CURRENCY})?(?<close>\\))?` +
    `(?![\\p{L}\\p{N}_]|[.,/\\-]\\p{N}|[ \\u00A0]?%)`,
  'gu',
);

/** Marks that can only group thousands, never separate decimals. */
const GROUP_ONLY_MARKS = new Set([' ', '\u00A0', '\u202F', "'", '’']);

interface RawAmount {
  number: string;
  negative: boolean;
  text: string;
  start: number;
  end: number;
}

/** Every amount-shaped token in `text`, before deciding what its separators mean. */
function scan(text: string): RawAmount[] {
  return [...text.matchAll(AMOUNT_PATTERN)].map((match) => {
    const groups = match.groups ?? {};
    const open = groups['open'] !== undefined;
    const close = groups['close'] !== undefined;
    // An unpaired parenthesis is punctuation around the amount, not part of it.
    const start = match.index + (open && !close ? 1 : 0);
    const end = match.index + match[0].length - (close && !open ? 1 : 0);
    return {
      number: groups['number'],
      negative: (open && close) || groups['sign'] !== undefined || groups['sign2'] !== undefined,
      text: text.slice(start, end),
      start,
      end,
    };
  });
}

const decimalMark = (format: NumberFormat): string => (format === 'dot-decimal' ? '.' : ',');

/**
 * Index (into `marks`) of the decimal mark of a number, or -1 when all marks group thousands.
 * Only a lone `.` or `,` followed by exactly three digits is truly ambiguous (`1,234`); there the
 * page's `format` decides, and without it the thousands reading wins, as on most invoices.
 */
function decimalMarkIndex(marks: string[], groups: string[], format?: NumberFormat): number {
  const last = marks.at(-1) as string;
  const lastIndex = marks.length - 1;
  if (GROUP_ONLY_MARKS.has(last)) {
    return -1;
  }
  if (marks.includes('.') && marks.includes(',')) {
    return lastIndex;
  }
  if (marks.filter((mark) => mark === last).length > 1) {
    return -1;
  }
  const fraction = groups.at(-1) as string;
  const first = groups[0];
  if (fraction.length !== 3 || (groups.length === 2 && (first === '0' || first.length > 3))) {
    return lastIndex;
  }
  if (format !== undefined) {
    return last === decimalMark(format) ? lastIndex : -1;
  }
  return -1;
}

/** Thousands groups are well formed: one kind of mark, 1–3 leading digits, then exactly 3. */
function validGrouping(groups: string[], marks: string[]): boolean {
  if (groups.length === 1) {
    return true;
  }
  const kind = (mark: string): string => (GROUP_ONLY_MARKS.has(mark) ? ' ' : mark);
  const sameKind = marks.every((mark) => kind(mark) === kind(marks[0]));
  const [first, ...rest] = groups as [string, ...string[]];
  return sameKind && first.length <= 3 && rest.every((group) => group.length === 3);
}

/** The value of a matched number such as `1.234,56`, or undefined if it is malformed. */
function parseNumber(number: string, format?: NumberFormat): number | undefined {
  // Indian grouping (lakh, crore): 1,23,45,678.90 — only commas group, a dot separates decimals.
  if (/^\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?$/.test(number)) {
    return Number(number.replace(/,/g, ''));
  }
  const groups = number.split(/\D/);
  const marks = number.replace(/\d/g, '').split('');
  if (marks.length === 0) {
    return Number(number);
  }
  const decimalIndex = decimalMarkIndex(marks, groups, format);
  const integerGroups = decimalIndex === -1 ? groups : groups.slice(0, -1);
  const groupMarks = decimalIndex === -1 ? marks : marks.slice(0, -1);
  if (!validGrouping(integerGroups, groupMarks)) {
    return undefined;
  }
  const fraction = decimalIndex === -1 ? '' : `.${groups.at(-1) as string}`;
  return Number(integerGroups.join('') + fraction);
}

/** Every amount in `text` (e.g. one OCR line) with its span, left to right. */
export function findAmounts(text: string, format?: NumberFormat): AmountMatch[] {
  const amounts: AmountMatch[] = [];
  for (const raw of scan(text)) {
    const magnitude = parseNumber(raw.number, format);
    if (magnitude !== undefined) {
      // `+ 0` turns -0 (from "-0.00") into 0.
      const value = (raw.negative ? -magnitude : magnitude) + 0;
      amounts.push({ value, text: raw.text, start: raw.start, end: raw.end });
    }
  }
  return amounts;
}

/**
 * Parses a text that is one amount, e.g. `$1,234.56`, `1.234,56 EUR`, `(12.00)`; undefined for
 * anything else (dates, invoice numbers, words, several numbers). Stray OCR punctuation around
 * the amount (`12.50.`, `:99.00`) is ignored. `format` settles `1,234` vs `1.234`.
 */
export function parseAmount(text: string, format?: NumberFormat): number | undefined {
  const cleaned = text
    .trim()
    .replace(/^[:;#*]+/, '')
    .replace(/[.:;,*]+$/, '')
    .trim();
  const amounts = findAmounts(cleaned, format);
  const only = amounts[0];
  return amounts.length === 1 && only !== undefined && only.text === cleaned
    ? only.value
    : undefined;
}

/** What a number's marks reveal about the format, if anything. */
function formatEvidence(number: string): NumberFormat | undefined {
  const marks = number.replace(/[^.,]/g, '').split('');
  if (marks.length === 0) {
    return undefined;
  }
  const groups = number.split(/\D/);
  const decimalIndex = decimalMarkIndex(number.replace(/\d/g, '').split(''), groups);
  if (decimalIndex !== -1) {
    return marks.at(-1) === '.' ? 'dot-decimal' : 'comma-decimal';
  }
  // Only repeated marks are proof of grouping; a lone "1,234" proves nothing.
  const repeated = marks.length > 1 && marks.every((mark) => mark === marks[0]);
  if (!repeated) {
    return undefined;
  }
  return marks[0] === ',' ? 'dot-decimal' : 'comma-decimal';
}

/**
 * The number format of a page, by majority vote of the numbers whose marks are unambiguous
 * (`1.234,56`, `12,50`, `1,234,567`). Undefined when nothing is decisive or the vote ties.
 */
export function detectNumberFormat(texts: readonly string[]): NumberFormat | undefined {
  let dot = 0;
  let comma = 0;
  for (const text of texts) {
    for (const raw of scan(text)) {
      const evidence = formatEvidence(raw.number);
      dot += evidence === 'dot-decimal' ? 1 : 0;
      comma += evidence === 'comma-decimal' ? 1 : 0;
    }
  }
  if (dot === comma) {
    return undefined;
  }
  return dot > comma ? 'dot-decimal' : 'comma-decimal';
}
