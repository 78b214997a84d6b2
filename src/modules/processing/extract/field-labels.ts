import type { InvoiceFieldName } from '../processing.types.js';

/** Fields found through a printed label (the currency is found by its symbols instead). */
export type LabelField = Exclude<InvoiceFieldName, 'currency'>;

/** A label in a text: which field it introduces and its character span [start, end). */
export interface LabelMatch {
  field: LabelField;
  /** 0 for the most specific labels; higher ranks are used only when those give no value. */
  rank: number;
  start: number;
  end: number;
}

/** `I` as OCR also reads it: `lnvoice`, `1nvoice`, `|nvoice`. */
const I = '[il1|]';
/** `No` as OCR also reads it: `N0`, `N°`, `Nº`. */
const NO = 'n[o0°º](?!\\p{L})\\.?';
/** Words after "tax"/"VAT"/"GST" that make it an identifier label rather than an amount. */
const ID_WORDS = `(?!\\s*(?:id|no|number|nr|reg(?:istration)?|#)(?!\\p{L}))`;

/**
 * Label patterns per field, case-insensitive, with their rank. Overlaps between fields are
 * settled by `findLabels` (the longer, earlier label wins: `Due Date` over `Date`, `Total Due`
 * over `Due`, `Sub-total` over `total`), so patterns need not exclude each other exhaustively.
 */
type LabelPattern = readonly [pattern: string, rank: number, casing?: 'exact-case'];

const LABELS: Readonly<Record<LabelField, readonly LabelPattern[]>> = {
  invoiceNumber: [
    [
      `${I}nv(?:oice|\\.)?\\s*(?:${NO}|num(?:ber)?(?!\\p{L})\\.?|nr(?!\\p{L})\\.?|#|id(?!\\p{L}))`,
      0,
    ],
    [`rechnungs?[\\s-]*(?:nummer|nr\\.?|${NO})`, 0],
    [`${I}nvoice(?=\\s*:)`, 1],
  ],
  invoiceDate: [
    [`${I}nvoice\\s*date`, 0],
    ['date\\s*of\\s*(?:issue|invoice)', 0],
    ['issue\\s*date', 0],
    ['(?:rechnungs)?datum', 0],
    ['issued(?:\\s*on)?', 1],
    // Bare "Date", unless another kind of date ("Order Date", "Delivery Date").
    ['(?<!(?:order|delivery|ship(?:ping)?|service|supply|payment|expiry|start|end)\\s*)date', 2],
  ],
  dueDate: [
    ['due\\s*date', 0],
    ['date\\s*due', 0],
    ['payment\\s*due(?:\\s*date)?', 0],
    ['f[äa]llig(?:keitsdatum|\\s*am)?', 0],
    ['zahlbar\\s*bis', 0],
    ['pay(?:able)?\\s*by', 1],
    ['due(?:\\s*(?:on|by))?', 2],
  ],
  purchaseOrder: [
    [`purchase\\s*order(?:\\s*(?:${NO}|number|#))?`, 0],
    // "PO", "P.O.", but not "PO Box", "Pos", or the "PO" inside a value like "PO-12345".
    [`p\\.?\\s?o(?![\\p{L}-])(?!\\.?\\s*box)\\.?(?:\\s*(?:${NO}|number|#))?`, 0],
  ],
  vendorTaxId: [
    [`vat\\s*(?:reg(?:istration)?\\.?\\s*)?(?:${NO}|number|id|#)`, 0],
    [`tax\\s*(?:id|${NO}|number|reg(?:istration)?(?:\\s*${NO})?)`, 0],
    [`gst\\s*(?:${NO}|number|reg(?:istration)?(?:\\s*${NO})?|#)`, 0],
    // Upper case only: "ein" is also a German word.
    ['TIN|EIN|ABN', 0, 'exact-case'],
    ['uid(?:-?nr\\.?)?|ust-?id(?:-?nr\\.?)?|steuer-?nr\\.?|steuernummer', 0],
    // Bare "VAT" only with a country-prefixed value; see the tax-id reader.
    ['vat', 1],
  ],
  customerName: [
    ['bill(?:ed)?\\s*to', 0],
    ['invoice\\s*to', 0],
    ['sold\\s*to', 0],
    ['rechnungsempf[äa]nger', 0],
    [`(?:customer|client)(?:\\s*name)?(?!\\s*(?:${NO}|number|id|#|ref|vat)(?!\\p{L}))`, 1],
  ],
  vendorName: [['from|vendor|supplier|seller|bill\\s*from', 0]],
  subtotal: [
    ['sub[\\s-]?total', 0],
    ['net\\s*(?:amount|total)', 0],
    ['total\\s*(?:excl(?:\\.|uding)?|ex\\.?|before|net\\s*of)\\s*(?:vat|tax|gst)', 0],
    ['total\\s*net', 0],
    ['amount\\s*before\\s*tax', 0],
    ['zwischensumme|netto(?:betrag|summe)?', 0],
  ],
  taxAmount: [
    [`(?:sales\\s*)?tax${ID_WORDS}(?:\\s*amount)?`, 0],
    [`total\\s*(?:vat|tax|gst)`, 0],
    [`(?:vat|gst)${ID_WORDS}(?:\\s*amount)?`, 0],
    ['mwst\\.?|ust\\.?|tva|iva|umsatzsteuer|mehrwertsteuer', 0],
  ],
  totalAmount: [
    ['grand\\s*total', 0],
    ['total\\s*incl(?:\\.|uding)?\\s*(?:vat|tax|gst)', 0],
    ['invoice\\s*total|total\\s*amount|gesamtbetrag|rechnungsbetrag|bruttobetrag|gesamtsumme', 0],
    [
      '(?<!sub[\\s-]?)total(?:\\s*(?:due|payable))?(?!\\s*(?:hours|hrs|qty|quantity|items|units|weight)(?!\\p{L}))',
      1,
    ],
    ['(?:amount|balance)\\s*(?:due|payable)', 2],
  ],
};

/** Labels naming a party introduce a block; mid-line they are ordinary words ("Customer Services Ltd"). */
const LINE_START_ONLY: ReadonlySet<LabelField> = new Set(['customerName', 'vendorName']);

/** A label ends at a word end, but may touch what follows when it ends in `#` or `.`. */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?:(?<=\\p{L})(?!\\p{L})|(?<!\\p{L}))';

const COMPILED: readonly { field: LabelField; rank: number; regex: RegExp }[] = Object.entries(
  LABELS,
).flatMap(([field, patterns]) =>
  patterns.map(([pattern, rank, casing]) => ({
    field: field as LabelField,
    rank,
    regex: new RegExp(`${START}(?:${pattern})${END}`, casing === 'exact-case' ? 'gu' : 'giu'),
  })),
);

/** Every raw label match, possibly overlapping. */
function allMatches(text: string): LabelMatch[] {
  return COMPILED.flatMap(({ field, rank, regex }) =>
    [...text.matchAll(regex)].map((match) => ({
      field,
      rank,
      start: match.index,
      end: match.index + match[0].length,
    })),
  );
}

/**
 * Keeps non-overlapping spans, earliest first and longest at equal starts. Several fields may
 * share one span (bare `VAT` is both a tax-amount and a tax-id label); they are all kept.
 */
function resolveOverlaps(matches: LabelMatch[]): LabelMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  const kept: LabelMatch[] = [];
  for (const match of sorted) {
    const previous = kept.at(-1);
    const sameSpan = previous?.start === match.start && previous.end === match.end;
    if (previous === undefined || match.start >= previous.end || sameSpan) {
      kept.push(match);
    }
  }
  return kept;
}

/** The labels in `text` (one line segment), left to right. */
export function findLabels(text: string): LabelMatch[] {
  const lineStart = text.length - text.trimStart().length;
  const candidates = allMatches(text).filter(
    (match) => !LINE_START_ONLY.has(match.field) || match.start === lineStart,
  );
  return resolveOverlaps(candidates);
}
