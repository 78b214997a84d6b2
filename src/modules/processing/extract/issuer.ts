/**
 * What tells an issuer's name apart on a page: document titles (never a name) and the legal-form
 * suffixes company names carry in the six languages the service reads and the markets they bill.
 */

/** Document titles in English, German, French, Dutch, Spanish and Italian. */
const TITLE_WORDS = [
  '(?:tax|vat|sales|commercial|pro-?forma|gst)\\s+invoice',
  'invoice',
  'bill',
  '(?:sales\\s+|payment\\s+)?receipt',
  'credit\\s+(?:note|memo)',
  'rechnung',
  'gutschrift',
  'quittung',
  'kassenbon',
  'beleg',
  "facture(?:\\s+d[’']avoir)?",
  'avoir',
  're[çc]u',
  'ticket(?:\\s+de\\s+caisse)?',
  'factuur',
  'creditnota',
  'creditfactuur',
  'kassabon',
  'kwitantie',
  'factura(?:\\s+(?:rectificativa|simplificada))?',
  'nota\\s+de\\s+cr[ée]dito',
  'recibo',
  'fattura',
  'nota\\s+di\\s+credito',
  'ricevuta',
  'scontrino',
].join('|');

const TITLE = new RegExp(`^(?:${TITLE_WORDS})$`, 'iu');
const LEADING_TITLE = new RegExp(`^(?:${TITLE_WORDS})(?:\\s+|$)`, 'iu');
const TRAILING_TITLE = new RegExp(`(?:^|\\s+)(?:${TITLE_WORDS})$`, 'iu');

/**
 * Whether `text` is a document title (`FACTUUR`, `Tax Invoice`, `PAYMENT RECEIPT`), also as OCR
 * reads a widely letter-spaced heading: `FAC TURA`.
 */
export function isDocumentTitle(text: string): boolean {
  const letters = text.replace(/[^\p{L}\s’'-]/gu, '').trim();
  return TITLE.test(letters) || TITLE.test(letters.replace(/\s+/gu, ''));
}

/** `text` without a document title glued to its start or end (`ACME LTD INVOICE` → `ACME LTD`). */
export function stripTitle(text: string): string {
  return text.trim().replace(LEADING_TITLE, '').replace(TRAILING_TITLE, '').trim();
}

/**
 * A company's legal form at the end of its name: GmbH, AG, KG, B.V., N.V., SAS, SARL, S.A.,
 * S.L., S.r.l., S.p.A., Ltd, LLC, LLP, Inc., Corp., plc, Pvt. Ltd., AB, Sp. z o.o., V.O.F. …
 */
export const LEGAL_FORM = new RegExp(
  '(?:^|\\s)(?:' +
    [
      'GmbH(?:\\s*&\\s*Co\\.?\\s*KG)?',
      'AG',
      'KG',
      'OHG',
      'UG',
      'e\\.\\s?K\\.',
      'B\\.\\s?V\\.?',
      'BV',
      'N\\.\\s?V\\.?',
      'NV',
      'V\\.O\\.F\\.?',
      'SAS',
      'SARL',
      'SA',
      'S\\.A\\.',
      'EURL',
      'S\\.L\\.(?:U\\.)?',
      'SL',
      'S\\.r\\.l\\.(?:s\\.)?',
      'Srl',
      'S\\.p\\.A\\.?',
      'SpA',
      'S\\.n\\.c\\.',
      'Ltd\\.?',
      'Limited',
      'LLC',
      'LLP',
      'Inc\\.?',
      'Corp\\.?',
      'plc',
      'PLC',
      'AB',
      'Sp\\.\\s?z\\s?o\\.\\s?o\\.',
      'Oy',
      'ApS',
      'A/S',
    ].join('|') +
    ')$',
  'u',
);

/**
 * OCR's usual misreadings inside legal forms (`0` for `o`, `]`, `1` or `i` for `l`, `$` for `S`),
 * each with the form as printed.
 */
const LEGAL_FORM_READINGS: readonly [RegExp, string][] = [
  [/\$(?=\.?\s?[A-Za-z]\.)/gu, 'S'],
  [/(?<=\s)S\.\s?r\.\s?[l1iI\]|]\.\s?[s$]\.$/u, 'S.r.l.s.'],
  [/(?<=\s)S\.\s?r\.\s?[l1iI\]|]\.$/u, 'S.r.l.'],
  [/(?<=\s)V\.\s?[O0]\.\s?F\.?$/u, 'V.O.F.'],
  [/(?<=\s)Sp\.\s?z\s?[o0]\.\s?[o0]\.$/u, 'Sp. z o.o.'],
];

/**
 * `name` with its legal form as printed: `Studio Bianchi S.r.].s.` → `Studio Bianchi S.r.l.s.`,
 * `Bakkerij De Molen V.0.F.` → `Bakkerij De Molen V.O.F.`, `García $.L.` → `García S.L.`.
 * Other text is left as read.
 */
export function canonicalLegalForm(name: string): string {
  return LEGAL_FORM_READINGS.reduce(
    (result, [reading, printed]) => result.replace(reading, printed),
    name,
  );
}

/** A run of punctuation standing alone between two words: specks OCR read as marks. */
const STRAY_MARKS = /\s+[,;:.·•|_*~^'"‘’“”]+(?=\s)/gu;

/**
 * A name as printed: without marks standing alone between its words (`Stadtwerke Nordheim ,
 * GmbH` → `Stadtwerke Nordheim GmbH`, `Boulangerie ; Petit ; Jean`), with its legal form as
 * printed (see `canonicalLegalForm`). Marks attached to a word (`Smith, Jones & Co`) stay.
 */
export function tidyName(name: string): string {
  return canonicalLegalForm(name.replace(STRAY_MARKS, ''));
}
