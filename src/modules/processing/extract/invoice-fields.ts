import type {
  Box,
  ConsistencyCheck,
  ExtractedField,
  ExtractedFields,
  RecognizedPage,
  RecognizedWord,
} from '../processing.types.js';
import { detectNumberFormat, findAmounts, type NumberFormat } from './amounts.js';
import { applyCheckPenalties, runConsistencyChecks } from './consistency.js';
import { detectCurrency, findCurrencyMentions } from './currency.js';
import { detectDateOrder, findDates, type DateOrder } from './dates.js';
import { findLabels, type LabelField, type LabelMatch } from './field-labels.js';
import {
  bottom,
  centerX,
  centerY,
  meanConfidence,
  onSameRow,
  overlapsHorizontally,
  roundConfidence,
  unionBox,
} from './geometry.js';
import {
  medianWordHeight,
  pageWords,
  toSegments,
  wordsInSpan,
  type TextSegment,
} from './layout.js';
import { findTableBounds } from './line-items.js';

export interface ExtractInvoiceFieldsOptions {
  /** Amounts of the line items (from `extractLineItems`), for the subtotal check. */
  lineAmounts?: readonly number[];
}

export interface InvoiceFieldsResult {
  fields: ExtractedFields;
  checks: ConsistencyCheck[];
}

/**
 * How much a rule is trusted, multiplied into the value words' confidence: a value on its
 * label's row is the norm; one under the label is a layout guess; the vendor taken from the top
 * of the page is a heuristic.
 */
export const RULE_WEIGHTS = {
  sameRow: 1,
  below: 0.9,
  topOfPage: 0.7,
} as const;

/** A value under its label may sit at most this many line heights lower. */
const MAX_BELOW_GAP_FACTOR = 2;

interface PageContext {
  segments: TextSegment[];
  /** Labels per segment, parallel to `segments`. */
  labels: LabelMatch[][];
  /** Whether each segment lies in the line-item table, parallel to `segments`. */
  inTable: boolean[];
  format: NumberFormat | undefined;
  dateOrder: DateOrder | undefined;
  lineHeight: number;
}

/** A value found in a piece of text, with its span in that text. */
interface Found {
  value: string | number;
  start: number;
  end: number;
}

type Reader = (text: string, context: PageContext, label: LabelMatch) => Found[];

interface FieldRule {
  read: Reader;
  /** Amounts take the rightmost one on the line (the total, not a rate or quantity). */
  pick: 'first' | 'last';
  /** Whether a value may be taken from later cells on the label's row (not for names). */
  nextOnRow: boolean;
  /**
   * Whether a value may be taken from the line under the label. Not for amounts: a "Total"
   * heading a column has the first item's amount under it, and summaries put amounts on the
   * label's row.
   */
  below: boolean;
  /**
   * Whether the value may run past a following label in its cell. Only tax ids: their strict
   * pattern cannot swallow another value, and their suffixes (`MWST`, `TVA`) are tax labels.
   */
  readsPastLabels?: true;
}

interface Candidate {
  value: string | number;
  words: RecognizedWord[];
  weight: number;
  rank: number;
  /** Reading-order position of the label, to prefer the first of equals. */
  order: number;
}

const LEADING_PUNCTUATION = /^[\s:;#.\-–|]*/u;

const readDate: Reader = (text, context) => findDates(text, context.dateOrder);

const readAmount: Reader = (text, context) => findAmounts(text, context.format);

/** The first token after the label, if it has a digit: `INV-2024-0042`, `2024/00042`, `4500`. */
const readIdentifier: Reader = (text) => {
  const skipped = (LEADING_PUNCTUATION.exec(text)?.[0] ?? '').length;
  const token = /^[\p{L}\p{N}](?:[\p{L}\p{N}\-/._]*[\p{L}\p{N}])?/u.exec(text.slice(skipped))?.[0];
  return token !== undefined && /\d/.test(token)
    ? [{ value: token, start: skipped, end: skipped + token.length }]
    : [];
};

/**
 * A tax identifier: an optional letter prefix, then digit groups (`GB123456789`, `DE 123 456
 * 789`, `CHE-123.456.789 MWST`, `12-3456789`), with at least 6 digits. After a bare `VAT` label
 * (rank 1) a country prefix is required, since `VAT 20%` introduces the tax amount instead.
 */
const readTaxId: Reader = (text, _context, label) => {
  const skipped = (LEADING_PUNCTUATION.exec(text)?.[0] ?? '').length;
  const match =
    /^(?:[A-Z]{1,4}[ -]?)?\d[\dA-Z\-./]*(?: \d[\dA-Z\-./]*)*(?: (?:MWST|TVA|IVA))?/u.exec(
      text.slice(skipped),
    );
  const id = match?.[0].replace(/[.\-/]+$/, '');
  const digits = id?.replace(/\D/g, '').length ?? 0;
  const prefixed = id !== undefined && /^[A-Z]{2}/.test(id);
  if (id === undefined || digits < 6 || (label.rank > 0 && !prefixed)) {
    return [];
  }
  return [{ value: id, start: skipped, end: skipped + id.length }];
};

/** The rest of the line as a name, if it has letters (`Contoso Retail Ltd`). */
const readName: Reader = (text) => {
  const start = (LEADING_PUNCTUATION.exec(text)?.[0] ?? '').length;
  const name = text.slice(start).replace(/[\s,;:|]+$/u, '');
  const letters = name.match(/\p{L}/gu)?.length ?? 0;
  return letters >= 2 ? [{ value: name, start, end: start + name.length }] : [];
};

const amountRule: FieldRule = { read: readAmount, pick: 'last', nextOnRow: true, below: false };
const dateRule: FieldRule = { read: readDate, pick: 'first', nextOnRow: true, below: true };
const idRule: FieldRule = { read: readIdentifier, pick: 'first', nextOnRow: true, below: true };
// A name's next cell on the row is as likely another column ("Bill To:  |  Acme Ltd", the vendor
// block) as the name itself, and any text passes as a name, so names are read in the label's own
// cell or under it only.
const nameRule: FieldRule = { read: readName, pick: 'first', nextOnRow: false, below: true };

const FIELD_RULES: Readonly<Record<LabelField, FieldRule>> = {
  invoiceNumber: idRule,
  invoiceDate: dateRule,
  dueDate: dateRule,
  purchaseOrder: idRule,
  vendorTaxId: {
    read: readTaxId,
    pick: 'first',
    nextOnRow: true,
    below: true,
    readsPastLabels: true,
  },
  customerName: nameRule,
  vendorName: nameRule,
  subtotal: amountRule,
  taxAmount: amountRule,
  totalAmount: amountRule,
};

/** The text a label introduces on its own line: up to the next label or the segment end. */
function labelRegion(context: PageContext, segmentIndex: number, label: LabelMatch) {
  const segment = context.segments[segmentIndex];
  const next = (context.labels[segmentIndex] ?? []).find((other) => other.start >= label.end);
  const end =
    FIELD_RULES[label.field].readsPastLabels === true
      ? segment.text.length
      : (next?.start ?? segment.text.length);
  return { segment, start: label.end, end, toSegmentEnd: next === undefined };
}

/** Text before the first label of a segment: what a neighbouring cell offers as a value. */
function unlabelledPrefix(context: PageContext, segmentIndex: number): string {
  const segment = context.segments[segmentIndex];
  return segment.text.slice(0, context.labels[segmentIndex]?.[0]?.start ?? segment.text.length);
}

/** Words and value of a `Found` at `offset` in `segment`. */
function located(segment: TextSegment, offset: number, found: Found) {
  return {
    value: found.value,
    words: wordsInSpan(segment, offset + found.start, offset + found.end),
  };
}

/**
 * The cells right of `segmentIndex` on its row, up to the next one that starts with a label
 * (which introduces a value of its own).
 */
function rowNeighbours(context: PageContext, segmentIndex: number): number[] {
  const segment = context.segments[segmentIndex];
  const neighbours: number[] = [];
  for (let index = segmentIndex + 1; index < context.segments.length; index += 1) {
    const next = context.segments[index];
    if (!onSameRow(segment.box, next.box) || context.labels[index]?.[0]?.start === 0) {
      break;
    }
    neighbours.push(index);
    if ((context.labels[index] ?? []).length > 0) {
      break;
    }
  }
  return neighbours;
}

/** The nearest segment under `labelBox` that shares some of its horizontal extent. */
function segmentBelow(context: PageContext, labelBox: Box): number | undefined {
  const maxGap = MAX_BELOW_GAP_FACTOR * context.lineHeight;
  let best: { index: number; gap: number; offset: number } | undefined;
  context.segments.forEach((segment, index) => {
    const gap = segment.box.y - bottom(labelBox);
    const isBelow = centerY(segment.box) > bottom(labelBox) && gap <= maxGap;
    if (!isBelow || !overlapsHorizontally(segment.box, labelBox)) {
      return;
    }
    const offset = Math.abs(centerX(segment.box) - centerX(labelBox));
    if (best === undefined || gap < best.gap || (gap === best.gap && offset < best.offset)) {
      best = { index, gap, offset };
    }
  });
  return best?.index;
}

/** The value under a label: in the nearest line below, the one closest to the label's centre. */
function valueBelow(context: PageContext, rule: FieldRule, label: LabelMatch, labelBox: Box) {
  const index = segmentBelow(context, labelBox);
  if (index === undefined) {
    return undefined;
  }
  const segment = context.segments[index];
  const values = rule
    .read(unlabelledPrefix(context, index), context, label)
    .map((found) => located(segment, 0, found))
    .filter((value) => value.words.length > 0);
  const distance = (words: RecognizedWord[]): number =>
    Math.abs(centerX(unionBox(words.map((w) => w.box)) as Box) - centerX(labelBox));
  return values.sort((a, b) => distance(a.words) - distance(b.words))[0];
}

/**
 * Values on the label's row: after it in its own cell and, when no other label follows it there,
 * in the next cells of the row (a label and its value are often set far apart).
 */
function valuesOnRow(context: PageContext, segmentIndex: number, label: LabelMatch) {
  const rule = FIELD_RULES[label.field];
  const region = labelRegion(context, segmentIndex, label);
  const text = region.segment.text.slice(region.start, region.end);
  const values = rule
    .read(text, context, label)
    .map((found) => located(region.segment, region.start, found));
  const neighbours =
    rule.nextOnRow && region.toSegmentEnd ? rowNeighbours(context, segmentIndex) : [];
  for (const index of neighbours) {
    const segment = context.segments[index];
    values.push(
      ...rule
        .read(unlabelledPrefix(context, index), context, label)
        .map((f) => located(segment, 0, f)),
    );
  }
  return { values, ownText: text.replace(LEADING_PUNCTUATION, '').trim() };
}

/**
 * The value a label introduces: on its row (the first, or for amounts the rightmost); else,
 * when nothing follows the label in its cell, under it. A label followed by text that is no
 * valid value ("Due: upon receipt") has none: looking below would only find someone else's.
 */
function valueFor(
  context: PageContext,
  segmentIndex: number,
  label: LabelMatch,
): Omit<Candidate, 'rank' | 'order'> | undefined {
  const rule = FIELD_RULES[label.field];
  const { values, ownText } = valuesOnRow(context, segmentIndex, label);
  const onRow = rule.pick === 'first' ? values[0] : values.at(-1);
  if (onRow !== undefined) {
    return { ...onRow, weight: RULE_WEIGHTS.sameRow };
  }
  if (ownText !== '' || !rule.below) {
    return undefined;
  }
  const segment = context.segments[segmentIndex];
  const labelBox = unionBox(wordsInSpan(segment, label.start, label.end).map((w) => w.box)) as Box;
  const below = valueBelow(context, rule, label, labelBox);
  return below === undefined ? undefined : { ...below, weight: RULE_WEIGHTS.below };
}

/** Best first: most specific label, then the most trusted rule, then reading order. */
function best(candidates: readonly Candidate[]): Candidate | undefined {
  return [...candidates].sort(
    (a, b) => a.rank - b.rank || b.weight - a.weight || a.order - b.order,
  )[0];
}

function toField(candidate: Candidate): ExtractedField {
  const field: ExtractedField = {
    value: candidate.value,
    confidence: roundConfidence(meanConfidence(candidate.words) * candidate.weight),
  };
  const box = unionBox(candidate.words.map((word) => word.box));
  if (box !== undefined) {
    field.boundingBox = box;
  }
  return field;
}

/** Every label's value, grouped by field. */
function labelledCandidates(context: PageContext): Map<LabelField, Candidate[]> {
  const byField = new Map<LabelField, Candidate[]>();
  context.labels.forEach((labels, segmentIndex) => {
    for (const label of labels) {
      const value = valueFor(context, segmentIndex, label);
      if (value !== undefined && value.words.length > 0) {
        const list = byField.get(label.field) ?? [];
        list.push({ ...value, rank: label.rank, order: segmentIndex });
        byField.set(label.field, list);
      }
    }
  });
  return byField;
}

/** An "INVOICE"-style document title, which is never the vendor's name. */
const DOCUMENT_TITLE =
  /^(?:(?:tax|vat|commercial|pro-?forma)\s+)?(?:invoice|rechnung|facture|factura|fattura|receipt|credit\s+note|bill)$/iu;

/**
 * Could this line be a company name? Not in the item table, no labels, not the title, no
 * digits (addresses, numbers), no e-mail or web address.
 */
function isNameLine(context: PageContext, segmentIndex: number): boolean {
  const text = context.segments[segmentIndex].text.trim();
  const bare = text.replace(/[^\p{L}\s-]/gu, '').trim();
  return (
    context.inTable[segmentIndex] === false &&
    (context.labels[segmentIndex] ?? []).length === 0 &&
    !DOCUMENT_TITLE.test(bare) &&
    !/\d|@|www\.|https?:/iu.test(text) &&
    (text.match(/\p{L}/gu)?.length ?? 0) >= 2
  );
}

/**
 * The vendor when no label names it: invoices open with the sender's name. Taken from the top
 * 40% of the text, above the customer's label, skipping titles, labels, addresses and whatever
 * is already another field's value.
 */
function vendorFromTop(
  context: PageContext,
  usedWords: ReadonlySet<RecognizedWord>,
  customerLabelTop: number | undefined,
): Candidate | undefined {
  const tops = context.segments.map((segment) => segment.box.y);
  const limit = Math.min(...tops) + 0.4 * (Math.max(...tops) - Math.min(...tops));
  const index = context.segments.findIndex(
    (segment, i) =>
      segment.box.y <= limit &&
      (customerLabelTop === undefined || segment.box.y < customerLabelTop) &&
      segment.words.every((word) => !usedWords.has(word)) &&
      isNameLine(context, i),
  );
  if (index === -1) {
    return undefined;
  }
  const segment = context.segments[index];
  return {
    value: segment.text.trim(),
    words: segment.words,
    weight: RULE_WEIGHTS.topOfPage,
    rank: 0,
    order: index,
  };
}

/** The currency, with the words of its first mention as evidence. */
function currencyField(context: PageContext): ExtractedField | undefined {
  const texts = context.segments.map((segment) => segment.text);
  const code = detectCurrency(texts.join('\n'))?.code;
  if (code === undefined) {
    return undefined;
  }
  // Mentions are found per segment, but `$` is resolved against the whole page (CAD pages).
  const pageMentions = findCurrencyMentions(texts.join('\n'));
  let offset = 0;
  for (const segment of context.segments) {
    const end = offset + segment.text.length;
    const mention = pageMentions.find((m) => m.code === code && m.start >= offset && m.end <= end);
    if (mention !== undefined) {
      const words = wordsInSpan(segment, mention.start - offset, mention.end - offset);
      return toField({ value: code, words, weight: RULE_WEIGHTS.sameRow, rank: 0, order: 0 });
    }
    offset = end + 1;
  }
  return undefined;
}

/** Segments, labels (none inside the item table) and the page's number and date formats. */
function pageContext(page: RecognizedPage): PageContext {
  const segments = toSegments(page);
  const table = findTableBounds(page);
  const inTable = (segment: TextSegment): boolean =>
    table !== undefined &&
    centerY(segment.box) >= table.top &&
    centerY(segment.box) <= table.bottom;
  const texts = segments.map((segment) => segment.text);
  const format = detectNumberFormat(texts);
  return {
    segments,
    labels: segments.map((segment) => (inTable(segment) ? [] : findLabels(segment.text))),
    inTable: segments.map(inTable),
    format,
    // Pages with decimal commas write day-first dates, unless their own dates say otherwise.
    dateOrder: detectDateOrder(texts) ?? (format === 'comma-decimal' ? 'dmy' : undefined),
    lineHeight: medianWordHeight(pageWords(page)),
  };
}

/** The top of the first customer label, above which the vendor is looked for. */
function customerLabelTop(context: PageContext): number | undefined {
  const index = context.labels.findIndex((labels) =>
    labels.some((label) => label.field === 'customerName'),
  );
  return index === -1 ? undefined : context.segments[index].box.y;
}

/**
 * Reads invoice header and summary fields from a page's OCR output by printed labels, then
 * cross-checks them. Each field's confidence is the mean confidence of its value's words times
 * the weight of the rule that found it, halved for every consistency check it fails.
 */
export function extractInvoiceFields(
  page: RecognizedPage,
  options: ExtractInvoiceFieldsOptions = {},
): InvoiceFieldsResult {
  const context = pageContext(page);
  const fields: ExtractedFields = {};
  const usedWords = new Set<RecognizedWord>();
  for (const [field, candidates] of labelledCandidates(context)) {
    const chosen = best(candidates);
    if (chosen !== undefined) {
      fields[field] = toField(chosen);
      chosen.words.forEach((word) => usedWords.add(word));
    }
  }
  if (fields.vendorName === undefined) {
    const vendor = vendorFromTop(context, usedWords, customerLabelTop(context));
    if (vendor !== undefined) {
      fields.vendorName = toField(vendor);
    }
  }
  const currency = currencyField(context);
  if (currency !== undefined) {
    fields.currency = currency;
  }
  const checks = runConsistencyChecks(fields, options.lineAmounts);
  return { fields: applyCheckPenalties(fields, checks), checks };
}
