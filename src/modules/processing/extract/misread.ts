/**
 * How OCR misreads the digits of an amount, and how such a misread is undone. Shared by the
 * summary's money repair and the item rows' repair.
 */

/** Digits OCR takes for one another: their shapes differ by a stroke or a gap. */
const CONFUSABLE_DIGITS = new Set([
  '06',
  '60',
  '08',
  '80',
  '38',
  '83',
  '56',
  '65',
  '68',
  '86',
  '89',
  '98',
  '17',
  '71',
]);

/** The digits OCR may have read `digit` for (`8` → `0369`), from CONFUSABLE_DIGITS. */
export function lookAlikeDigits(digit: string): string {
  return [...CONFUSABLE_DIGITS]
    .filter((pair) => pair[0] === digit)
    .map((pair) => pair[1])
    .join('');
}

/**
 * Whether `printed` is `expected` with one digit read as a look-alike (`4354` for `4854`), one
 * digit too many (`4321106` for `432110`) or one lost. Any other single change is as likely a
 * different amount as a misread one.
 */
export function oneMisreadApart(printed: string, expected: string): boolean {
  if (printed.length === expected.length) {
    const differing = [...printed].flatMap((digit, i) =>
      digit === expected[i] ? [] : [`${digit}${expected[i]}`],
    );
    return differing.length === 1 && CONFUSABLE_DIGITS.has(differing[0]);
  }
  const [longer, shorter] =
    printed.length > expected.length ? [printed, expected] : [expected, printed];
  if (longer.length !== shorter.length + 1) {
    return false;
  }
  return [...longer].some((_, i) => longer.slice(0, i) + longer.slice(i + 1) === shorter);
}

/**
 * `text` (an amount as read: `7.619,56`, `725,090`) with its digits made `expected`, keeping its
 * separators and signs: a look-alike digit replaced, or a digit read too many dropped. Undefined
 * when `expected` is not one such misread away (see `oneMisreadApart`), or a digit was lost
 * (where it went, and its separator, cannot be told).
 */
export function withDigits(text: string, expected: string): string | undefined {
  const printed = text.replace(/\D/g, '');
  if (!oneMisreadApart(printed, expected) || printed.length < expected.length) {
    return undefined;
  }
  const positions = [...text].flatMap((char, index) => (/\d/.test(char) ? [index] : []));
  if (printed.length === expected.length) {
    const chars = [...text];
    positions.forEach((position, i) => {
      chars[position] = expected[i];
    });
    return chars.join('');
  }
  const extra = [...printed].findIndex(
    (_, i) => printed.slice(0, i) + printed.slice(i + 1) === expected,
  );
  const position = positions[extra];
  return `${text.slice(0, position)}${text.slice(position + 1)}`;
}
