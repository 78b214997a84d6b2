import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { InvoiceFieldName } from '../processing.types.js';

/** The XML standards an embedded e-invoice comes in. */
export type EInvoiceSyntax = 'cii' | 'ubl';

export interface EInvoiceLineItem {
  description?: string;
  quantity?: number;
  unitPrice?: number;
  amount?: number;
}

/** What an e-invoice states: exact values, nothing guessed. */
export interface EInvoice {
  syntax: EInvoiceSyntax;
  fields: Partial<Record<InvoiceFieldName, string | number>>;
  lineItems: EInvoiceLineItem[];
}

/**
 * Names under which PDFs embed their e-invoice: Factur-X / ZUGFeRD 2 (`factur-x.xml`,
 * `zugferd-invoice.xml`) and XRechnung (`xrechnung.xml`); ZUGFeRD 1's `ZUGFeRD-invoice.xml`
 * matches too (names are compared in lower case). Any other `.xml` attachment is read too when
 * its root is an invoice.
 */
export const E_INVOICE_FILE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

/** Larger XML is not an invoice we read (real ones are a few hundred KB at most). */
export const MAX_E_INVOICE_BYTES = 5 * 1024 * 1024;
/** At most this many line items are taken from one e-invoice. */
export const MAX_E_INVOICE_LINES = 1000;
/** A text value is cut to this many characters (a field, a line's description). */
const MAX_TEXT_CHARS = 1000;

/** Why an embedded XML file was not read as an invoice; the message says it to the client. */
export class EInvoiceUnreadableError extends Error {}

/** What a PDF's attachments gave: an invoice, or an invoice attachment that could not be read. */
export type EInvoiceFinding =
  | { kind: 'read'; fileName: string; invoice: EInvoice }
  | { kind: 'unreadable'; fileName: string; reason: string };

type Node = Record<string, unknown>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Untrusted XML: no entity is ever expanded (a document with a DOCTYPE is refused before
  // parsing anyway); the five predefined entities and character references in the values we
  // keep are decoded by `decodeEntities`, bounded by MAX_TEXT_CHARS.
  processEntities: false,
  htmlEntities: false,
  // Values stay text: amounts are parsed below, and an invoice number like 00123 keeps its zeros.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'IncludedSupplyChainTradeLineItem' || name === 'InvoiceLine',
});

/**
 * The e-invoice among a PDF's attachments, preferring the standard names. An attachment with a
 * standard name that cannot be read is reported (`unreadable`) when no other one is an invoice;
 * other `.xml` files that are not invoices are passed over.
 */
export function findEInvoice(
  attachments: { filename: string; content: Uint8Array }[],
): EInvoiceFinding | undefined {
  const ranked = [...attachments]
    .filter((attachment) => attachment.filename.toLowerCase().endsWith('.xml'))
    .sort((a, b) => rank(a.filename) - rank(b.filename));
  let unreadable: EInvoiceFinding | undefined;
  for (const attachment of ranked) {
    try {
      const invoice = parseEInvoice(attachment.content);
      if (invoice) {
        return { kind: 'read', fileName: attachment.filename, invoice };
      }
    } catch (error) {
      if (!(error instanceof EInvoiceUnreadableError)) {
        throw error;
      }
      if (rank(attachment.filename) < E_INVOICE_FILE_NAMES.length) {
        unreadable ??= { kind: 'unreadable', fileName: attachment.filename, reason: error.message };
      }
    }
  }
  return unreadable;
}

function rank(filename: string): number {
  const index = E_INVOICE_FILE_NAMES.indexOf(filename.toLowerCase());
  return index === -1 ? E_INVOICE_FILE_NAMES.length : index;
}

/**
 * Reads the bytes of an XML e-invoice (UTF-8): CII (`CrossIndustryInvoice`: Factur-X, ZUGFeRD,
 * XRechnung CII) or UBL (`Invoice`). Undefined for well-formed XML that is not an invoice;
 * EInvoiceUnreadableError for a file too large, malformed, or declaring a DOCTYPE (which no
 * e-invoice standard uses, and which is how entity bombs and external entities come in).
 */
export function parseEInvoice(bytes: Uint8Array): EInvoice | undefined {
  if (bytes.length > MAX_E_INVOICE_BYTES) {
    throw new EInvoiceUnreadableError(`it is larger than ${MAX_E_INVOICE_BYTES / 1024 / 1024} MiB`);
  }
  const xml = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new EInvoiceUnreadableError('it declares a DOCTYPE or entities, which are not accepted');
  }
  if (XMLValidator.validate(xml) !== true) {
    throw new EInvoiceUnreadableError('it is not well-formed XML');
  }
  let document: Node;
  try {
    document = parser.parse(xml) as Node;
  } catch {
    throw new EInvoiceUnreadableError('it is not well-formed XML');
  }
  const cii = node(document, 'CrossIndustryInvoice');
  if (cii) {
    return readCii(cii);
  }
  const ubl = node(document, 'Invoice');
  return ubl ? readUbl(ubl) : undefined;
}

/** `parseEInvoice` for text: undefined for anything that is not a readable invoice. */
export function readEInvoice(xml: string): EInvoice | undefined {
  try {
    return parseEInvoice(new TextEncoder().encode(xml));
  } catch (error) {
    if (error instanceof EInvoiceUnreadableError) {
      return undefined;
    }
    throw error;
  }
}

const PREDEFINED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** The XML predefined entities and character references; anything else stays as written. */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED_ENTITIES[name] ?? whole;
  });
}

/** What lies at `path` below `parent`, taking the first of repeated elements. */
function valueAt(parent: unknown, path: readonly string[]): unknown {
  let current: unknown = parent;
  for (const name of path) {
    if (typeof current !== 'object' || current === null) {
      return undefined;
    }
    current = (current as Node)[name];
    if (Array.isArray(current)) {
      current = current[0];
    }
  }
  return current;
}

function node(parent: unknown, ...path: string[]): Node | undefined {
  const current = valueAt(parent, path);
  return typeof current === 'object' && current !== null ? (current as Node) : undefined;
}

function textAt(parent: unknown, ...path: string[]): string | undefined {
  let current = valueAt(parent, path);
  if (typeof current === 'object' && current !== null) {
    current = (current as Node)['#text'];
  }
  if (typeof current !== 'string') {
    return undefined;
  }
  const value = decodeEntities(current.slice(0, MAX_TEXT_CHARS * 8))
    .trim()
    .slice(0, MAX_TEXT_CHARS);
  return value === '' ? undefined : value;
}

/** XML decimals (`1234.50`, `-3`); anything else is no amount. */
function decimal(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d{1,15}(\.\d{1,6})?$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

/** CII date format 102 (`20240315`) or an ISO date, as `YYYY-MM-DD`. */
function isoDate(value: string | undefined): string | undefined {
  const match = value === undefined ? null : /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (!match) {
    return undefined;
  }
  const [, year, month, day] = match;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  return date.getUTCDate() === Number(day) ? `${year}-${month}-${day}` : undefined;
}

function fieldsOf(
  values: Partial<Record<InvoiceFieldName, string | number | undefined>>,
): EInvoice['fields'] {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function readCii(root: Node): EInvoice {
  const transaction = node(root, 'SupplyChainTradeTransaction');
  const agreement = node(transaction, 'ApplicableHeaderTradeAgreement');
  const settlement = node(transaction, 'ApplicableHeaderTradeSettlement');
  const totals = node(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');
  const seller = node(agreement, 'SellerTradeParty');
  // A seller may give several registrations: the VAT id (scheme VA) is the one invoices quote.
  const taxRegistrations = (
    [seller?.SpecifiedTaxRegistration].flat().filter(Boolean) as Node[]
  ).sort((a, b) => Number(schemeOf(b) === 'VA') - Number(schemeOf(a) === 'VA'));
  const lines = (
    [transaction?.IncludedSupplyChainTradeLineItem].flat().filter(Boolean) as Node[]
  ).slice(0, MAX_E_INVOICE_LINES);
  return {
    syntax: 'cii',
    fields: fieldsOf({
      invoiceNumber: textAt(root, 'ExchangedDocument', 'ID'),
      invoiceDate: isoDate(textAt(root, 'ExchangedDocument', 'IssueDateTime', 'DateTimeString')),
      dueDate: isoDate(
        textAt(settlement, 'SpecifiedTradePaymentTerms', 'DueDateDateTime', 'DateTimeString'),
      ),
      purchaseOrder: textAt(agreement, 'BuyerOrderReferencedDocument', 'IssuerAssignedID'),
      vendorName: textAt(seller, 'Name'),
      vendorTaxId: taxRegistrations.map((registration) => textAt(registration, 'ID')).find(Boolean),
      customerName: textAt(agreement, 'BuyerTradeParty', 'Name'),
      currency: textAt(settlement, 'InvoiceCurrencyCode'),
      subtotal: decimal(textAt(totals, 'TaxBasisTotalAmount')),
      taxAmount: decimal(ciiTaxTotal(totals, textAt(settlement, 'InvoiceCurrencyCode'))),
      totalAmount: decimal(textAt(totals, 'GrandTotalAmount')),
    }),
    lineItems: lines.map((line) =>
      lineItemOf({
        description: textAt(line, 'SpecifiedTradeProduct', 'Name'),
        quantity: decimal(textAt(line, 'SpecifiedLineTradeDelivery', 'BilledQuantity')),
        unitPrice: decimal(
          textAt(line, 'SpecifiedLineTradeAgreement', 'NetPriceProductTradePrice', 'ChargeAmount'),
        ),
        amount: decimal(
          textAt(
            line,
            'SpecifiedLineTradeSettlement',
            'SpecifiedTradeSettlementLineMonetarySummation',
            'LineTotalAmount',
          ),
        ),
      }),
    ),
  };
}

function readUbl(root: Node): EInvoice {
  const supplier = node(root, 'AccountingSupplierParty', 'Party');
  const customer = node(root, 'AccountingCustomerParty', 'Party');
  const totals = node(root, 'LegalMonetaryTotal');
  const lines = ([root.InvoiceLine].flat().filter(Boolean) as Node[]).slice(0, MAX_E_INVOICE_LINES);
  return {
    syntax: 'ubl',
    fields: fieldsOf({
      invoiceNumber: textAt(root, 'ID'),
      invoiceDate: isoDate(textAt(root, 'IssueDate')),
      dueDate: isoDate(textAt(root, 'DueDate')),
      purchaseOrder: textAt(root, 'OrderReference', 'ID'),
      vendorName:
        textAt(supplier, 'PartyLegalEntity', 'RegistrationName') ??
        textAt(supplier, 'PartyName', 'Name'),
      vendorTaxId: textAt(supplier, 'PartyTaxScheme', 'CompanyID'),
      customerName:
        textAt(customer, 'PartyLegalEntity', 'RegistrationName') ??
        textAt(customer, 'PartyName', 'Name'),
      currency: textAt(root, 'DocumentCurrencyCode'),
      subtotal: decimal(textAt(totals, 'TaxExclusiveAmount')),
      taxAmount: decimal(textAt(root, 'TaxTotal', 'TaxAmount')),
      totalAmount: decimal(textAt(totals, 'TaxInclusiveAmount')),
    }),
    lineItems: lines.map((line) =>
      lineItemOf({
        description: textAt(line, 'Item', 'Name'),
        quantity: decimal(textAt(line, 'InvoicedQuantity')),
        unitPrice: decimal(textAt(line, 'Price', 'PriceAmount')),
        amount: decimal(textAt(line, 'LineExtensionAmount')),
      }),
    ),
  };
}

/**
 * The tax total in the invoice's currency: CII repeats TaxTotalAmount in the tax currency when
 * that differs (BT-111), each with its currencyID.
 */
function ciiTaxTotal(totals: Node | undefined, currency: string | undefined): string | undefined {
  const candidates = [totals?.TaxTotalAmount].flat().filter((value) => value !== undefined);
  const inCurrency = candidates.find(
    (value) =>
      typeof value !== 'object' ||
      (value as Node)['@_currencyID'] === undefined ||
      (value as Node)['@_currencyID'] === currency,
  );
  return textAt({ value: inCurrency ?? candidates[0] }, 'value');
}

function schemeOf(registration: Node): unknown {
  return node(registration, 'ID')?.['@_schemeID'];
}

function lineItemOf(item: EInvoiceLineItem): EInvoiceLineItem {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}
