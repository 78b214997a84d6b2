/**
 * Multilingual invoice documents for the corpus: a seeded document (issuer, customer, items,
 * money) from one of several regions, and the print style it is written in (labels picked from
 * the language's vocabulary, the region's number, date and currency conventions).
 *
 * The ground truth (`InvoiceTruth`) is decided here, before anything is printed: it is never
 * read back from the pipeline.
 */
import {
  createPrng,
  isoDate,
  type InvoiceLineItem,
  type InvoiceTruth,
  type Prng,
} from './invoice-model.js';
import {
  austrianUid,
  belgianVat,
  dutchBtw,
  frenchTva,
  germanVat,
  indianGstin,
  italianIva,
  polishNip,
  spanishCif,
  swedishVat,
  swissUid,
  ukVat,
} from './tax-ids.js';
import { VOCABULARY, type Language, type Vocabulary } from './vocabulary.js';

export type DocumentKind = 'invoice' | 'receipt' | 'credit-note' | 'tax-invoice';

type Grouping = 'comma' | 'dot' | 'apostrophe' | 'narrow-space' | 'space' | 'indian';
type Placement = 'symbol-before' | 'symbol-after' | 'code-before' | 'code-after';
type DateStyle = 'dd/mm/yyyy' | 'mm/dd/yyyy' | 'dd.mm.yyyy' | 'dd-mm-yyyy' | 'long';

interface Region {
  language: Language;
  currency: string;
  symbol: string;
  placements: readonly Placement[];
  grouping: Grouping;
  taxRates: readonly number[];
  dates: readonly DateStyle[];
  taxId: (rng: Prng) => string;
  iban: (rng: Prng) => string | undefined;
  vendors: readonly (readonly [name: string, domain: string])[];
  customers: readonly string[];
  streets: readonly string[];
  cities: readonly string[];
  country: string;
  /** House number first (`12 High Street`) or last (`Hauptstraße 12`). */
  numberFirst: boolean;
}

const digits = (rng: Prng, count: number): string =>
  Array.from({ length: count }, () => String(rng.int(0, 9))).join('');
const letters = (rng: Prng, count: number): string =>
  Array.from({ length: count }, () => String.fromCharCode(65 + rng.int(0, 25))).join('');
const iban = (country: string, length: number) => (rng: Prng) =>
  rng.chance(0.6)
    ? `${country}${digits(rng, 2)} ${digits(rng, length - 4)}`.replace(/(\d{4})(?=\d)/g, '$1 ')
    : undefined;

export const REGIONS = {
  uk: {
    language: 'en',
    currency: 'GBP',
    symbol: '£',
    placements: ['symbol-before', 'code-before'],
    grouping: 'comma',
    taxRates: [20],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) =>
      rng.chance(0.5)
        ? `GB${ukVat(digits(rng, 9))}`
        : ukVat(digits(rng, 9)).replace(/^(\d{3})(\d{4})(\d{2})$/, 'GB $1 $2 $3'),
    iban: iban('GB', 22),
    vendors: [
      ['Northwind Traders Ltd', 'northwind.co.uk'],
      ['Brightline Print & Design Ltd', 'brightline-print.co.uk'],
      ['Harbour View Catering Ltd', 'harbourview.co.uk'],
      ['Kestrel Cloud Services Ltd', 'kestrelcloud.io'],
    ],
    customers: [
      'Contoso Retail Ltd',
      'Fabrikam Industries plc',
      'Tailspin Toys Ltd',
      'James Whitfield',
    ],
    streets: ['High Street', 'Station Road', 'Church Lane'],
    cities: ['London EC1A 1BB', 'Leeds LS1 4AP', 'Bristol BS1 5TR'],
    country: 'United Kingdom',
    numberFirst: true,
  },
  us: {
    language: 'en',
    currency: 'USD',
    symbol: '$',
    placements: ['symbol-before'],
    grouping: 'comma',
    taxRates: [6, 7, 8],
    dates: ['mm/dd/yyyy', 'long'],
    taxId: (rng) => `${digits(rng, 2)}-${digits(rng, 7)}`,
    iban: () => undefined,
    vendors: [
      ['Bluewater Logistics LLC', 'bluewaterlogistics.com'],
      ['Acme Office Supplies Inc.', 'acme-office.com'],
      ['Redwood Analytics Corp.', 'redwoodanalytics.com'],
    ],
    customers: ['Lakeside Medical Group', 'Pioneer Construction LLC', 'Summit Dental Care'],
    streets: ['Main Street', 'Oak Avenue', 'Market Street'],
    cities: ['Chicago, IL 60601', 'Austin, TX 78701', 'Boston, MA 02108'],
    country: 'United States',
    numberFirst: true,
  },
  in: {
    language: 'en',
    currency: 'INR',
    symbol: '₹',
    placements: ['symbol-before', 'code-before'],
    grouping: 'indian',
    taxRates: [18],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) =>
      indianGstin({
        state: digits(rng, 2),
        letters: letters(rng, 5),
        digits: digits(rng, 4),
        last: letters(rng, 1),
        check: letters(rng, 1),
      }),
    iban: () => undefined,
    vendors: [
      ['Sharma Textiles Pvt. Ltd.', 'sharmatextiles.in'],
      ['Lotus Software Solutions Pvt Ltd', 'lotussoft.in'],
      ['Ganga Traders LLP', 'gangatraders.co.in'],
    ],
    customers: ['Mehta Engineering Works', 'Bharat Retail Pvt. Ltd.', 'Anita Desai'],
    streets: ['MG Road', 'Park Street', 'Linking Road'],
    cities: ['Mumbai 400001', 'Bengaluru 560001', 'Kolkata 700016'],
    country: 'India',
    numberFirst: true,
  },
  se: {
    language: 'en',
    currency: 'SEK',
    symbol: 'kr',
    placements: ['code-before', 'code-after'],
    grouping: 'space',
    taxRates: [25],
    dates: ['long'],
    taxId: (rng) => `SE${swedishVat(digits(rng, 10))}`,
    iban: iban('SE', 24),
    vendors: [['Nordlys Design AB', 'nordlysdesign.se']],
    customers: ['Contoso Nordic AB', 'Fabrikam Sverige AB'],
    streets: ['Drottninggatan', 'Kungsgatan'],
    cities: ['111 51 Stockholm', '411 19 Göteborg'],
    country: 'Sweden',
    numberFirst: false,
  },
  pl: {
    language: 'en',
    currency: 'PLN',
    symbol: 'zł',
    placements: ['code-before', 'symbol-after'],
    grouping: 'space',
    taxRates: [23],
    dates: ['dd.mm.yyyy', 'long'],
    taxId: (rng) => `PL${polishNip(digits(rng, 10))}`,
    iban: iban('PL', 28),
    vendors: [['Wisła Logistics Sp. z o.o.', 'wislalogistics.pl']],
    customers: ['Contoso Polska Sp. z o.o.', 'Kowalski Consulting'],
    streets: ['ul. Marszałkowska', 'ul. Floriańska'],
    cities: ['00-624 Warszawa', '31-019 Kraków'],
    country: 'Poland',
    numberFirst: false,
  },
  de: {
    language: 'de',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-after', 'code-after'],
    grouping: 'dot',
    taxRates: [19, 7],
    dates: ['dd.mm.yyyy', 'long'],
    taxId: (rng) => `DE${germanVat(digits(rng, 9))}`,
    iban: iban('DE', 22),
    vendors: [
      ['Helios Software GmbH', 'helios-software.de'],
      ['Müller Bürobedarf GmbH', 'mueller-buero.de'],
      ['Rheinland Logistik AG', 'rheinland-logistik.de'],
      ['Schneider Elektrotechnik GmbH & Co. KG', 'schneider-elektro.de'],
    ],
    customers: [
      'Kaufhaus Sommer GmbH',
      'Weber & Partner Steuerberatung',
      'Dr. Anna Schmidt',
      'Stadtwerke Nordheim GmbH',
    ],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Lindenallee'],
    cities: ['10115 Berlin', '80331 München', '50667 Köln'],
    country: 'Deutschland',
    numberFirst: false,
  },
  at: {
    language: 'de',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-before', 'code-before'],
    grouping: 'dot',
    taxRates: [20],
    dates: ['dd.mm.yyyy', 'long'],
    taxId: (rng) => `AT${austrianUid(digits(rng, 8))}`,
    iban: iban('AT', 20),
    vendors: [
      ['Alpenblick Hotel & Events GmbH', 'alpenblick.at'],
      ['Donau IT-Service GmbH', 'donau-it.at'],
    ],
    customers: ['Wiener Kaffeehaus Huber', 'Grazer Bau AG'],
    streets: ['Mariahilfer Straße', 'Herrengasse'],
    cities: ['1010 Wien', '8010 Graz'],
    country: 'Österreich',
    numberFirst: false,
  },
  ch: {
    language: 'de',
    currency: 'CHF',
    symbol: 'CHF',
    placements: ['code-before'],
    grouping: 'apostrophe',
    taxRates: [8],
    dates: ['dd.mm.yyyy'],
    taxId: (rng) => `CHE-${swissUid(digits(rng, 3) + digits(rng, 3) + digits(rng, 3))} MWST`,
    iban: iban('CH', 21),
    vendors: [['Matterhorn Precision AG', 'matterhorn-precision.ch']],
    customers: ['Zürcher Druck AG', 'Bernina Treuhand GmbH'],
    streets: ['Bahnhofstrasse', 'Seestrasse'],
    cities: ['8001 Zürich', '3011 Bern'],
    country: 'Schweiz',
    numberFirst: false,
  },
  fr: {
    language: 'fr',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-after'],
    grouping: 'narrow-space',
    taxRates: [20, 10],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) => {
      const compact = rng.chance(0.5);
      const { key, siren } = frenchTva(compact ? digits(rng, 11) : digits(rng, 2) + digits(rng, 9));
      return compact ? `FR${key}${siren}` : `FR ${key} ${siren}`;
    },
    iban: iban('FR', 27),
    vendors: [
      ['Atelier Lumière SARL', 'atelier-lumiere.fr'],
      ['Bureau Vallée Conseil SAS', 'vallee-conseil.fr'],
      ['Transports Girard et Fils SA', 'girard-transports.fr'],
    ],
    customers: ['Boulangerie Petit Jean', 'Groupe Horizon SA', 'Mme Claire Dubois'],
    streets: ['rue de la Paix', 'avenue Victor Hugo', 'boulevard Voltaire'],
    cities: ['75008 Paris', '69002 Lyon', '31000 Toulouse'],
    country: 'France',
    numberFirst: true,
  },
  nl: {
    language: 'nl',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-before'],
    grouping: 'dot',
    taxRates: [21, 9],
    dates: ['dd-mm-yyyy', 'long'],
    taxId: (rng) => `NL${dutchBtw(digits(rng, 9))}B${digits(rng, 2)}`,
    iban: iban('NL', 18),
    vendors: [
      ['Van Dijk Installatietechniek B.V.', 'vandijk-installatie.nl'],
      ['Tulip Cloud Services B.V.', 'tulipcloud.nl'],
      ['Bakkerij De Molen V.O.F.', 'bakkerijdemolen.nl'],
    ],
    customers: ['De Vries Architecten', 'Jansen Bouw B.V.', 'Gemeente Zeewolde'],
    streets: ['Keizersgracht', 'Damrak', 'Oudegracht'],
    cities: ['1012 JS Amsterdam', '3511 LX Utrecht'],
    country: 'Nederland',
    numberFirst: false,
  },
  be: {
    language: 'nl',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-before', 'code-after'],
    grouping: 'dot',
    taxRates: [21],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) => `BE${belgianVat(digits(rng, 3) + digits(rng, 3) + digits(rng, 3))}`,
    iban: iban('BE', 16),
    vendors: [['Brouwerij Schelde NV', 'brouwerijschelde.be']],
    customers: ['Peeters & Co BV', 'Stad Gent'],
    streets: ['Meir', 'Veldstraat'],
    cities: ['2000 Antwerpen', '9000 Gent'],
    country: 'België',
    numberFirst: false,
  },
  es: {
    language: 'es',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-after'],
    grouping: 'dot',
    taxRates: [21, 10],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) =>
      rng.chance(0.5) ? spanishCif(digits(rng, 8)) : `ES${spanishCif(digits(rng, 8))}`,
    iban: iban('ES', 24),
    vendors: [
      ['Soluciones Ibéricas S.L.', 'solucionesibericas.es'],
      ['Distribuciones García S.A.', 'distgarcia.es'],
      ['Hostal La Brisa S.L.U.', 'hostallabrisa.com'],
    ],
    customers: ['Talleres Romero S.L.', 'Ayuntamiento de Toledo', 'Lucía Fernández'],
    streets: ['Calle Mayor', 'Gran Vía', 'Paseo de Gracia'],
    cities: ['28013 Madrid', '08007 Barcelona', '41001 Sevilla'],
    country: 'España',
    numberFirst: false,
  },
  it: {
    language: 'it',
    currency: 'EUR',
    symbol: '€',
    placements: ['symbol-before', 'code-before'],
    grouping: 'dot',
    taxRates: [22, 10],
    dates: ['dd/mm/yyyy', 'long'],
    taxId: (rng) =>
      rng.chance(0.5) ? `IT${italianIva(digits(rng, 11))}` : italianIva(digits(rng, 11)),
    iban: iban('IT', 27),
    vendors: [
      ['Rossi Forniture S.r.l.', 'rossiforniture.it'],
      ['Tecnologie Adriatiche S.p.A.', 'tecnoadriatiche.it'],
      ['Studio Bianchi S.r.l.s.', 'studiobianchi.it'],
    ],
    customers: ['Ferramenta Colombo S.n.c.', 'Comune di Verona', 'Giulia Ricci'],
    streets: ['Via Roma', 'Corso Vittorio Emanuele', 'Via Garibaldi'],
    cities: ['20121 Milano', '00184 Roma', '40121 Bologna'],
    country: 'Italia',
    numberFirst: false,
  },
} satisfies Record<string, Region>;

export type RegionKey = keyof typeof REGIONS;

/** How a document prints: labels picked from the vocabulary, numbers and dates by region. */
export interface PrintStyle {
  language: Language;
  region: RegionKey;
  kind: DocumentKind;
  title: string;
  labels: {
    number: string;
    invoiceDate: string;
    dueDate: string;
    purchaseOrder: string;
    customer: string;
    seller: string;
    subtotal: string;
    tax: string;
    total: string;
    paid: string;
    taxId: string;
    header: [string, string, string, string];
    terms: string;
    thanks: string;
    refersTo: string;
    page: string;
    phone: string;
  };
  /** `1.234,56` in the region's grouping. */
  amount: (value: number) => string;
  /** The amount with the currency as the region writes it. */
  money: (value: number) => string;
  quantity: (value: number) => string;
  date: (iso: string) => string;
  /** The issuer's web domain (e-mail and web lines). */
  domain: string;
  iban: string | undefined;
  phoneNumber: string;
  /** An earlier invoice a credit note refers to. */
  originalInvoice: string;
}

const GROUP_MARK: Readonly<Record<Grouping, string>> = {
  comma: ',',
  dot: '.',
  apostrophe: "'",
  'narrow-space': '\u202f',
  space: ' ',
  indian: ',',
};

const DECIMAL_MARK: Readonly<Record<Grouping, string>> = {
  comma: '.',
  dot: ',',
  apostrophe: '.',
  'narrow-space': ',',
  space: ',',
  indian: '.',
};

/** Groups the integer digits: thousands, or 2-digit groups above the thousands (Indian). */
function group(whole: string, grouping: Grouping, mark: string): string {
  if (grouping !== 'indian' || whole.length <= 3) {
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, mark);
  }
  const head = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, mark);
  return `${head}${mark}${whole.slice(-3)}`;
}

export function formatAmountIn(value: number, grouping: Grouping, pdfSafe = false): string {
  const cents = Math.round(Math.abs(value) * 100);
  // The born-digital PDF's standard fonts have no narrow no-break space: a no-break space instead.
  const mark = pdfSafe && grouping === 'narrow-space' ? '\u00a0' : GROUP_MARK[grouping];
  const whole = group(String(Math.floor(cents / 100)), grouping, mark);
  return `${value < 0 ? '-' : ''}${whole}${DECIMAL_MARK[grouping]}${String(cents % 100).padStart(2, '0')}`;
}

function formatDateIn(
  iso: string,
  style: DateStyle,
  vocabulary: Vocabulary,
  language: Language,
  region: RegionKey,
): string {
  const [year, month, day] = iso.split('-');
  switch (style) {
    case 'dd/mm/yyyy':
      return `${day}/${month}/${year}`;
    case 'mm/dd/yyyy':
      return `${month}/${day}/${year}`;
    case 'dd.mm.yyyy':
      return `${day}.${month}.${year}`;
    case 'dd-mm-yyyy':
      return `${day}-${month}-${year}`;
    case 'long': {
      const name = vocabulary.months[Number(month) - 1];
      const d = Number(day);
      switch (language) {
        case 'en':
          return region === 'us' ? `${name} ${d}, ${year}` : `${d} ${name} ${year}`;
        case 'de':
          return `${d}. ${name} ${year}`;
        case 'fr':
          return `${d === 1 ? '1er' : d} ${name} ${year}`;
        case 'es':
          return `${d} de ${name} de ${year}`;
        case 'nl':
        case 'it':
          return `${d} ${name} ${year}`;
      }
    }
  }
}

export interface CorpusDocument {
  truth: InvoiceTruth;
  style: PrintStyle;
}

const TITLE_KEY: Readonly<Record<DocumentKind, keyof Vocabulary['title']>> = {
  invoice: 'invoice',
  receipt: 'receipt',
  'credit-note': 'creditNote',
  'tax-invoice': 'taxInvoice',
};

/** A seeded document of `kind` from `region`, with its ground truth and print style. */
export function buildDocument(
  seed: number,
  regionKey: RegionKey,
  kind: DocumentKind,
  options: { pdfSafe?: boolean } = {},
): CorpusDocument {
  const rng = createPrng(seed * 7919 + 17);
  const region: Region = REGIONS[regionKey];
  const vocabulary = VOCABULARY[region.language];
  const [vendorName, domain] = rng.pick(region.vendors);
  const customerName = rng.pick(region.customers);
  const year = rng.int(2023, 2025);
  const issued = new Date(Date.UTC(year, rng.int(0, 11), rng.int(1, 28)));
  const termsDays = rng.pick([14, 30, 30, 60]);
  const due = new Date(issued.getTime() + termsDays * 86_400_000);

  // Rupee prices are larger numbers: they exercise the lakh grouping (1,23,456.00).
  const scale = region.currency === 'INR' ? 80 : region.currency === 'SEK' ? 10 : 1;
  const itemCount = kind === 'receipt' ? rng.int(2, 4) : rng.int(2, 5);
  const descriptions = [...vocabulary.items];
  const lineItems: InvoiceLineItem[] = [];
  let subtotalCents = 0;
  for (let i = 0; i < itemCount; i++) {
    const description = descriptions.splice(rng.int(0, descriptions.length - 1), 1)[0];
    const quantity = rng.int(1, kind === 'receipt' ? 3 : 12);
    const unitCents =
      (rng.int(8, 900) * 100 + rng.pick([0, 0, 50, 90, 95, rng.int(1, 99)])) * scale;
    const amountCents = quantity * unitCents;
    subtotalCents += amountCents;
    lineItems.push({
      description,
      quantity,
      unitPrice: unitCents / 100,
      amount: amountCents / 100,
    });
  }
  const taxRate = rng.pick(region.taxRates);
  const taxCents = Math.round((subtotalCents * taxRate) / 100);
  const numberPrefix = { invoice: 'INV', receipt: 'R', 'credit-note': 'CN', 'tax-invoice': 'GST' }[
    kind
  ];
  const invoiceNumber = rng.pick([
    `${numberPrefix}-${year}-${String(rng.int(1, 99999)).padStart(5, '0')}`,
    `${year}${String(rng.int(1, 9999)).padStart(4, '0')}`,
    `${String(rng.int(1, 999)).padStart(3, '0')}/${year}`,
    `${numberPrefix}${rng.int(10000, 99999)}`,
  ]);
  const hasPo = kind !== 'receipt' && rng.chance(0.5);
  const hasTaxId = kind === 'tax-invoice' || rng.chance(0.85);
  const truth: InvoiceTruth = {
    invoiceNumber,
    invoiceDate: isoDate(issued),
    dueDate: isoDate(due),
    vendorName,
    customerName,
    currency: region.currency,
    subtotal: subtotalCents / 100,
    taxAmount: taxCents / 100,
    totalAmount: (subtotalCents + taxCents) / 100,
    lineItems,
    taxRate,
    vendorAddress: {
      street: region.numberFirst
        ? `${rng.int(1, 240)} ${rng.pick(region.streets)}`
        : `${rng.pick(region.streets)} ${rng.int(1, 240)}`,
      city: rng.pick(region.cities),
      country: region.country,
    },
    customerAddress: {
      street: region.numberFirst
        ? `${rng.int(1, 240)} ${rng.pick(region.streets)}`
        : `${rng.pick(region.streets)} ${rng.int(1, 240)}`,
      city: rng.pick(region.cities),
      country: region.country,
    },
    paymentTermsDays: termsDays,
  };
  if (hasPo) {
    truth.purchaseOrder = rng.pick([
      `PO-${rng.int(10000, 99999)}`,
      `${rng.int(4500000000, 4599999999)}`,
      `B${rng.int(1000, 9999)}`,
    ]);
  }
  if (hasTaxId) {
    truth.vendorTaxId = region.taxId(rng);
  }
  if (kind === 'receipt') {
    // Paid on the spot: no due date printed or expected.
    delete truth.dueDate;
    delete truth.customerName;
  }

  const pdfSafe = options.pdfSafe === true;
  const placement = rng.pick(region.placements);
  // Standard PDF fonts cannot draw ₹: born-digital rupee invoices print `Rs.`.
  const symbol = region.symbol === '₹' && (pdfSafe || rng.chance(0.4)) ? 'Rs.' : region.symbol;
  const amount = (value: number): string => formatAmountIn(value, region.grouping, pdfSafe);
  const money = (value: number): string => {
    const text = amount(value);
    switch (placement) {
      case 'symbol-before':
        return symbol.length > 1 ? `${symbol} ${text}` : `${symbol}${text}`;
      case 'symbol-after':
        return `${text} ${symbol}`;
      case 'code-before':
        return `${region.currency} ${text}`;
      case 'code-after':
        return `${text} ${region.currency}`;
    }
  };
  const dateStyle = rng.pick(region.dates);
  const pick = (options: readonly string[]): string => rng.pick(options);
  const style: PrintStyle = {
    language: region.language,
    region: regionKey,
    kind,
    title: pick(vocabulary.title[TITLE_KEY[kind]]),
    labels: {
      number: pick(
        kind === 'credit-note'
          ? vocabulary.creditNoteNumber
          : kind === 'receipt'
            ? vocabulary.receiptNumber
            : vocabulary.invoiceNumber,
      ),
      invoiceDate: pick(vocabulary.invoiceDate),
      dueDate: pick(vocabulary.dueDate),
      purchaseOrder: pick(vocabulary.purchaseOrder),
      customer: pick(vocabulary.customer),
      seller: pick(vocabulary.seller),
      subtotal: pick(vocabulary.subtotal),
      tax: pick(vocabulary.tax).replace('{rate}', String(taxRate)),
      total: pick(vocabulary.total),
      paid: pick(vocabulary.paid),
      taxId:
        regionKey === 'in'
          ? 'GSTIN:'
          : regionKey === 'pl'
            ? 'NIP:'
            : regionKey === 'us'
              ? 'EIN:'
              : pick(vocabulary.taxId),
      header: [
        pick(vocabulary.header.description),
        pick(vocabulary.header.quantity),
        pick(vocabulary.header.unitPrice),
        pick(vocabulary.header.amount),
      ],
      terms: pick(vocabulary.terms).replace('{days}', String(termsDays)),
      thanks: pick(vocabulary.thanks),
      refersTo: pick(vocabulary.refersTo),
      page: vocabulary.page,
      phone: vocabulary.phone,
    },
    amount,
    money,
    quantity: (value) => String(value),
    date: (iso) => formatDateIn(iso, dateStyle, vocabulary, region.language, regionKey),
    domain,
    iban: region.iban(rng),
    phoneNumber: `+${rng.int(30, 49)} ${digits(rng, 3)} ${digits(rng, 4)}`,
    originalInvoice: `INV-${year}-${String(rng.int(1, 99999)).padStart(5, '0')}`,
  };
  return { truth, style };
}
