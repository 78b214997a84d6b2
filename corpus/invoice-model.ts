/**
 * Ground truth for synthetic invoices.
 *
 * `buildInvoice(seed)` deterministically produces an `InvoiceTruth`: the same seed always yields
 * the same invoice (a seeded mulberry32 PRNG, never `Math.random`). Money is computed in integer
 * cents so the amounts are exactly consistent: every line `amount = quantity × unitPrice`,
 * `subtotal = Σ amount`, `taxAmount = round(subtotal × taxRate / 100)` (half up, to cents) and
 * `totalAmount = subtotal + taxAmount`. All strings stay within Latin-1 / WinAnsi, so the
 * born-digital PDF variant can draw them with the standard Helvetica font.
 */

import { austrianUid, dutchBtw, frenchTva, germanVat, swissUid, ukVat } from './tax-ids.js';

/** One printed line of the item table. */
export interface InvoiceLineItem {
  description: string;
  /** Whole units, or hours in steps of 0.5 for services. */
  quantity: number;
  unitPrice: number;
  /** quantity × unitPrice, exact to the cent. */
  amount: number;
}

/** Postal address lines as printed (street, postcode + city, country). */
export interface InvoiceAddress {
  street: string;
  city: string;
  country: string;
}

/** What an extractor should read from the rendered invoice. */
export interface InvoiceTruth {
  invoiceNumber: string;
  /** YYYY-MM-DD */
  invoiceDate: string;
  /** YYYY-MM-DD; none on a receipt paid on the spot. */
  dueDate?: string;
  purchaseOrder?: string;
  vendorName: string;
  vendorTaxId?: string;
  /** None on a till receipt, which names no customer. */
  customerName?: string;
  /** ISO 4217 code, e.g. EUR. */
  currency: string;
  subtotal: number;
  taxAmount: number;
  totalAmount: number;
  lineItems: InvoiceLineItem[];
  /** VAT rate in percent; printed by the classic layout as "Tax (VAT 20%)". */
  taxRate: number;
  /** Printed, but not usually extracted. */
  vendorAddress: InvoiceAddress;
  customerAddress: InvoiceAddress;
  /** Days between invoice and due date ("Net 30"). */
  paymentTermsDays: number;
}

/** A small, fast, seedable PRNG (mulberry32). */
export interface Prng {
  /** Uniform in [0, 1). */
  next: () => number;
  /** Integer in [min, max] (inclusive). */
  int: (min: number, max: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (probability: number) => boolean;
}

// Hoisted: in Jest's vm contexts every global lookup (`Math`) is slow, and noise calls the PRNG
// millions of times.
const { floor, imul } = Math;

export function createPrng(seed: number): Prng {
  let state = seed >>> 0 || 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) {
        throw new RangeError('pick() from an empty list');
      }
      return items[int(0, items.length - 1)];
    },
    chance: (probability: number): boolean => next() < probability,
  };
}

interface Country {
  name: string;
  currency: string;
  taxId: (rng: Prng) => string | undefined;
  cities: readonly (readonly [postcode: string, city: string])[];
  streets: readonly string[];
  /** Street line from a street name and a house number. */
  street: (name: string, houseNumber: number) => string;
}

const digits = (rng: Prng, count: number): string =>
  Array.from({ length: count }, () => String(rng.int(0, 9))).join('');

const numberFirst = (name: string, n: number): string => `${n} ${name}`;
const numberLast = (name: string, n: number): string => `${name} ${n}`;

const COUNTRIES: Readonly<Record<string, Country>> = {
  uk: {
    name: 'United Kingdom',
    currency: 'GBP',
    taxId: (rng) => `GB${ukVat(digits(rng, 9))}`,
    cities: [
      ['EC1A 1BB', 'London'],
      ['M1 2WD', 'Manchester'],
      ['LS1 4AP', 'Leeds'],
      ['BS1 5TR', 'Bristol'],
      ['EH1 3EG', 'Edinburgh'],
    ],
    streets: ['High Street', 'Station Road', 'Victoria Road', 'Church Lane', 'Kings Road'],
    street: numberFirst,
  },
  de: {
    name: 'Germany',
    currency: 'EUR',
    taxId: (rng) => `DE${germanVat(digits(rng, 9))}`,
    cities: [
      ['10115', 'Berlin'],
      ['80331', 'München'],
      ['20095', 'Hamburg'],
      ['50667', 'Köln'],
      ['60311', 'Frankfurt am Main'],
    ],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Lindenallee', 'Gartenweg', 'Schillerstraße'],
    street: numberLast,
  },
  fr: {
    name: 'France',
    currency: 'EUR',
    taxId: (rng) => {
      const { key, siren } = frenchTva(digits(rng, 11));
      return `FR${key}${siren}`;
    },
    cities: [
      ['75008', 'Paris'],
      ['69002', 'Lyon'],
      ['13001', 'Marseille'],
      ['31000', 'Toulouse'],
    ],
    streets: ['Rue de la Paix', 'Avenue Victor Hugo', 'Boulevard Voltaire', 'Rue du Commerce'],
    street: numberFirst,
  },
  nl: {
    name: 'Netherlands',
    currency: 'EUR',
    taxId: (rng) => `NL${dutchBtw(digits(rng, 9))}B01`,
    cities: [
      ['1012 JS', 'Amsterdam'],
      ['3011 AD', 'Rotterdam'],
      ['3511 LX', 'Utrecht'],
    ],
    streets: ['Keizersgracht', 'Damrak', 'Stationsplein', 'Oudegracht'],
    street: numberLast,
  },
  at: {
    name: 'Austria',
    currency: 'EUR',
    taxId: (rng) => `AT${austrianUid(digits(rng, 8))}`,
    cities: [
      ['1010', 'Wien'],
      ['5020', 'Salzburg'],
      ['8010', 'Graz'],
    ],
    streets: ['Kärntner Straße', 'Mariahilfer Straße', 'Getreidegasse', 'Herrengasse'],
    street: numberLast,
  },
  ch: {
    name: 'Switzerland',
    currency: 'CHF',
    taxId: (rng) => `CHE-${swissUid(digits(rng, 3) + digits(rng, 3) + digits(rng, 3))} MWST`,
    cities: [
      ['8001', 'Zürich'],
      ['3011', 'Bern'],
      ['1204', 'Genève'],
    ],
    streets: ['Bahnhofstrasse', 'Marktgasse', 'Seestrasse', 'Rue du Rhône'],
    street: numberLast,
  },
  us: {
    name: 'United States',
    currency: 'USD',
    taxId: (rng) => (rng.chance(0.5) ? `${digits(rng, 2)}-${digits(rng, 7)}` : undefined),
    cities: [
      ['Chicago, IL 60601', 'Chicago'],
      ['Austin, TX 78701', 'Austin'],
      ['Seattle, WA 98101', 'Seattle'],
      ['Boston, MA 02108', 'Boston'],
    ],
    streets: ['Main Street', 'Oak Avenue', 'Market Street', 'Pine Street', 'Elm Street'],
    street: numberFirst,
  },
};

type CountryKey = keyof typeof COUNTRIES;

const VENDORS: readonly (readonly [name: string, country: CountryKey])[] = [
  ['Northwind Traders Ltd', 'uk'],
  ['Brightline Print & Design Ltd', 'uk'],
  ["O'Neill & Sons Plumbing Ltd", 'uk'],
  ['Harbour View Catering Ltd', 'uk'],
  ['Helios Software GmbH', 'de'],
  ['Müller Bürobedarf GmbH', 'de'],
  ['Rheinland Logistik AG', 'de'],
  ['Schneider Elektrotechnik KG', 'de'],
  ['Atelier Lumière SARL', 'fr'],
  ['Bureau Vallée Conseil SAS', 'fr'],
  ['Van Dijk Installatietechniek B.V.', 'nl'],
  ['Tulip Cloud Services B.V.', 'nl'],
  ['Alpenblick Hotel & Events GmbH', 'at'],
  ['Donau IT-Service GmbH', 'at'],
  ['Matterhorn Precision AG', 'ch'],
  ['Bluewater Logistics LLC', 'us'],
  ['Acme Office Supplies Inc.', 'us'],
  ['Redwood Analytics Corp.', 'us'],
];

const CUSTOMERS: readonly (readonly [name: string, country: CountryKey])[] = [
  ['Contoso Retail Ltd', 'uk'],
  ['Fabrikam Industries plc', 'uk'],
  ['Tailspin Toys Ltd', 'uk'],
  ['Kaufhaus Sommer GmbH', 'de'],
  ['Weber & Partner Steuerberatung', 'de'],
  ['Stadtwerke Nordheim GmbH', 'de'],
  ['Boulangerie Petit Jean', 'fr'],
  ['Groupe Horizon SA', 'fr'],
  ['De Vries Architecten', 'nl'],
  ['Wiener Kaffeehaus Huber', 'at'],
  ['Lakeside Medical Group', 'us'],
  ['Pioneer Construction LLC', 'us'],
  ['Dr. Anna Schmidt', 'de'],
  ['James Whitfield', 'uk'],
];

interface ItemTemplate {
  description: string;
  /** Unit price range in whole currency units. */
  price: readonly [min: number, max: number];
  quantity: readonly [min: number, max: number];
  /** Billed by the hour: half-hour quantities, round rates. */
  hourly?: boolean;
}

const ITEMS: readonly ItemTemplate[] = [
  { description: 'Consulting services', price: [80, 180], quantity: [2, 40], hourly: true },
  { description: 'Software development', price: [70, 150], quantity: [4, 80], hourly: true },
  { description: 'On-site installation', price: [55, 95], quantity: [1, 16], hourly: true },
  { description: 'Project management', price: [75, 130], quantity: [2, 24], hourly: true },
  { description: 'A4 copy paper, 80 gsm (box of 5)', price: [18, 32], quantity: [1, 20] },
  { description: 'Laser toner cartridge, black', price: [45, 120], quantity: [1, 8] },
  { description: 'Office chair, ergonomic', price: [140, 420], quantity: [1, 6] },
  { description: 'Monitor 27" QHD', price: [180, 390], quantity: [1, 5] },
  { description: 'USB-C docking station', price: [90, 240], quantity: [1, 10] },
  { description: 'Annual software licence', price: [200, 1800], quantity: [1, 3] },
  { description: 'Cloud hosting, monthly plan', price: [25, 600], quantity: [1, 12] },
  { description: 'Business cards (500 pcs)', price: [25, 70], quantity: [1, 6] },
  { description: 'Catering for 20 guests', price: [250, 900], quantity: [1, 2] },
  { description: 'Pallet transport Hamburg-Berlin', price: [180, 520], quantity: [1, 4] },
  { description: 'Copper pipe 22 mm, 3 m length', price: [12, 30], quantity: [2, 30] },
  { description: 'Maintenance contract (quarter)', price: [300, 1200], quantity: [1, 1] },
  { description: 'Training workshop, full day', price: [450, 1500], quantity: [1, 3] },
  { description: 'Network switch, 24 ports', price: [160, 640], quantity: [1, 4] },
  { description: 'Printed brochures A5, 1000 pcs', price: [120, 480], quantity: [1, 3] },
  { description: 'Travel expenses (flat rate)', price: [40, 250], quantity: [1, 5] },
  { description: 'Hotel room, double, per night', price: [95, 260], quantity: [1, 7] },
  { description: 'Espresso beans 1 kg', price: [18, 36], quantity: [2, 24] },
  { description: 'Delivery & handling', price: [8, 45], quantity: [1, 1] },
];

const PAYMENT_TERMS = [14, 30, 30, 45, 60] as const;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** YYYY-MM-DD of a UTC date. */
export function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

function invoiceNumberFor(rng: Prng, year: number): string {
  switch (rng.int(0, 4)) {
    case 0:
      return `INV-${year}-${pad(rng.int(1, 99999), 5)}`;
    case 1:
      return `RE-${String(year).slice(2)}-${pad(rng.int(1, 9999), 4)}`;
    case 2:
      return `${year}/${pad(rng.int(1, 99999), 5)}`;
    case 3:
      return `F${rng.int(100000, 999999)}`;
    default:
      return `INV${rng.int(10000, 99999)}`;
  }
}

function addressFor(rng: Prng, country: Country): InvoiceAddress {
  const [postcode, city] = rng.pick(country.cities);
  return {
    street: country.street(rng.pick(country.streets), rng.int(1, 240)),
    // US "postcodes" carry the whole "City, ST 12345" line.
    city: postcode.includes(city) ? postcode : `${postcode} ${city}`,
    country: country.name,
  };
}

const centsToNumber = (cents: number): number => cents / 100;

/** A deterministic, internally consistent invoice for `seed`. */
export function buildInvoice(seed: number): InvoiceTruth {
  const rng = createPrng(seed);

  const [vendorName, vendorCountryKey] = rng.pick(VENDORS);
  const vendorCountry = COUNTRIES[vendorCountryKey];
  let [customerName, customerCountryKey] = rng.pick(CUSTOMERS);
  if (rng.chance(0.7)) {
    // Mostly domestic business: prefer a customer from the vendor's country when there is one.
    const domestic = CUSTOMERS.filter(([, key]) => key === vendorCountryKey);
    if (domestic.length > 0) {
      [customerName, customerCountryKey] = rng.pick(domestic);
    }
  }
  const customerCountry = COUNTRIES[customerCountryKey];

  const year = rng.int(2023, 2025);
  const invoiceDay = new Date(Date.UTC(year, rng.int(0, 11), rng.int(1, 28)));
  const paymentTermsDays = rng.pick(PAYMENT_TERMS);
  const dueDay = new Date(invoiceDay.getTime() + paymentTermsDays * 86_400_000);

  const itemCount = rng.int(2, 5);
  const templates: ItemTemplate[] = [];
  while (templates.length < itemCount) {
    const template = rng.pick(ITEMS);
    if (!templates.includes(template)) {
      templates.push(template);
    }
  }

  const lineItems: InvoiceLineItem[] = [];
  let subtotalCents = 0;
  for (const template of templates) {
    let quantityHalves: number;
    let unitCents: number;
    if (template.hourly) {
      quantityHalves = rng.int(template.quantity[0] * 2, template.quantity[1] * 2);
      // Round hourly rates (multiples of 5) keep half-hour amounts exact to the cent.
      unitCents = rng.int(template.price[0] / 5, template.price[1] / 5) * 500;
    } else {
      quantityHalves = rng.int(template.quantity[0], template.quantity[1]) * 2;
      const whole = rng.int(template.price[0], template.price[1] - 1);
      unitCents = whole * 100 + rng.pick([0, 0, 50, 90, 95, 99, rng.int(1, 99)]);
    }
    const amountCents = (quantityHalves * unitCents) / 2;
    if (!Number.isInteger(amountCents)) {
      throw new Error(`internal: non-integer cents for ${template.description}`);
    }
    subtotalCents += amountCents;
    lineItems.push({
      description: template.description,
      quantity: quantityHalves / 2,
      unitPrice: centsToNumber(unitCents),
      amount: centsToNumber(amountCents),
    });
  }

  const taxRate = rng.chance(0.75) ? 20 : 10;
  const taxCents = Math.round((subtotalCents * taxRate) / 100);
  const purchaseOrder = rng.chance(0.6) ? `PO-${rng.int(10000, 99999)}` : undefined;
  const vendorTaxId = rng.chance(0.85) ? vendorCountry.taxId(rng) : undefined;

  const truth: InvoiceTruth = {
    invoiceNumber: invoiceNumberFor(rng, year),
    invoiceDate: isoDate(invoiceDay),
    dueDate: isoDate(dueDay),
    vendorName,
    customerName,
    currency: vendorCountry.currency,
    subtotal: centsToNumber(subtotalCents),
    taxAmount: centsToNumber(taxCents),
    totalAmount: centsToNumber(subtotalCents + taxCents),
    lineItems,
    taxRate,
    vendorAddress: addressFor(rng, vendorCountry),
    customerAddress: addressFor(rng, customerCountry),
    paymentTermsDays,
  };
  if (purchaseOrder !== undefined) {
    truth.purchaseOrder = purchaseOrder;
  }
  if (vendorTaxId !== undefined) {
    truth.vendorTaxId = vendorTaxId;
  }
  return truth;
}
