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
  'HUF',
  'RON',
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
  'Rs.': 'INR',
  Rs: 'INR',
  '₨': 'INR',
  'Fr.': 'CHF',
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
    `(?<![\\p{L}])(?<krona>kr)(?![\\p{L}])`,
  ].join('|'),
  'gu',
);

const DOLLAR_CODES: readonly CurrencyCode[] = ['USD', 'CAD', 'AUD'];
const KRONA_CODES: readonly CurrencyCode[] = ['SEK', 'NOK', 'DKK'];
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
export function findCurrencyMentions(text: string, country?: string): CurrencyMention[] {
  const explicit: CurrencyMention[] = [];
  const ambiguous: {
    kind: 'dollar' | 'yen' | 'krona';
    text: string;
    start: number;
    end: number;
  }[] = [];
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const span = { text: match[0], start: match.index, end: match.index + match[0].length };
    const groups = match.groups ?? {};
    if (groups['code'] !== undefined) {
      explicit.push({ ...span, code: groups['code'] as CurrencyCode });
    } else if (groups['symbol'] !== undefined) {
      explicit.push({ ...span, code: UNAMBIGUOUS_SYMBOLS[groups['symbol']] });
    } else {
      const kind =
        groups['dollar'] !== undefined ? 'dollar' : groups['yen'] !== undefined ? 'yen' : 'krona';
      ambiguous.push({ ...span, kind });
    }
  }
  const dollar = preferredCode(explicit, DOLLAR_CODES, 'USD');
  const yen = preferredCode(explicit, YEN_CODES, 'JPY');
  // `kr` is SEK, NOK or DKK: a code on the page or the issuer's country decides, else nothing.
  const countryKrona = country === undefined ? undefined : COUNTRY_CURRENCY[country];
  const krona = KRONA_CODES.includes(countryKrona as CurrencyCode)
    ? (countryKrona as CurrencyCode)
    : explicit.find((mention) => KRONA_CODES.includes(mention.code))?.code;
  const resolved = ambiguous.flatMap(({ kind, ...span }) => {
    if (kind === 'krona') {
      return krona === undefined ? [] : [{ ...span, code: krona }];
    }
    return [{ ...span, code: kind === 'dollar' ? dollar : yen }];
  });
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
export function detectCurrency(
  text: string,
  country?: string,
): { code: string; evidence: string } | undefined {
  const winner = tally(findCurrencyMentions(text, country))[0];
  return winner === undefined ? undefined : { code: winner.code, evidence: winner.first.text };
}

/** The currency of an issuer's country (ISO 3166 alpha-2, as tax ids and IBANs begin). */
export const COUNTRY_CURRENCY: Readonly<Record<string, CurrencyCode>> = {
  AT: 'EUR',
  BE: 'EUR',
  CY: 'EUR',
  DE: 'EUR',
  EE: 'EUR',
  ES: 'EUR',
  FI: 'EUR',
  FR: 'EUR',
  GR: 'EUR',
  HR: 'EUR',
  IE: 'EUR',
  IT: 'EUR',
  LT: 'EUR',
  LU: 'EUR',
  LV: 'EUR',
  MT: 'EUR',
  NL: 'EUR',
  PT: 'EUR',
  SI: 'EUR',
  SK: 'EUR',
  GB: 'GBP',
  CH: 'CHF',
  LI: 'CHF',
  SE: 'SEK',
  NO: 'NOK',
  DK: 'DKK',
  PL: 'PLN',
  CZ: 'CZK',
  HU: 'HUF',
  RO: 'RON',
  IN: 'INR',
  US: 'USD',
};

/** Confidence of a currency inferred from the issuer's country rather than printed. */
export const COUNTRY_CONFIDENCE = 0.6;

/** An Indian GSTIN: state code, PAN, entity number, `Z`, check character. */
const GSTIN = /^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;
/** An IBAN as printed: two letters, two check digits, then groups. */
const IBAN = /\bIBAN[:\s]*([A-Z]{2})\d{2}[\s\dA-Z]{10,}/u;

/**
 * The issuer's country from its tax id (`DE…`, `CHE-…`, a GSTIN) or, failing that, from the
 * IBAN printed on the page. Undefined when neither says.
 */
export function issuerCountry(taxId: unknown, pageText: string): string | undefined {
  if (typeof taxId === 'string') {
    const compact = taxId.replace(/[\s.\-/]/g, '').toUpperCase();
    if (GSTIN.test(compact)) {
      return 'IN';
    }
    if (compact.startsWith('CHE')) {
      return 'CH';
    }
    if (compact.startsWith('ATU')) {
      return 'AT';
    }
    const prefix = /^([A-Z]{2})\d/.exec(compact)?.[1];
    if (prefix !== undefined && prefix !== 'EL' && COUNTRY_CURRENCY[prefix] !== undefined) {
      return prefix;
    }
  }
  const iban = IBAN.exec(pageText)?.[1];
  return iban !== undefined && COUNTRY_CURRENCY[iban] !== undefined ? iban : undefined;
}
