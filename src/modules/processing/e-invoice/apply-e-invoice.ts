import { FieldSource } from '../../ocr-pages/ocr-page.enums.js';
import { runConsistencyChecks } from '../extract/consistency.js';
import type {
  ConsistencyCheck,
  ExtractedField,
  ExtractedFields,
  InvoiceFieldName,
} from '../processing.types.js';
import type { EInvoiceFinding, EInvoiceLineItem, EInvoiceSyntax } from './read-e-invoice.js';

/** The e-invoice a page's document embeds, as stored on the page that read it. */
export interface PageEInvoice {
  /** The attachment's name, e.g. `factur-x.xml`. */
  fileName: string;
  syntax: EInvoiceSyntax;
  lineItems: EInvoiceLineItem[];
}

/** A page's fields and checks once its document's e-invoice (if any) is taken into account. */
export interface WithEInvoice {
  fields: ExtractedFields;
  checks: ConsistencyCheck[];
  eInvoice?: PageEInvoice;
}

/** Text compared as printed: case, spaces and punctuation aside (`DE 123 456 789` = `DE123456789`). */
function comparable(value: string | number): string {
  return typeof value === 'number'
    ? value.toFixed(2)
    : value
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]/gu, '');
}

function agree(a: string | number, b: string | number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) < 0.005;
  }
  return comparable(a) === comparable(b);
}

/**
 * The e-invoice's values replace the reading's: each field it gives is `{value, confidence: 1,
 * source: 'e-invoice'}` (with the box where the page prints the same value), the reading keeps
 * the fields the e-invoice lacks. The reading then only cross-checks: a field read differently
 * on the page is reported by the `eInvoiceMatchesPage` check, never taken. The arithmetic checks
 * run over the e-invoice's values and lower no confidence. An e-invoice attachment that could not
 * be read leaves the reading as it is, with an `eInvoiceRead` check saying why.
 */
export function applyEInvoice(
  reading: { fields: ExtractedFields; checks: ConsistencyCheck[] },
  finding: EInvoiceFinding | undefined,
): WithEInvoice {
  if (!finding) {
    return reading;
  }
  if (finding.kind === 'unreadable') {
    return {
      ...reading,
      checks: [
        ...reading.checks,
        {
          name: 'eInvoiceRead',
          passed: false,
          detail: `the embedded e-invoice ${finding.fileName} was not read (${finding.reason}); the fields are read from the page`,
          fields: [],
        },
      ],
    };
  }
  const { invoice, fileName } = finding;
  const fields: ExtractedFields = { ...reading.fields };
  const disagreements: string[] = [];
  let compared = 0;
  for (const [name, value] of Object.entries(invoice.fields) as Array<
    [InvoiceFieldName, string | number]
  >) {
    const read: ExtractedField | undefined = reading.fields[name];
    const same = read !== undefined && agree(read.value, value);
    if (read !== undefined) {
      compared += 1;
      if (!same) {
        disagreements.push(`${name}: the page reads ${read.value}, the e-invoice says ${value}`);
      }
    }
    fields[name] = {
      value,
      confidence: 1,
      source: FieldSource.EInvoice,
      ...(same && read.boundingBox && { boundingBox: read.boundingBox }),
    };
  }
  const lineAmounts = invoice.lineItems.flatMap((item) =>
    item.amount === undefined ? [] : [item.amount],
  );
  const arithmetic = runConsistencyChecks(
    fields,
    lineAmounts.length > 0 ? lineAmounts : undefined,
  ).map((check) => ({ ...check, fields: [] }));
  const crossCheck: ConsistencyCheck = {
    name: 'eInvoiceMatchesPage',
    passed: disagreements.length === 0,
    detail:
      disagreements.length > 0
        ? `${fileName} and the page differ: ${disagreements.join('; ')}`
        : compared > 0
          ? `the ${compared} field(s) read on the page agree with ${fileName}`
          : `no field of ${fileName} was read on the page to compare`,
    fields: [],
  };
  return {
    fields,
    checks: [...arithmetic, crossCheck],
    eInvoice: { fileName, syntax: invoice.syntax, lineItems: invoice.lineItems },
  };
}
