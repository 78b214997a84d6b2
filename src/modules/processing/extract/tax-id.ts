import { stdnum } from 'stdnum';
import { lookAlikeDigits } from './misread.js';

/**
 * Check digits of the issuer's tax id. Every scheme here carries a check (a weighted sum, Luhn,
 * ISO 7064), so an id that fails it was misread or misprinted; the checksums come from stdnum
 * (a port of python-stdnum). A US EIN has no check digit and is not checked.
 */

interface Scheme {
  country: string;
  validate: (id: string) => boolean;
  /**
   * Two check digits (mod 97): one digit misread for another passes by chance once in 97, so
   * such a repair is evidence. With one check digit a wrong digit passes once in 10 or 11, and
   * among the dozen look-alike substitutions of an id one usually does.
   */
  strong: boolean;
}

const scheme = (
  country: string,
  validator: { validate(value: string): { isValid: boolean } },
  strong = false,
): Scheme => ({ country, validate: (id) => validator.validate(compact(id)).isValid, strong });

/** By the id's printed country prefix (`DE…`, `ATU…`, `CHE-…`). */
const BY_PREFIX: readonly (readonly [RegExp, Scheme])[] = [
  [/^GB/, scheme('GB', stdnum.GB.vat, true)],
  [/^DE/, scheme('DE', stdnum.DE.vat)],
  [/^ATU/, scheme('AT', stdnum.AT.uid)],
  [/^CHE/, scheme('CH', stdnum.CH.uid)],
  [/^FR/, scheme('FR', stdnum.FR.tva, true)],
  [/^NL/, scheme('NL', stdnum.NL.btw)],
  [/^BE/, scheme('BE', stdnum.BE.vat, true)],
  [/^ES/, scheme('ES', stdnum.ES.nif)],
  [/^IT/, scheme('IT', stdnum.IT.iva)],
  [/^PL/, scheme('PL', stdnum.PL.nip)],
  [/^SE/, scheme('SE', stdnum.SE.vat)],
  // A GSTIN: state code, PAN (letters and digits, as OCR may swap them), entity, `Z`, check.
  [/^\d{2}[\dA-Z]{11}Z[\dA-Z]$/, scheme('IN', stdnum.IN.gstin)],
];

/** Ids printed without a country prefix, told by their shape and the page's language. */
const BY_LANGUAGE: Readonly<Record<string, readonly (readonly [RegExp, Scheme])[]>> = {
  // A partita IVA is 11 digits (some perhaps read as their look-alike letters).
  it: [[/^(?=.*\d)[\dOISB]{11}$/, scheme('IT', stdnum.IT.iva)]],
  // A NIF or CIF: a letter and 8 characters, or 8 digits and a letter.
  es: [[/^(?:[A-Z][\dOISB]{7}[\dA-Z]|[\dOISB]{8}[A-Z])$/, scheme('ES', stdnum.ES.nif)]],
};

/** The id without spaces, dots, dashes and a trailing `MWST`/`TVA`/`IVA`, in capitals. */
function compact(id: string): string {
  return id
    .toUpperCase()
    .replace(/\s*(?:MWST|TVA|IVA)$/, '')
    .replace(/[\s.\-/]/g, '');
}

function schemeOf(id: string, language: string | undefined): Scheme | undefined {
  const bare = compact(id);
  const rules = [...BY_PREFIX, ...(language === undefined ? [] : (BY_LANGUAGE[language] ?? []))];
  return rules.find(([pattern]) => pattern.test(bare))?.[1];
}

/**
 * Characters OCR takes for one another: a letter or mark for the digit it resembles and back,
 * and digits whose shapes differ by a stroke or a gap (the pairs the money repair trusts too).
 */
const LOOK_ALIKE_LETTERS: Readonly<Record<string, string>> = {
  O: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  '|': '1',
  Z: '2',
  S: '5',
  G: '6',
  B: '8',
  '0': 'O',
  '1': 'I',
  '2': 'Z',
  '5': 'S',
  '6': 'G',
  '8': 'B',
};

function lookAlikes(char: string): string {
  return (/\d/.test(char) ? lookAlikeDigits(char) : '') + (LOOK_ALIKE_LETTERS[char] ?? '');
}

export type TaxIdCheck =
  /** The id passes its country's check digits. */
  | { status: 'valid' }
  /** It fails them, and no single look-alike misread explains it. */
  | { status: 'invalid' }
  /** It fails them, and exactly one look-alike substitution makes it pass: `value`. */
  | { status: 'repaired'; value: string }
  /** No check applies (no known scheme, or a scheme without check digits). */
  | { status: 'unchecked' };

/**
 * Checks a tax id as printed against its country's check digits (the country from its prefix,
 * or for bare ids from the page's language). A failing id is repaired when exactly one single
 * look-alike substitution makes it pass. A letter or mark where the id has a digit (`O`, `I`,
 * `S`, `B`) is surely misread and tried first. One digit for a look-alike digit (`8`→`3`), or a
 * digit read twice, is tried only for ids with two check digits (see `Scheme.strong`). Several repairs that pass would
 * be a guess: none is taken.
 */
export function checkTaxId(id: string, language?: string): TaxIdCheck {
  const found = schemeOf(id, language);
  if (found === undefined) {
    const prefixed = withPrefixRepaired(id);
    return prefixed === undefined
      ? { status: 'unchecked' }
      : { status: 'repaired', value: prefixed };
  }
  if (found.validate(id)) {
    return { status: 'valid' };
  }
  const repairs = (digitsOnly: boolean): Set<string> => {
    const passing = new Set<string>();
    [...id].forEach((char, index) => {
      if (/\d/.test(char) !== digitsOnly) {
        return;
      }
      for (const replacement of lookAlikes(char)) {
        const candidate = `${id.slice(0, index)}${replacement}${id.slice(index + 1)}`;
        // The repaired id must still be the same country's: a prefix is never rewritten.
        if (schemeOf(candidate, language)?.country === found.country && found.validate(candidate)) {
          passing.add(candidate);
        }
      }
    });
    return passing;
  };
  // A digit OCR doubled (`1746267762` for `174626762`): one of the pair dropped.
  const undoubled = (): Set<string> => {
    const passing = new Set<string>();
    [...id].forEach((char, index) => {
      const candidate = `${id.slice(0, index)}${id.slice(index + 1)}`;
      if (/\d/.test(char) && id[index + 1] === char && found.validate(candidate)) {
        passing.add(candidate);
      }
    });
    return passing;
  };
  const letters = repairs(false);
  const passing =
    letters.size > 0 || !found.strong ? letters : new Set([...repairs(true), ...undoubled()]);
  return passing.size === 1
    ? { status: 'repaired', value: [...passing][0] }
    : { status: 'invalid' };
}

/**
 * An id whose country prefix OCR read with a look-alike digit (`1T43342000445`): the prefix
 * restored when exactly one such letter makes a known prefix and the id then passes that
 * country's check digits; otherwise undefined.
 */
function withPrefixRepaired(id: string): string | undefined {
  const passing = new Set<string>();
  for (const index of [0, 1]) {
    const letter = /\d/.test(id[index] ?? '') ? LOOK_ALIKE_LETTERS[id[index]] : undefined;
    if (letter !== undefined) {
      const candidate = `${id.slice(0, index)}${letter}${id.slice(index + 1)}`;
      if (schemeOf(candidate, undefined)?.validate(candidate) === true) {
        passing.add(candidate);
      }
    }
  }
  return passing.size === 1 ? [...passing][0] : undefined;
}

/** How many of `texts` hold `id` (spaces, dots and dashes aside). */
export function timesPrinted(id: string, texts: readonly string[]): number {
  const wanted = compact(id);
  return texts.filter((text) => compact(text).includes(wanted)).length;
}
