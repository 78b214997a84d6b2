/** The ISO 4217 codes recognised on invoices. */
export const CURRENCY_CODES = [
  'USD',
  'EUR',
  'GBP',
  'CHF',
  'JPY',
  'CAD',
  'AUD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'INR',
  'CNY',
] as const;

export type CurrencyCode = (typeof CURRENCY_CODES)[number];

/** One place where a page names a currency. */
export interface CurrencyMention {
  code: CurrencyCode;
  /** The text that named it, e.g. `€`, `EUR`, `US$`. */
  text: string;
  /** Character span [start, end) in the searched text. */
  start: number;
  end: number;
}

/**
 * Symbols that name exactly one currency. `kr` (SEK, NOK, DKK) is left out on purpose: guessing
 * among three currencies is worse than reporting none. `$` and `¥` are resolved separately.
 */
const UNAMBIGUOUS_SYMBOLS: Readonly<Record<string, CurrencyCode>> = {
  US$: 'USD',
  A$: 'AUD',
  AU$: 'AUD',
  C$: 'CAD',
  CA$: 'CAD',
  '€': 'EUR',
  '£': 'GBP',
  '₹': 'INR',
  zł: 'PLN',
  Kč: 'CZK',
};

const escape = (text: string): string => text.replace(/[$]/g, '\\$');

/**
 * Codes must stand alone (`EUR`, not `EUROPE`), but may touch digits (`EUR120`). Longer symbols
 * come first so `US$` wins over `$`. Codes are matched in upper case only: `eur` in running
 * text is more likely a word fragment than a currency.
 */
const MENTION_PATTERN = new RegExp(
  [
    `(?<![\\p{L}])(?<code>${CURRENCY_CODES.join('|')})(?![\\p{L}])`,
    `(?<![\\p{L}])(?<symbol>${Object.keys(UNAMBIGUOUS_SYMBOLS)
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join('|')})(?![\\p{L}])`,
    `(?<dollar>\\$)`,
    `(?<yen>¥)`,
  ].join('|'),
  'gu',
);

const DOLLAR_CODES: readonly CurrencyCode[] = ['USD', 'CAD', 'AUD'];
const YEN_CODES: readonly CurrencyCode[] = ['JPY', 'CNY'];

/** The code among `candidates` named most often by explicit codes, else `fallback`. */
function preferredCode(
  explicit: readonly CurrencyMention[],
  candidates: readonly CurrencyCode[],
  fallback: CurrencyCode,
): CurrencyCode {
  const counts = tally(explicit.filter((mention) => candidates.includes(mention.code)));
  return counts[0]?.code ?? fallback;
}

/**
 * Every currency mention in `text`. A bare `$` means USD unless the text also names CAD or AUD
 * by code (a Canadian invoice prints `$` and `CAD`); `¥` likewise means JPY unless CNY appears.
 */
export function findCurrencyMentions(text: string): CurrencyMention[] {
  const explicit: CurrencyMention[] = [];
  const ambiguous: { kind: 'dollar' | 'yen'; text: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const span = { text: match[0], start: match.index, end: match.index + match[0].length };
    const groups = match.groups ?? {};
    if (groups['code'] !== undefined) {
      explicit.push({ ...span, code: groups['code'] as CurrencyCode });
    } else if (groups['symbol'] !== undefined) {
      explicit.push({ ...span, code: UNAMBIGUOUS_SYMBOLS[groups['symbol']] });
    } else {
      ambiguous.push({ ...span, kind: groups['dollar'] !== undefined ? 'dollar' : 'yen' });
    }
  }
  const dollar = preferredCode(explicit, DOLLAR_CODES, 'USD');
  const yen = preferredCode(explicit, YEN_CODES, 'JPY');
  const resolved = ambiguous.map(({ kind, ...span }) => ({
    ...span,
    code: kind === 'dollar' ? dollar : yen,
  }));
  return [...explicit, ...resolved].sort((a, b) => a.start - b.start);
}

/** Mentions grouped by code: most frequent first, ties broken by the earliest mention. */
function tally(
  mentions: readonly CurrencyMention[],
): { code: CurrencyCode; count: number; first: CurrencyMention }[] {
  const byCode = new Map<
    CurrencyCode,
    { code: CurrencyCode; count: number; first: CurrencyMention }
  >();
  for (const mention of [...mentions].sort((a, b) => a.start - b.start)) {
    const entry = byCode.get(mention.code);
    if (entry === undefined) {
      byCode.set(mention.code, { code: mention.code, count: 1, first: mention });
    } else {
      entry.count += 1;
    }
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.first.start - b.first.start);
}

/**
 * The currency a text (typically a whole page) is in: the most frequently mentioned one, with
 * `evidence` being the text of its first mention. Undefined when no currency is named.
 */
export function detectCurrency(text: string): { code: string; evidence: string } | undefined {
  const winner = tally(findCurrencyMentions(text))[0];
  return winner === undefined ? undefined : { code: winner.code, evidence: winner.first.text };
}
