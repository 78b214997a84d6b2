import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { InvoiceFieldName } from '../../invoice-export/exportable-invoice.js';

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
 * `zugferd-invoice.xml`), ZUGFeRD 1 (`ZUGFeRD-invoice.xml`) and XRechnung (`xrechnung.xml`).
 * Any other `.xml` attachment is read too when its root is an invoice.
 */
export const E_INVOICE_FILE_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

/** Larger XML is not an invoice we read (and not one worth parsing in the processing thread). */
export const MAX_E_INVOICE_BYTES = 5 * 1024 * 1024;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay text: amounts are parsed below, and an invoice number like 00123 keeps its zeros.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'IncludedSupplyChainTradeLineItem' || name === 'InvoiceLine',
});

/** The first embedded e-invoice among a PDF's attachments, preferring the standard names. */
export function findEInvoice(
  attachments: { filename: string; content: Uint8Array }[],
): EInvoice | undefined {
  const ranked = [...attachments].sort((a, b) => rank(a.filename) - rank(b.filename));
  for (const attachment of ranked) {
    if (!attachment.filename.toLowerCase().endsWith('.xml')) {
      continue;
    }
    const invoice = readEInvoice(Buffer.from(attachment.content).toString('utf8'));
    if (invoice) {
      return invoice;
    }
  }
  return undefined;
}

function rank(filename: string): number {
  const index = E_INVOICE_FILE_NAMES.indexOf(filename.toLowerCase());
  return index === -1 ? E_INVOICE_FILE_NAMES.length : index;
}

/**
 * Reads a CII (`CrossIndustryInvoice`: Factur-X, ZUGFeRD, XRechnung CII) or UBL (`Invoice`)
 * document. Undefined when the text is not well-formed XML, too large, or not an invoice.
 */
export function readEInvoice(xml: string): EInvoice | undefined {
  if (xml.length > MAX_E_INVOICE_BYTES || XMLValidator.validate(xml) !== true) {
    return undefined;
  }
  let document: Node;
  try {
    document = parser.parse(xml) as Node;
  } catch {
    return undefined;
  }
  const cii = node(document, 'CrossIndustryInvoice');
  if (cii) {
    return readCii(cii);
  }
  const ubl = node(document, 'Invoice');
  return ubl ? readUbl(ubl) : undefined;
}

function node(parent: unknown, ...path: string[]): Node | undefined {
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
  return typeof current === 'object' && current !== null ? (current as Node) : undefined;
}

function textAt(parent: unknown, ...path: string[]): string | undefined {
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
  if (typeof current === 'object' && current !== null) {
    current = (current as Node)['#text'];
  }
  const value = typeof current === 'string' ? current.trim() : undefined;
  return value === '' ? undefined : value;
}

/** XML decimals (`1234.50`, `-3`); anything else is no amount. */
function decimal(value: string | undefined): number | undefined {
  return value !== undefined && /^[+-]?\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
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
  const lines = [transaction?.IncludedSupplyChainTradeLineItem].flat().filter(Boolean) as Node[];
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
      taxAmount: decimal(textAt(totals, 'TaxTotalAmount')),
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
  const lines = [root.InvoiceLine].flat().filter(Boolean) as Node[];
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

function schemeOf(registration: Node): unknown {
  return node(registration, 'ID')?.['@_schemeID'];
}

function lineItemOf(item: EInvoiceLineItem): EInvoiceLineItem {
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}
