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
/** `No` as OCR also reads it: `N0`, `N°`, `Nº`, and `º` misread as `*`, `?` or `e` (`N*`, `n.e`). */
const NO = 'n(?:[o0°º*?]|\\.?\\s?e)(?!\\p{L})\\.?';
/** `commande` as OCR also reads its `mm`: `conmande`, `comnande`, `cornmande`. */
const COMMANDE = 'co(?:[mn]{2}|rnm|mrn|rnrn)ande';
/** Words after "tax"/"VAT"/"GST" that make it an identifier label rather than an amount. */
const ID_WORDS = `(?!\\s*(?:id|no|number|nr|reg(?:istration)?|#)(?!\\p{L}))`;

/**
 * Label patterns per field, case-insensitive, with their rank. Overlaps between fields are
 * settled by `findLabels` (the longer, earlier label wins: `Due Date` over `Date`, `Total Due`
 * over `Due`, `Sub-total` over `total`), so patterns need not exclude each other exhaustively.
 */
type LabelPattern = readonly [pattern: string, rank: number, casing?: 'exact-case'];

/** "number" in the six languages, with OCR's readings: `No`, `N°`, `n.º`, `Nr.`, `#`, `Nummer`. */
const NUMBER_WORD = `(?:${NO}|n\\.?\\s?[°º]|n\\.(?!\\p{L})|n(?=\\s+\\p{N}|\\s*$)|nr(?!\\p{L})\\.?|num(?:ber|mer|[ée]ro|ero)?(?!\\p{L})\\.?|#|id(?!\\p{L}))`;

/**
 * Label patterns per field and language (English, German, French, Dutch, Spanish, Italian),
 * case-insensitive, with their rank. Overlaps between fields are settled by `findLabels` (the
 * longer, earlier label wins: `Due Date` over `Date`, `Total HT` over `Total`, `BTW-nummer` over
 * `BTW`), so patterns need not exclude each other exhaustively.
 */
const LABELS: Readonly<Record<LabelField, readonly LabelPattern[]>> = {
  invoiceNumber: [
    [`${I}nv(?:oice|\\.)?\\s*${NUMBER_WORD}`, 0],
    // A speck read as a letter or mark between the label and its `#`: `Invoice i # 043/2024`.
    [`${I}nvoice\\s+[\\p{L}|.,'’:;]\\s*#`, 0],
    [`(?:credit\\s*(?:note|memo)|receipt|document|transaction)\\s*${NUMBER_WORD}`, 0],
    [`rechnungs?[\\s-]*${NUMBER_WORD}`, 0],
    [
      'rechnungsnummer|re\\.?-?\\s?nr\\.?|beleg[\\s-]*(?:nummer|nr\\.?)|gutschrift(?:s)?[\\s-]*(?:nummer|nr\\.?)|bon[\\s-]*nr\\.?',
      0,
    ],
    [`(?:facture|avoir|ticket|re[çc]u)\\s*${NUMBER_WORD}`, 0],
    [`(?:${NO}|num[ée]ro)\\s*(?:de\\s*)?(?:facture|d['’]\\s?avoir)`, 0],
    [
      'factuur\\s*(?:nummer|nr\\.?)|factuurnummer|factuurnr\\.?|creditnota\\s*(?:nummer|nr\\.?)|creditnotanummer|bon\\s*(?:nummer|nr\\.?)|bonnummer',
      0,
    ],
    [`(?:factura|rectificativa|ticket|recibo|nota\\s*de\\s*cr[ée]dito)\\s*${NUMBER_WORD}`, 0],
    [`(?:${NO}|n[úu]mero)\\s*(?:de\\s*)?factura`, 0],
    [`(?:fattura|ricevuta|scontrino|nota\\s*di\\s*credito)\\s*${NUMBER_WORD}`, 0],
    ['numero\\s*(?:fattura|documento)|n\\.\\s*(?:documento|nota\\s*di\\s*credito)', 0],
    [`${I}nvoice(?=\\s*:)`, 1],
    ['(?:nummer|number|num[ée]ro|n[úu]mero)(?=\\s*:)', 2],
  ],
  invoiceDate: [
    [`${I}nvoice\\s*date`, 0],
    ['date\\s*of\\s*(?:issue|invoice)', 0],
    ['issue\\s*date|tax\\s*point(?:\\s*date)?', 0],
    ['(?:rechnungs|beleg|ausstellungs)datum', 0],
    ["date\\s*(?:de\\s*(?:la\\s*)?facture|d[’']\\s?[ée]mission)|[ée]mise?\\s*le", 0],
    ['factuurdatum|datum\\s*factuur', 0],
    ['fecha\\s*(?:de\\s*(?:la\\s*)?)?(?:factura|emisi[óo]n)', 0],
    ['data\\s*(?:(?:della\\s*)?fattura|emissione|documento)', 0],
    ['issued(?:\\s*on)?', 1],
    ['datum|fecha|data', 2],
    // Italian "del 07/02/2025"; also "del" ending its cell, with the date in the next one.
    ['del(?=\\s*\\d|\\s*$)', 2],
    // Bare "Date", unless another kind of date ("Order Date", "Delivery Date").
    ['(?<!(?:order|delivery|ship(?:ping)?|service|supply|payment|expiry|start|end)\\s*)date', 2],
  ],
  dueDate: [
    ['due\\s*date', 0],
    ['date\\s*due', 0],
    ['payment\\s*due(?:\\s*date)?', 0],
    ['please\\s*pay\\s*by', 0],
    ['f[äa]llig(?:keitsdatum|\\s*am)?', 0],
    ['zahlbar\\s*bis', 0],
    [
      "date\\s*d[’']?\\s?[ée]ch[ée]ance|[ée]ch[ée]ance|[àa]\\s*(?:r[ée]gler|payer)\\s*avant\\s*le|payable\\s*le",
      0,
    ],
    ['vervaldatum|te\\s*betalen\\s*v[óo]{1,2}r|uiterste\\s*betaaldatum', 0],
    ['(?:fecha\\s*de\\s*)?vencimiento|fecha\\s*de\\s*pago', 0],
    ['(?:data\\s*(?:di\\s*)?)?scadenza|pagamento\\s*entro', 0],
    ['pay(?:able)?\\s*by|zahlungsziel', 1],
    ['due(?:\\s*(?:on|by))?', 2],
  ],
  purchaseOrder: [
    [`purchase\\s*order(?:\\s*(?:${NO}|number|#))?`, 0],
    // "PO", "P.O.", but not "PO Box", "Pos", or the "PO" inside a value like "PO-12345".
    [`p\\.?\\s?o(?![\\p{L}-])(?!\\.?\\s*box)\\.?(?:\\s*(?:${NO}|number|#))?`, 0],
    ['your\\s*order|order\\s*(?:ref(?:erence)?\\.?|no\\.?|number|#)', 0],
    ['bestell(?:nummer|[\\s-]*nr\\.?)|ihre\\s*bestellung|auftrags(?:nummer|[\\s-]*nr\\.?)', 0],
    [
      `bon\\s*de\\s*${COMMANDE}|n[°º]\\s*(?:de\\s*)?${COMMANDE}|r[ée]f\\.?\\s*${COMMANDE}|votre\\s*${COMMANDE}`,
      0,
    ],
    ['(?:inkoop)?ordernummer|uw\\s*referentie|bestelnummer', 0],
    ['(?:n[°º]\\s*(?:de\\s*)?|ref\\.?\\s*|su\\s*)pedido|pedido', 0],
    ['(?:n\\.\\s*|rif\\.\\s*|vs\\.\\s*)?ordine', 0],
  ],
  vendorTaxId: [
    [`vat\\s*(?:reg(?:istration)?\\.?\\s*)?(?:${NO}|number|id|#)`, 0],
    [`tax\\s*(?:id|${NO}|number|reg(?:istration)?(?:\\s*${NO})?)`, 0],
    [`gst\\s*(?:${NO}|number|reg(?:istration)?(?:\\s*${NO})?|#)|gstin`, 0],
    // Upper case only: "ein" is also a German word, "nip" a Dutch one.
    ['TIN|EIN|ABN|NIP', 0, 'exact-case'],
    [
      'uid(?:-?nr\\.?)?|ust[\\s-]*id(?:[\\s-]*nr\\.?)?(?:\\.)?|steuer-?nr\\.?|steuernummer|mwst[\\s-]*nr\\.?',
      0,
    ],
    ['(?:n[°º]\\s*(?:de\\s*)?)?tva\\s*intracom(?:munautaire|\\.)?|n[°º]\\s*(?:de\\s*)?tva', 0],
    ['btw[\\s-]*(?:nummer|nr\\.?|id)', 0],
    // OCR doubles the dots of an abbreviation now and then: `N..I.F.`.
    ['n\\.{0,2}\\s?i\\.{0,2}\\s?f\\.?(?:[\\s-]*iva)?|c\\.{0,2}\\s?i\\.{0,2}\\s?f\\.?', 0],
    ['p\\.?\\s?iva|partita\\s*iva|c\\.\\s?f\\.', 0],
    // Bare "VAT" only with a country-prefixed value; see the tax-id reader.
    ['vat', 1],
  ],
  customerName: [
    ['bill(?:ed)?\\s*to', 0],
    ['invoice\\s*to', 0],
    ['sold\\s*to', 0],
    ['rechnungsempf[äa]nger|rechnung\\s*an|rechnungsadresse|kunde', 0],
    ['factur[ée]\\s*[àa]|adresse\\s*de\\s*facturation|destinataire|client', 0],
    ['factuuradres|klant|debiteur|aan(?=\\s*:)', 0],
    ['facturar\\s*a|datos\\s*del\\s*cliente|cliente', 0],
    ['spett(?:\\.le|abile)|destinatario|intestatario', 0],
    [`(?:customer|client)(?:\\s*name)?(?!\\s*(?:${NO}|number|id|#|ref|vat)(?!\\p{L}))`, 1],
  ],
  vendorName: [
    [
      'from|vendor|supplier|seller|bill\\s*from|lieferant|verk[äa]ufer|absender|fournisseur|[ée]metteur|vendeur|leverancier|afzender|emisor|proveedor|fornitore|cedente|mittente',
      0,
    ],
  ],
  subtotal: [
    ['(?:sub|sous)[\\s-]?total(?:e)?(?:\\s*h\\.?t\\.?)?', 0],
    ['net\\s*(?:amount|total)', 0],
    ['total\\s*(?:excl(?:\\.|uding)?|ex\\.?|before|net\\s*of)\\s*(?:vat|tax|gst)', 0],
    ['total\\s*net|taxable\\s*(?:value|amount)', 0],
    ['amount\\s*before\\s*tax', 0],
    ['zwischensumme|netto(?:betrag|summe)?|summe\\s*netto|gesamt\\s*netto', 0],
    ['total\\s*h\\.?t\\.?|montant\\s*h\\.?t\\.?|total\\s*hors\\s*taxes?', 0],
    ['subtotaal|totaal\\s*excl(?:\\.|usief)?\\s*btw|netto\\s*bedrag', 0],
    ['base\\s*imponible|importe\\s*neto|total\\s*sin\\s*iva', 0],
    ['(?:totale\\s*)?imponibile|totale\\s*netto', 0],
  ],
  taxAmount: [
    [`(?:sales\\s*)?tax${ID_WORDS}(?:\\s*amount)?`, 0],
    [`total\\s*(?:vat|tax|gst)`, 0],
    [`(?:vat|gst)${ID_WORDS}(?:\\s*amount)?`, 0],
    ['mwst\\.?|ust\\.?|umsatzsteuer|mehrwertsteuer', 0],
    ['(?:montant\\s*)?tva', 0],
    ['btw(?:[\\s-]*bedrag)?', 0],
    ['(?:cuota\\s*)?iva|imposta', 0],
    ['[csi]gst', 2],
  ],
  totalAmount: [
    ['grand\\s*total', 0],
    ['total\\s*incl(?:\\.|uding)?\\s*(?:vat|tax|gst)', 0],
    [
      'invoice\\s*total|total\\s*amount|gesamtbetrag|rechnungsbetrag|bruttobetrag|gesamtsumme|endbetrag|summe\\s*brutto|gesamt\\s*brutto',
      0,
    ],
    ['zu\\s*zahlen(?:der\\s*betrag)?', 0],
    [
      'total\\s*t\\.?t\\.?c\\.?|montant\\s*t\\.?t\\.?c\\.?|net\\s*[àa]\\s*payer|total\\s*[àa]\\s*payer|montant\\s*total',
      0,
    ],
    // `Te. betalen`: a speck after `Te` is read as a full stop.
    ['totaal\\s*incl(?:\\.|usief)?\\s*btw|totaalbedrag|te\\.?\\s*betalen(?!\\s*v[óo]{1,2}r)', 0],
    ['total\\s*(?:factura|a\\s*pagar)|importe\\s*total', 0],
    ['totale\\s*(?:fattura|documento|da\\s*pagare)|netto\\s*a\\s*pagare', 0],
    [
      '(?<!sub[\\s-]?)total(?:\\s*(?:due|payable))?(?!\\s*(?:hours|hrs|qty|quantity|items|units|weight)(?!\\p{L}))',
      1,
    ],
    ['totaal|totale', 1],
    ['(?:amount|balance)\\s*(?:due|payable)', 2],
  ],
};

/** Labels naming a party introduce a block; mid-line they are ordinary words ("Customer Services Ltd"). */
const LINE_START_ONLY: ReadonlySet<LabelField> = new Set(['customerName', 'vendorName']);

/**
 * A label ends at a word end, but may touch what follows when it ends in `#` or `.`. A word
 * joined to a number by a hyphen is the start of an identifier (`GST-2023-99681`), not a label.
 */
const START = '(?<![\\p{L}\\p{N}])';
const END = '(?:(?<=\\p{L})(?!\\p{L}|-\\p{N})|(?<!\\p{L}))';

const COMPILED: readonly { field: LabelField; rank: number; regex: RegExp }[] = Object.entries(
  LABELS,
).flatMap(([field, patterns]) =>
  patterns.map(([pattern, rank, casing]) => ({
    field: field as LabelField,
    rank,
    regex: new RegExp(`${START}(?:${pattern})${END}`, casing === 'exact-case' ? 'gu' : 'giu'),
  })),
);

/**
 * Every raw label match, possibly overlapping. The compiled expressions are run as they are
 * (`exec`), not through `matchAll`, which builds a new RegExp per call: that one is compiled
 * afresh whenever a garbage collection has emptied V8's RegExp cache, and these Unicode,
 * case-insensitive expressions take a few hundred milliseconds to compile.
 */
function allMatches(text: string): LabelMatch[] {
  const matches: LabelMatch[] = [];
  for (const { field, rank, regex } of COMPILED) {
    regex.lastIndex = 0;
    for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
      matches.push({ field, rank, start: match.index, end: match.index + match[0].length });
      if (match[0].length === 0) {
        regex.lastIndex++;
      }
    }
  }
  return matches;
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
    const duplicate = kept.some(
      (other) =>
        other.field === match.field && other.start === match.start && other.end === match.end,
    );
    if (duplicate) {
      continue;
    }
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
