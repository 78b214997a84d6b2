import { XMLBuilder } from 'fast-xml-parser';
import {
  fieldValue,
  type ExportableInvoice,
  type ExportableLineItem,
  type InvoiceFieldName,
} from './exportable-invoice.js';

const NAMESPACES = {
  '@_xmlns': 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  '@_xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  '@_xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
};

/** The EN 16931 core specification, which the document claims to follow (BT-24). */
const CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017';
/** UNTDID 1001 code 380: commercial invoice (BT-3). */
const COMMERCIAL_INVOICE = '380';
/** UN/ECE Rec 20 "one": the unit of a quantity, whose unit is not read (BT-130). */
const UNIT_ONE = 'C62';

/**
 * EN 16931 business terms that a valid invoice needs and that reading a page does not give us.
 * They are always reported missing; the header fields we could not read are added per invoice.
 */
const NEVER_READ = [
  { term: 'BT-40', name: "seller's country code" },
  { term: 'BT-55', name: "buyer's country code" },
  { term: 'BT-118', name: 'VAT category code' },
  { term: 'BT-151', name: "invoiced item's VAT category code" },
];

/** The business term each field fills, for the list of what stayed empty. */
const FIELD_TERMS: Partial<Record<InvoiceFieldName, string>> = {
  invoiceNumber: 'BT-1',
  invoiceDate: 'BT-2',
  dueDate: 'BT-9',
  currency: 'BT-5',
  purchaseOrder: 'BT-13',
  vendorName: 'BT-27',
  vendorTaxId: 'BT-31',
  customerName: 'BT-44',
  subtotal: 'BT-109',
  taxAmount: 'BT-110',
  totalAmount: 'BT-112',
};

export interface UblDocument {
  xml: string;
  /** EN 16931 business terms (`BT-n`) the document could not fill, in term order. */
  missingBusinessTerms: string[];
}

type Element = Record<string, unknown>;

const text = (value: string | number | null | undefined): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : String(value);

/** An amount with its currency, as UBL wants every amount (`currencyID`), 2 decimals. */
function amount(value: unknown, currency: string | undefined): Element | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return undefined;
  }
  return { '#text': value.toFixed(2), ...(currency && { '@_currencyID': currency }) };
}

/** Drops absent members so that no empty element is written. */
function compact(element: Element): Element {
  return Object.fromEntries(Object.entries(element).filter(([, value]) => value !== undefined));
}

function party(name: string | undefined, taxId: string | undefined): Element {
  return {
    'cac:Party': compact({
      'cac:PartyTaxScheme': taxId
        ? { 'cbc:CompanyID': taxId, 'cac:TaxScheme': { 'cbc:ID': 'VAT' } }
        : undefined,
      'cac:PartyLegalEntity': name ? { 'cbc:RegistrationName': name } : undefined,
    }),
  };
}

function invoiceLine(
  item: ExportableLineItem,
  index: number,
  currency: string | undefined,
): Element {
  // What a line lacks is left out (and listed as missing), never made up.
  return compact({
    'cbc:ID': String(index + 1),
    'cbc:InvoicedQuantity':
      typeof item.quantity === 'number'
        ? { '#text': String(item.quantity), '@_unitCode': UNIT_ONE }
        : undefined,
    'cbc:LineExtensionAmount': amount(item.amount, currency),
    'cac:Item': compact({ 'cbc:Name': text(item.description) }),
    'cac:Price':
      item.unitPrice !== null && item.unitPrice !== undefined
        ? { 'cbc:PriceAmount': amount(item.unitPrice, currency) }
        : undefined,
  });
}

/**
 * A UBL 2.1 `Invoice` with the EN 16931 elements the assembled invoice has: ID, dates, currency,
 * order reference, supplier (name, VAT id), customer name, tax total, monetary totals and one
 * `InvoiceLine` per line item, in the schema's element order. Amounts carry `currencyID`.
 * What could not be filled is listed in `missingBusinessTerms`, not invented.
 */
export function toUblInvoice(invoice: ExportableInvoice): UblDocument {
  const value = (name: InvoiceFieldName): string | undefined => text(fieldValue(invoice, name));
  const currency = value('currency');
  // BT-106 is the sum of the line amounts: when every line has one; else the subtotal.
  const lineTotal = invoice.lineItems.reduce((sum, item) => sum + (item.amount ?? 0), 0);
  const linesHaveAmounts =
    invoice.lineItems.length > 0 &&
    invoice.lineItems.every((item) => typeof item.amount === 'number');
  const subtotal = fieldValue(invoice, 'subtotal');
  const total = fieldValue(invoice, 'totalAmount');
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Invoice: compact({
      ...NAMESPACES,
      'cbc:CustomizationID': CUSTOMIZATION_ID,
      'cbc:ID': value('invoiceNumber'),
      'cbc:IssueDate': value('invoiceDate'),
      'cbc:DueDate': value('dueDate'),
      'cbc:InvoiceTypeCode': COMMERCIAL_INVOICE,
      'cbc:DocumentCurrencyCode': currency,
      'cac:OrderReference': value('purchaseOrder')
        ? { 'cbc:ID': value('purchaseOrder') }
        : undefined,
      'cac:AccountingSupplierParty': party(value('vendorName'), value('vendorTaxId')),
      'cac:AccountingCustomerParty': party(value('customerName'), undefined),
      'cac:TaxTotal': amount(fieldValue(invoice, 'taxAmount'), currency)
        ? { 'cbc:TaxAmount': amount(fieldValue(invoice, 'taxAmount'), currency) }
        : undefined,
      'cac:LegalMonetaryTotal': compact({
        'cbc:LineExtensionAmount': amount(
          linesHaveAmounts ? round2(lineTotal) : subtotal,
          currency,
        ),
        'cbc:TaxExclusiveAmount': amount(subtotal, currency),
        'cbc:TaxInclusiveAmount': amount(total, currency),
        'cbc:PayableAmount': amount(total, currency),
      }),
      'cac:InvoiceLine':
        invoice.lineItems.length > 0
          ? invoice.lineItems.map((item, index) => invoiceLine(item, index, currency))
          : undefined,
    }),
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
  });
  return { xml: builder.build(document), missingBusinessTerms: missingTerms(invoice) };
}

function missingTerms(invoice: ExportableInvoice): string[] {
  const missing = new Set(NEVER_READ.map(({ term }) => term));
  for (const [name, term] of Object.entries(FIELD_TERMS)) {
    if (text(fieldValue(invoice, name as InvoiceFieldName)) === undefined) {
      missing.add(term);
    }
  }
  if (invoice.lineItems.length === 0) {
    missing.add('BG-25');
  }
  const lineTerms: Array<[keyof ExportableLineItem, string]> = [
    ['quantity', 'BT-129'],
    ['amount', 'BT-131'],
    ['description', 'BT-153'],
  ];
  for (const [member, term] of lineTerms) {
    if (invoice.lineItems.some((item) => text(item[member]) === undefined)) {
      missing.add(term);
    }
  }
  return [...missing].sort(byTermNumber);
}

function byTermNumber(a: string, b: string): number {
  const number = (term: string): number => Number(term.replace(/^B[TG]-/, ''));
  return a.slice(0, 2).localeCompare(b.slice(0, 2)) || number(a) - number(b);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
