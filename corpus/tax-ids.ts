/**
 * Tax identifiers that pass their country's real check digits, made from random digits the
 * generator has already drawn: the check characters replace the last drawn ones, so a document
 * takes the same random draws as before and only its id's check characters change. When a body
 * has no valid check digit (the scheme's remainder 10), the last body digit is stepped until it
 * has one, deterministically.
 *
 * These are the generator's own implementations of the published algorithms, written apart from
 * the extraction code (which uses a library); the corpus test checks one against the other.
 */

const toDigits = (text: string): number[] => [...text].map(Number);

/** The Luhn check digit of a digit string (ISO/IEC 7812). */
function luhnDigit(body: string): number {
  const sum = toDigits(body)
    .reverse()
    .reduce((total, digit, index) => {
      const value = index % 2 === 0 ? digit * 2 : digit;
      return total + (value > 9 ? value - 9 : value);
    }, 0);
  return (10 - (sum % 10)) % 10;
}

/** Weighted sum mod 11 check (`undefined` when the remainder makes no digit). */
function weightedMod11(body: string, weights: readonly number[], subtractFrom11: boolean) {
  const sum = toDigits(body).reduce((total, digit, index) => total + digit * weights[index], 0);
  const check = subtractFrom11 ? (11 - (sum % 11)) % 11 : sum % 11;
  return check === 10 ? undefined : check;
}

/** Steps the last digit of `body` until `check` gives a digit for it. */
function withCheck(body: string, check: (body: string) => number | undefined): string {
  let candidate = body;
  for (let step = 0; step < 10; step += 1) {
    const digit = check(candidate);
    if (digit !== undefined) {
      return `${candidate}${digit}`;
    }
    const last = (Number(candidate.at(-1)) + 1) % 10;
    candidate = `${candidate.slice(0, -1)}${last}`;
  }
  throw new Error('no check digit for this body');
}

/** Germany, USt-IdNr.: 8 digits (not starting with 0) and an ISO 7064 MOD 11,10 digit. */
export function germanVat(drawn: string): string {
  const body = `${drawn[0] === '0' ? '1' : drawn[0]}${drawn.slice(1, 8)}`;
  let product = 10;
  for (const digit of toDigits(body)) {
    const sum = (digit + product) % 10 || 10;
    product = (2 * sum) % 11;
  }
  return `${body}${(11 - product) % 10}`;
}

/** Austria, UID: `U`, 7 digits and a Luhn-like digit offset by 4. */
export function austrianUid(drawn: string): string {
  const body = drawn.slice(0, 7);
  const sum = toDigits(body).reduce((total, digit, index) => {
    const value = index % 2 === 1 ? digit * 2 : digit;
    return total + Math.floor(value / 10) + (value % 10);
  }, 0);
  return `U${body}${(10 - ((sum + 4) % 10)) % 10}`;
}

/** Switzerland, UID: 8 digits and a weighted mod 11 digit (`CHE-123.456.789`). */
export function swissUid(drawn: string): string {
  const id = withCheck(drawn.slice(0, 8), (body) =>
    weightedMod11(body, [5, 4, 3, 2, 7, 6, 5, 4], true),
  );
  return `${id.slice(0, 3)}.${id.slice(3, 6)}.${id.slice(6)}`;
}

/** France, TVA: a two-digit key from the SIREN, and the SIREN's own Luhn digit. */
export function frenchTva(drawn: string): { key: string; siren: string } {
  const sirenBody = drawn.slice(2, 10);
  const siren = `${sirenBody}${luhnDigit(sirenBody)}`;
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return { key: String(key).padStart(2, '0'), siren };
}

/** The Netherlands, BTW: 8 digits and a weighted mod 11 digit, then `B` and two digits. */
export function dutchBtw(drawn: string): string {
  return withCheck(drawn.slice(0, 8), (body) =>
    weightedMod11(body, [9, 8, 7, 6, 5, 4, 3, 2], false),
  );
}

/** Belgium, enterprise number: `0`, 7 digits, and 97 minus their remainder mod 97. */
export function belgianVat(drawn: string): string {
  const body = `0${drawn.slice(0, 7)}`;
  const check = 97 - (Number(body) % 97);
  const id = `${body}${String(check).padStart(2, '0')}`;
  return `${id.slice(0, 4)}.${id.slice(4, 7)}.${id.slice(7)}`;
}

/** Spain, CIF of a company (`B…`): 7 digits and a control digit. */
export function spanishCif(drawn: string): string {
  const body = drawn.slice(0, 7);
  const sum = toDigits(body).reduce((total, digit, index) => {
    if (index % 2 === 1) {
      return total + digit;
    }
    const doubled = digit * 2;
    return total + Math.floor(doubled / 10) + (doubled % 10);
  }, 0);
  return `B${body}${(10 - (sum % 10)) % 10}`;
}

/** Italy, partita IVA: 7 digits, a tax office code (001–100) and a Luhn digit. */
export function italianIva(drawn: string): string {
  const office = String((Number(drawn.slice(7, 10)) % 100) + 1).padStart(3, '0');
  const body = `${drawn.slice(0, 7)}${office}`;
  return `${body}${luhnDigit(body)}`;
}

/** Poland, NIP: 9 digits and a weighted mod 11 digit. */
export function polishNip(drawn: string): string {
  return withCheck(drawn.slice(0, 9), (body) =>
    weightedMod11(body, [6, 5, 7, 2, 3, 4, 5, 6, 7], false),
  );
}

/** Sweden, VAT: a 10-digit organisation number with its Luhn digit, then `01`. */
export function swedishVat(drawn: string): string {
  const body = drawn.slice(0, 9);
  return `${body}${luhnDigit(body)}01`;
}

/** The United Kingdom, VAT: 7 digits and two check digits (weights 8…2, mod 97). */
export function ukVat(drawn: string): string {
  const body = drawn.slice(0, 7);
  const sum = toDigits(body).reduce((total, digit, index) => total + digit * (8 - index), 0);
  return `${body}${String((97 - (sum % 97)) % 97).padStart(2, '0')}`;
}

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** The fourth letter of a PAN says who holds it (company, person, firm, trust…). */
const PAN_HOLDER_TYPES = 'CPHFATBLJG';

/**
 * India, GSTIN: a state code (01–37), the holder's PAN (5 letters, 4 digits, a letter), an entity
 * digit, `Z` and a mod 36 check character.
 */
export function indianGstin(drawn: {
  state: string;
  letters: string;
  digits: string;
  last: string;
  check: string;
}): string {
  const state = String((Number(drawn.state) % 37) + 1).padStart(2, '0');
  const letters = `${drawn.letters.slice(0, 3)}${PAN_HOLDER_TYPES[drawn.letters.charCodeAt(3) % 10]}${drawn.letters[4]}`;
  const body = `${state}${letters}${drawn.digits}${drawn.last}1Z`;
  const sum = [...body].reduce((total, char, index) => {
    const product = GSTIN_ALPHABET.indexOf(char) * (index % 2 === 0 ? 1 : 2);
    return total + Math.floor(product / 36) + (product % 36);
  }, 0);
  return `${body}${GSTIN_ALPHABET[(36 - (sum % 36)) % 36]}`;
}
