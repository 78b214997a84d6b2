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

/** Whether `text` is a document title (`FACTUUR`, `Tax Invoice`, `PAYMENT RECEIPT`). */
export function isDocumentTitle(text: string): boolean {
  return TITLE.test(text.replace(/[^\p{L}\s’'-]/gu, '').trim());
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
