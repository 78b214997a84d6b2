import type {
  Box,
  ConsistencyCheck,
  ExtractedField,
  ExtractedFields,
  RecognizedPage,
  RecognizedWord,
} from '../processing.types.js';
import { detectNumberFormat, findAmounts, type NumberFormat } from './amounts.js';
import { applyCheckPenalties, FAILED_CHECK_FACTOR, runConsistencyChecks } from './consistency.js';
import {
  COUNTRY_CONFIDENCE,
  COUNTRY_CURRENCY,
  detectCurrency,
  findCurrencyMentions,
  issuerCountry,
} from './currency.js';
import { isDocumentTitle, LEGAL_FORM, stripTitle, tidyName } from './issuer.js';
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
import { extractLineItems, type LineItemsResult } from './line-items.js';
import { oneMisreadApart } from './misread.js';
import { checkTaxId, timesPrinted } from './tax-id.js';

export interface ExtractInvoiceFieldsOptions {
  /**
   * The page's line-item table (from `extractLineItems`): its amounts for the subtotal check,
   * its extent to ignore labels inside it. Located here when not given.
   */
  lineItems?: LineItemsResult;
  /** The page's language (ISO 639-1), when known: settles date order. */
  language?: string;
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

/** The highest confidence of an amount that no arithmetic check confirmed. */
export const UNCONFIRMED_CAP = 0.85;

/**
 * The most a repaired value is trusted: an amount derived from the other two (see
 * `repairMoney`), a date whose year was read with a look-alike digit.
 */
export const REPAIRED_CAP = 0.8;

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
  /** The most this value is trusted: it was repaired from a misread (a date's year). */
  cap?: number;
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
  /**
   * Whether a value under the label may start at any word under it. A row of label columns has
   * its values on the next row, which OCR often takes as one segment (`INV76453 16 décembre 2024
   * B1207`). Not for names: part of a name under a narrow label is no name.
   */
  startsUnderLabel?: true;
}

interface Candidate {
  value: string | number;
  words: RecognizedWord[];
  weight: number;
  cap?: number;
  rank: number;
  /** Reading-order position of the label, to prefer the first of equals. */
  order: number;
}

/** What stands between a label and its value: separators, and specks OCR read as a bracket or a quote. */
const LEADING_PUNCTUATION = /^[\s:;#.\-–|[({‘’'"]*/u;

/** Dates; one whose year was repaired from a look-alike misread keeps at most REPAIRED_CAP. */
const readDate: Reader = (text, context) =>
  findDates(text, context.dateOrder).map((date) =>
    date.repairedYear === true ? { ...date, cap: REPAIRED_CAP } : date,
  );

const readAmount: Reader = (text, context) => findAmounts(text, context.format);

/** The first token after the label, if it has a digit: `INV-2024-0042`, `2024/00042`, `4500`. */
const readIdentifier: Reader = (text) => {
  const skipped = (LEADING_PUNCTUATION.exec(text)?.[0] ?? '').length;
  const token = /^[\p{L}\p{N}](?:[\p{L}\p{N}\-/._]*[\p{L}\p{N}])?/u.exec(text.slice(skipped))?.[0];
  return token !== undefined && /\d/.test(token)
    ? [{ value: identifierAsPrinted(token), start: skipped, end: skipped + token.length }]
    : [];
};

/**
 * An identifier with OCR's O/0 and I/1 confusions undone where its parts say which was printed: a
 * short letter part with a zero in it (`P0-48207` → `PO-48207`) or opening with a one
 * (`1NV-2023-48931` → `INV-2023-48931`), and a number part with a letter O in it (`INV-2O24-001`
 * → `INV-2024-001`). Mixed parts (`B2O41`, `A1`) are left as read.
 */
export function identifierAsPrinted(token: string): string {
  return token
    .split(/([-/._])/)
    .map((part) => {
      if (/^[A-Z0]{2,4}$/.test(part) && /[A-Z]/.test(part) && part.includes('0')) {
        return part.replace(/0/g, 'O');
      }
      if (/^1[A-Z]{2,3}$/.test(part)) {
        return `I${part.slice(1)}`;
      }
      if (/^[\dO]+$/.test(part) && /\d/.test(part) && part.includes('O')) {
        return part.replace(/O/g, '0');
      }
      return part;
    })
    .join('');
}

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
  // OCR spaces out the groups of a dotted id (`BE0816. 983. 341`): a space after a mark goes.
  const id = match?.[0].replace(/[.\-/]+$/, '').replace(/(?<=[.\-/]) (?=\d)/g, '');
  const digits = id?.replace(/\D/g, '').length ?? 0;
  const prefixed = id !== undefined && /^[A-Z]{2}/.test(id);
  if (id === undefined || digits < 6 || (label.rank > 0 && !prefixed)) {
    return [];
  }
  return [{ value: id, start: skipped, end: skipped + id.length }];
};

/**
 * What OCR leaves around a name: quotes and dust read as punctuation (`‘Wisla Logistics`,
 * `Stad Gent -`). A name ends in a letter, a digit, `.` or `)`.
 */
const NAME_LEADING = /^[\s:;#.\-–—|‘’‚„“”'"«»*~©°]*/u;
const NAME_TRAILING = /[\s,;:|\-–—‘’‚„“”'"«»*~©°]+$/u;

/**
 * Whether a text has a word a name could be made of: three letters in a row, or an acronym in
 * capitals (`HP`, `BP`). Two lower-case letters (`Ve`, `en`, `de`) are OCR dust or a stray word.
 */
function isNameWord(text: string): boolean {
  return /\p{L}{3}|(?<!\p{L})\p{Lu}{2}(?!\p{L})/u.test(text);
}

/** The rest of the line as a name, if it has a word (`Contoso Retail Ltd`). */
const readName: Reader = (text) => {
  const start = (NAME_LEADING.exec(text)?.[0] ?? '').length;
  const name = text.slice(start).replace(NAME_TRAILING, '');
  return isNameWord(name) ? [{ value: name, start, end: start + name.length }] : [];
};

const amountRule: FieldRule = { read: readAmount, pick: 'last', nextOnRow: true, below: false };
const dateRule: FieldRule = {
  read: readDate,
  pick: 'first',
  nextOnRow: true,
  below: true,
  startsUnderLabel: true,
};
const idRule: FieldRule = {
  read: readIdentifier,
  pick: 'first',
  nextOnRow: true,
  below: true,
  startsUnderLabel: true,
};
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
    ...(found.cap === undefined ? {} : { cap: found.cap }),
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

/**
 * Text with fewer than three letters or digits (`n`, `=`, `Ve`, `_`): specks and edges OCR read
 * as characters, not a value, and no reason to stop looking for one.
 */
function isDust(text: string): boolean {
  return (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 3;
}

/** The nearest segment under `labelBox` that shares some of its horizontal extent (not dust). */
function segmentBelow(context: PageContext, labelBox: Box): number | undefined {
  const maxGap = MAX_BELOW_GAP_FACTOR * context.lineHeight;
  let best: { index: number; gap: number; offset: number } | undefined;
  context.segments.forEach((segment, index) => {
    if (isDust(segment.text)) {
      return;
    }
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
  const prefix = unlabelledPrefix(context, index);
  const starts = new Set([0]);
  if (rule.startsUnderLabel === true) {
    segment.words.forEach((word, wordIndex) => {
      const start = segment.wordStarts[wordIndex];
      if (start < prefix.length && overlapsHorizontally(word.box, labelBox)) {
        starts.add(start);
      }
    });
  }
  const values = [...starts]
    .flatMap((start) =>
      rule.read(prefix.slice(start), context, label).map((found) => located(segment, start, found)),
    )
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
  // A value in the label's own cell is its value; only a label standing alone reads on.
  const neighbours =
    rule.nextOnRow && region.toSegmentEnd && values.length === 0
      ? rowNeighbours(context, segmentIndex)
      : [];
  // The nearest cell with a value is the label's: text further along the row is another column.
  for (const index of neighbours) {
    const segment = context.segments[index];
    values.push(
      ...rule
        .read(unlabelledPrefix(context, index), context, label)
        .map((f) => located(segment, 0, f)),
    );
    if (values.length > 0) {
      break;
    }
  }
  return { values, ownText: text.replace(LEADING_PUNCTUATION, '').trim() };
}

/** Whether an amount was printed with decimals (`1.769,42`, `12.50`), not as a bare number. */
const hasDecimals = (words: readonly RecognizedWord[]): boolean =>
  /\d[.,]\d{2}(?!\d)/u.test(words.map((word) => word.text).join(' '));

/**
 * The rightmost amount on a label's row; when some amounts on the row carry decimals, the
 * rightmost of those. Money is printed with its cents, so a bare trailing number (`Tax (23%)
 * 1769,42 7`) is a stray mark or a neighbouring column, not the amount.
 */
function lastAmount<T extends { words: RecognizedWord[] }>(values: readonly T[]): T | undefined {
  const withDecimals = values.filter((value) => hasDecimals(value.words));
  return (withDecimals.length > 0 ? withDecimals : values).at(-1);
}

/**
 * The value a label introduces: on its row (the first, or for amounts the rightmost); else,
 * when nothing (or only dust) follows the label in its cell, under it. A label followed by text
 * that is no valid value ("Due: upon receipt") has none: looking below would only find someone
 * else's.
 */
function valueFor(
  context: PageContext,
  segmentIndex: number,
  label: LabelMatch,
): Omit<Candidate, 'rank' | 'order'> | undefined {
  const rule = FIELD_RULES[label.field];
  const { values, ownText } = valuesOnRow(context, segmentIndex, label);
  const onRow = rule.pick === 'first' ? values[0] : lastAmount(values);
  if (onRow !== undefined) {
    return { ...onRow, weight: RULE_WEIGHTS.sameRow };
  }
  if (!isDust(ownText) || !rule.below) {
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
    confidence: roundConfidence(
      Math.min(candidate.cap ?? 1, meanConfidence(candidate.words) * candidate.weight),
    ),
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

/**
 * Could this line be a company name? Not in the item table, no labels, not a document title, no
 * e-mail or web address, letters rather than figures.
 */
function isNameText(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const figures = text.match(/\d/g)?.length ?? 0;
  return (
    letters >= 2 &&
    isNameWord(text) &&
    (figures === 0 || (figures <= 2 && LEGAL_FORM.test(text))) &&
    !isDocumentTitle(text) &&
    !/@|www\.|https?:|\.(?:com|de|fr|nl|es|it|be|at|ch|in|se|pl|uk|io)\b/iu.test(text)
  );
}

interface VendorCandidate {
  value: string;
  words: RecognizedWord[];
  score: number;
  order: number;
}

/** The segments of the customer's block: its label's segment and the lines under it. */
function customerBlock(context: PageContext): Set<number> {
  const block = new Set<number>();
  context.labels.forEach((labels, index) => {
    if (!labels.some((label) => label.field === 'customerName')) {
      return;
    }
    block.add(index);
    let previous = context.segments[index].box;
    context.segments.forEach((segment, other) => {
      if (other <= index) {
        return;
      }
      const gap = segment.box.y - bottom(previous);
      const sameColumn =
        Math.abs(segment.box.x - context.segments[index].box.x) < 3 * context.lineHeight;
      if (
        sameColumn &&
        gap >= -context.lineHeight &&
        gap <= 1.6 * context.lineHeight &&
        block.size < 7
      ) {
        block.add(other);
        previous = segment.box;
      }
    });
  });
  return block;
}

/**
 * The issuer, when no label names it. Every line that could be a name is scored by what real
 * invoices give: a legal-form suffix, a large type size, a place at the top, its block holding
 * the issuer's tax id or IBAN, the footer's legal line; never the customer's block, a title or a
 * label. A name in a footer line is the piece (between `·`, `|`, `,`) that carries a legal form.
 */
function vendorCandidate(
  context: PageContext,
  usedWords: ReadonlySet<RecognizedWord>,
): VendorCandidate | undefined {
  const customer = customerBlock(context);
  const tops = context.segments.map((segment) => segment.box.y);
  const pageTop = Math.min(...tops);
  const pageHeight = Math.max(1, Math.max(...tops) - pageTop);
  const taxIdRows = context.segments
    .map((segment, index) => ({ segment, index }))
    .filter(({ index }) =>
      (context.labels[index] ?? []).some((label) => label.field === 'vendorTaxId'),
    )
    .map(({ segment }) => segment.box);
  const candidates: VendorCandidate[] = [];
  const usable = (index: number): boolean =>
    !context.inTable[index] &&
    !customer.has(index) &&
    !context.segments[index].words.some((word) => usedWords.has(word));
  // Every line, and every heading wrapped over two lines as the one line it is.
  const lines = context.segments.map((segment, index) => ({ segment, index, wrapped: false }));
  context.segments.forEach((segment, index) => {
    const above = wrappedHeadingAbove(context, index);
    if (above !== undefined && usable(above)) {
      lines.push({ segment: joinSegments(context.segments[above], segment), index, wrapped: true });
    }
  });
  lines.forEach(({ segment, index, wrapped }) => {
    if (!usable(index)) {
      return;
    }
    const labels = wrapped ? [] : (context.labels[index] ?? []);
    const text = segment.text.slice(0, labels[0]?.start ?? segment.text.length);
    for (const piece of namePieces(text)) {
      const stripped = stripTitle(piece.text.replace(NAME_LEADING, '').replace(NAME_TRAILING, ''));
      const name = tidyName(stripped);
      if (!isNameText(name)) {
        continue;
      }
      const relativeTop = (segment.box.y - pageTop) / pageHeight;
      const size = segment.box.height / Math.max(1, context.lineHeight);
      const legal = LEGAL_FORM.test(name);
      let score = 0;
      score += legal ? 3 : 0;
      score += relativeTop < 0.2 ? 1.5 : relativeTop > 0.85 ? 0.5 : 0;
      score += size >= 1.4 ? 1.5 : 0;
      score += taxIdRows.some(
        (box) =>
          box.y > segment.box.y &&
          box.y - segment.box.y < 6 * context.lineHeight &&
          Math.abs(box.x - segment.box.x) < 4 * context.lineHeight,
      )
        ? 1
        : 0;
      score -= labels.length > 0 ? 1 : 0;
      // A wrapped heading read whole beats its lines read apart.
      score += wrapped ? WHOLE_HEADING : 0;
      score -= /^(?:for|für|pour|per|para|voor)\s/iu.test(name) ? 1 : 0;
      if (!legal && size < 1.4 && relativeTop >= 0.2) {
        continue;
      }
      const start = piece.start + piece.text.indexOf(stripped);
      candidates.push({
        value: name.replace(/^(?:for|für|pour|per|para|voor)\s+/iu, ''),
        words: wordsInSpan(segment, start, start + stripped.length),
        score,
        order: index,
      });
    }
  });
  return corroborated(candidates).sort((a, b) => b.score - a.score || a.order - b.order)[0];
}

/**
 * The line a heading was wrapped from: directly above it, set in the same large type, aligned
 * with it on the left or the centre, without a label, digits or a legal form that would end a
 * name (`Ganga` above `Traders LLP`, `Schneider Elektrotechnik GmbH &` above `Co. KG`).
 */
function wrappedHeadingAbove(context: PageContext, index: number): number | undefined {
  const lower = context.segments[index];
  const height = lower.box.height;
  if (
    height < WRAPPED_HEADING_SIZE * context.lineHeight ||
    (context.labels[index] ?? []).length > 0
  ) {
    return undefined;
  }
  let found: number | undefined;
  context.segments.forEach((upper, other) => {
    const gap = lower.box.y - bottom(upper.box);
    if (
      other === index ||
      gap < 0 ||
      gap > 0.8 * height ||
      Math.abs(upper.box.height - height) > 0.25 * height ||
      (Math.abs(upper.box.x - lower.box.x) > height &&
        Math.abs(centerX(upper.box) - centerX(lower.box)) > height) ||
      (context.labels[other] ?? []).length > 0 ||
      /\d/u.test(upper.text) ||
      isDocumentTitle(upper.text) ||
      LEGAL_FORM.test(upper.text)
    ) {
      return;
    }
    if (found === undefined || bottom(upper.box) > bottom(context.segments[found].box)) {
      found = other;
    }
  });
  return found;
}

const WHOLE_HEADING = 0.5;
/** Headings at least this many body line heights tall may be wrapped names. */
const WRAPPED_HEADING_SIZE = 1.2;

/** Two lines as one: a line ending in a hyphen continues without a space. */
function joinSegments(upper: TextSegment, lower: TextSegment): TextSegment {
  const glue = upper.text.endsWith('-') ? '' : ' ';
  const offset = upper.text.length + glue.length;
  return {
    words: [...upper.words, ...lower.words],
    text: `${upper.text}${glue}${lower.text}`,
    wordStarts: [...upper.wordStarts, ...lower.wordStarts.map((start) => start + offset)],
    box: unionBox([upper.box, lower.box])!,
    confidence: Math.min(upper.confidence, lower.confidence),
  };
}

/** How much a name gains for every other printing of it (or of a piece of it) on the page. */
const PRINTED_AGAIN = 1;

/**
 * Names printed more than once: the issuer's name is usually in its heading and again in the
 * footer's legal line. A candidate that holds another one word for word (the footer's whole
 * `Schneider Elektrotechnik GmbH & Co. KG` holds the heading's `Co. KG`, wrapped onto a second
 * line) takes the best score among them plus PRINTED_AGAIN, so the whole name wins over its
 * pieces.
 */
function corroborated(candidates: readonly VendorCandidate[]): VendorCandidate[] {
  const spaced = (value: string): string => ` ${value.toLowerCase().replace(/\s+/gu, ' ')} `;
  return candidates.map((candidate) => {
    const whole = spaced(candidate.value);
    const pieces = candidates.filter(
      (other) =>
        other !== candidate &&
        other.order !== candidate.order &&
        whole.includes(spaced(other.value)),
    );
    if (pieces.length === 0) {
      return candidate;
    }
    const best = Math.max(candidate.score, ...pieces.map((piece) => piece.score));
    // The same name in capitals (a letterhead's typography) and in mixed case: as it is written.
    const writtenOut =
      !inCapitals(candidate.value) &&
      pieces.some((piece) => spaced(piece.value) === whole && inCapitals(piece.value));
    return { ...candidate, score: best + PRINTED_AGAIN + (writtenOut ? PRINTED_AGAIN / 2 : 0) };
  });
}

/** Whether a name is set in capitals (small capitals read as capitals too). */
function inCapitals(value: string): boolean {
  const letters = value.match(/\p{L}/gu) ?? [];
  const capitals = letters.filter((letter) => letter !== letter.toLowerCase()).length;
  return letters.length > 0 && capitals >= 0.8 * letters.length;
}

/**
 * Splits a footer-style line at its separators (`·`, `•`, `|`, `;`, and a dash, plus or colon
 * between spaces, which is also how OCR reads a middle dot); a plain line is one piece.
 */
function namePieces(text: string): { text: string; start: number }[] {
  const pieces: { text: string; start: number }[] = [];
  const push = (start: number, end: number): void => {
    const raw = text.slice(start, end);
    const trimmed = raw.trim();
    if (trimmed !== '') {
      pieces.push({ text: trimmed, start: start + raw.indexOf(trimmed) });
    }
  };
  let start = 0;
  for (const separator of text.matchAll(/[·•|;]|\s[-–—+:]\s/gu)) {
    push(start, separator.index);
    start = separator.index + separator[0].length;
  }
  push(start, text.length);
  return pieces;
}

/** The vendor as a field: legal names are trusted more than a heading's guess. */
function vendorField(candidate: VendorCandidate): ExtractedField {
  const weight = candidate.score >= 4 ? RULE_WEIGHTS.below : RULE_WEIGHTS.topOfPage;
  return toField({ value: candidate.value, words: candidate.words, weight, rank: 0, order: 0 });
}

/** The currency, with the words of its first mention as evidence, else from the issuer's country. */
function currencyField(context: PageContext, fields: ExtractedFields): ExtractedField | undefined {
  const texts = context.segments.map((segment) => segment.text);
  const page = texts.join('\n');
  const country = issuerCountry(fields.vendorTaxId?.value, page);
  const code = detectCurrency(page, country)?.code;
  if (code === undefined) {
    const fallback = country === undefined ? undefined : COUNTRY_CURRENCY[country];
    // Found through the issuer's tax id or IBAN, not printed: a guess, and scored as one.
    return fallback === undefined ? undefined : { value: fallback, confidence: COUNTRY_CONFIDENCE };
  }
  // Mentions are found per segment, but `$` and `kr` are resolved against the whole page.
  const pageMentions = findCurrencyMentions(page, country);
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
function pageContext(page: RecognizedPage, table: LineItemsResult, language?: string): PageContext {
  const segments = toSegments(page);
  const bounds = table.bounds;
  const inTable = (segment: TextSegment): boolean =>
    bounds !== undefined &&
    centerY(segment.box) >= bounds.top &&
    centerY(segment.box) <= bounds.bottom;
  const texts = segments.map((segment) => segment.text);
  const format = detectNumberFormat(texts);
  // Only the United States write month first; other languages, and English pages in pounds,
  // rupees or euros, write day first, unless their own dates say otherwise.
  const pageText = texts.join('\n');
  const dayFirst =
    format === 'comma-decimal' ||
    (language !== undefined && language !== 'en') ||
    /£|₹|\bRs\.?|\b(?:GBP|INR|EUR|AUD|NZD)\b|€/u.test(pageText);
  return {
    segments,
    labels: segments.map((segment) => (inTable(segment) ? [] : findLabels(segment.text))),
    inTable: segments.map(inTable),
    format,
    dateOrder: detectDateOrder(texts) ?? (dayFirst ? 'dmy' : undefined),
    lineHeight: medianWordHeight(pageWords(page)),
  };
}

/**
 * Settles the money fields together. Several labels may offer a total ("Total", "Amount due",
 * "Total incl. VAT"), a subtotal or a tax (CGST, SGST and their total): the combination whose
 * subtotal + tax = total wins; without one, the total is the largest labelled payable amount,
 * and an amount equal to the subtotal is never the total when tax was charged.
 */
function settleMoney(
  byField: Map<LabelField, Candidate[]>,
  chosen: Map<LabelField, Candidate>,
): void {
  const options = (field: LabelField): Candidate[] =>
    [...(byField.get(field) ?? [])]
      .filter((candidate) => typeof candidate.value === 'number')
      .sort((a, b) => a.rank - b.rank || b.weight - a.weight || a.order - b.order)
      .slice(0, 6);
  const subtotals = options('subtotal');
  const taxes = options('taxAmount');
  const totals = options('totalAmount');
  const value = (candidate: Candidate): number => candidate.value as number;
  let bestCombination: [Candidate, Candidate, Candidate] | undefined;
  let bestKey = Infinity;
  for (const subtotal of subtotals) {
    for (const tax of taxes) {
      for (const total of totals) {
        const consistent =
          Math.abs(
            Math.round(value(subtotal) * 100) +
              Math.round(value(tax) * 100) -
              Math.round(value(total) * 100),
          ) <= 1;
        const key = subtotal.rank + tax.rank + total.rank;
        if (consistent && value(tax) !== 0 && key < bestKey) {
          bestCombination = [subtotal, tax, total];
          bestKey = key;
        }
      }
    }
  }
  if (bestCombination !== undefined) {
    const [subtotal, tax, total] = bestCombination;
    chosen.set('subtotal', subtotal);
    chosen.set('taxAmount', tax);
    chosen.set('totalAmount', total);
    return;
  }
  const subtotalValue = chosen.get('subtotal')?.value;
  const taxValue = chosen.get('taxAmount')?.value;
  const payable = totals
    .filter((candidate) => value(candidate) !== subtotalValue || taxValue === 0)
    .filter((candidate) => candidate.rank <= (totals[0]?.rank ?? 0) + 1)
    .sort((a, b) => value(b) - value(a) || a.rank - b.rank);
  const largest = payable[0];
  if (largest === undefined) {
    chosen.delete('totalAmount');
  } else {
    chosen.set('totalAmount', largest);
  }
}

const MONEY_FIELDS = ['subtotal', 'taxAmount', 'totalAmount'] as const;
type MoneyField = (typeof MONEY_FIELDS)[number];

/**
 * Whether printed words could be `amount` misread (see `oneMisreadApart`). Only amounts of four
 * digits or more: shorter ones are one slip away from too many others.
 */
function misreadOf(words: readonly RecognizedWord[], amount: number): boolean {
  const printed = words
    .map((word) => word.text)
    .join('')
    .replace(/\D/g, '');
  const cents = String(Math.round(Math.abs(amount) * 100));
  return cents.length >= 4 && printed !== '' && oneMisreadApart(printed, cents);
}

/**
 * An amount equal to `amount` printed on the page beside or just above or below a label of
 * `field` (a summary whose value OCR set on a line of its own: `Nettobetrag` with `12.823,00`
 * under it). Label and value may fall inside the table's extent: a summary value set lower or
 * higher than its label is often taken as the table's last row.
 */
function printedNearLabel(
  context: PageContext,
  field: MoneyField,
  amount: number,
): RecognizedWord[] | undefined {
  // Labels inside the table's extent count here: the table's lower edge often takes in the
  // first summary line, and only the exact amount the arithmetic asks for is taken.
  const labelRows = context.segments
    .filter((segment) => findLabels(segment.text).some((label) => label.field === field))
    .map((segment) => centerY(segment.box));
  for (const segment of context.segments) {
    const near = labelRows.some(
      (y) => Math.abs(centerY(segment.box) - y) <= 1.6 * context.lineHeight,
    );
    if (!near) {
      continue;
    }
    const found = findAmounts(segment.text, context.format).find(
      (match) => Math.round(match.value * 100) === Math.round(amount * 100),
    );
    if (found !== undefined) {
      return wordsInSpan(segment, found.start, found.end);
    }
  }
  return undefined;
}

/**
 * When subtotal + tax ≠ total (or one of them is missing, or is in fractions of a cent), one of
 * the three may be an OCR misread. Each in turn (missing
 * ones first, then the least confidently read) is taken as the wrong one and recomputed from the
 * other two; the recomputed amount replaces it only with evidence on the page: a candidate for
 * that field one character away from it, or the amount itself printed by the field's label. A
 * subtotal the item lines add up to is never the suspect. Returns the field repaired, if any.
 */
function repairMoney(
  context: PageContext,
  byField: Map<LabelField, Candidate[]>,
  chosen: Map<LabelField, Candidate>,
  lineAmounts: readonly number[] | undefined,
): MoneyField | undefined {
  const amount = (field: MoneyField): number | undefined => {
    const value = chosen.get(field)?.value;
    return typeof value === 'number' ? value : undefined;
  };
  const [subtotal, tax, total] = MONEY_FIELDS.map(amount);
  // A summary amount in fractions of a cent (`4,321.106`) is a misread even when it rounds right.
  const wholeCents = [subtotal, tax, total].every(
    (value) => value === undefined || Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
  );
  if (
    wholeCents &&
    subtotal !== undefined &&
    tax !== undefined &&
    total !== undefined &&
    Math.abs(Math.round(subtotal * 100) + Math.round(tax * 100) - Math.round(total * 100)) <= 1
  ) {
    return undefined;
  }
  const readConfidence = (field: MoneyField): number => {
    const candidate = chosen.get(field);
    return candidate === undefined ? -1 : meanConfidence(candidate.words);
  };
  const suspects = [...MONEY_FIELDS].sort((a, b) => readConfidence(a) - readConfidence(b));
  const lineSum =
    lineAmounts === undefined || lineAmounts.length === 0
      ? undefined
      : lineAmounts.reduce((sum, line) => sum + Math.round(line * 100), 0) / 100;
  const sameCents = (a: number, b: number | undefined): boolean =>
    b !== undefined && Math.round(a * 100) === Math.round(b * 100);
  for (const suspect of suspects) {
    const expected =
      suspect === 'totalAmount'
        ? subtotal !== undefined && tax !== undefined
          ? subtotal + tax
          : undefined
        : total !== undefined
          ? total - ((suspect === 'subtotal' ? tax : subtotal) ?? Number.NaN)
          : undefined;
    // A tax of zero or a "total" below its parts is no repair: it is the arithmetic of misreads.
    if (expected === undefined || !Number.isFinite(expected) || expected <= 0) {
      continue;
    }
    const rounded = Math.round(expected * 100) / 100;
    // A subtotal the item lines add up to is confirmed by them: no suspect.
    if (suspect === 'subtotal' && subtotal !== undefined && sameCents(subtotal, lineSum)) {
      continue;
    }
    const misread = (byField.get(suspect) ?? []).find((candidate) =>
      misreadOf(candidate.words, rounded),
    );
    const words = misread?.words ?? printedNearLabel(context, suspect, rounded);
    if (words !== undefined && words.length > 0) {
      chosen.set(suspect, {
        value: rounded,
        words,
        weight: RULE_WEIGHTS.sameRow,
        rank: misread?.rank ?? 0,
        order: misread?.order ?? 0,
      });
      return suspect;
    }
  }
  return undefined;
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
  const table = options.lineItems ?? extractLineItems(page);
  const context = pageContext(page, table, options.language);
  const fields: ExtractedFields = {};
  const usedWords = new Set<RecognizedWord>();
  const byField = labelledCandidates(context);
  const chosen = new Map<LabelField, Candidate>();
  for (const [field, candidates] of byField) {
    const first = best(candidates);
    if (first !== undefined) {
      chosen.set(field, first);
    }
  }
  settleMoney(byField, chosen);
  const repaired = repairMoney(context, byField, chosen, table.lineAmounts);
  for (const [field, candidate] of chosen) {
    fields[field] = toField(candidate);
    candidate.words.forEach((word) => usedWords.add(word));
  }
  const customer = fields.customerName;
  if (customer !== undefined && typeof customer.value === 'string') {
    customer.value = tidyName(customer.value);
  }
  const labelledVendor = fields.vendorName;
  if (labelledVendor !== undefined && typeof labelledVendor.value === 'string') {
    const name = tidyName(stripTitle(labelledVendor.value));
    if (isDocumentTitle(labelledVendor.value) || name === '') {
      delete fields.vendorName;
    } else {
      labelledVendor.value = name;
    }
  }
  if (fields.vendorName === undefined) {
    const vendor = vendorCandidate(context, usedWords);
    if (vendor !== undefined) {
      fields.vendorName = vendorField(vendor);
    }
  }
  const currency = currencyField(context, fields);
  if (currency !== undefined) {
    fields.currency = currency;
  }
  const checks = runConsistencyChecks(fields, table.lineAmounts);
  const result = capUnchecked(applyCheckPenalties(fields, checks), checks);
  // A sum that holds only thanks to a repaired amount confirms none of the three: the repaired
  // one keeps at most REPAIRED_CAP, the two it was derived from at most UNCONFIRMED_CAP.
  if (repaired !== undefined) {
    for (const name of MONEY_FIELDS) {
      const field = result[name];
      const cap = name === repaired ? REPAIRED_CAP : UNCONFIRMED_CAP;
      if (field !== undefined && field.confidence > cap) {
        result[name] = { ...field, confidence: cap };
      }
    }
  }
  const taxId = result.vendorTaxId;
  if (taxId !== undefined) {
    result.vendorTaxId = checkedTaxId(taxId, context, options.language);
  }
  return { fields: result, checks };
}

/** The most a tax id repaired by its check digits is trusted when the page prints it once. */
export const REPAIRED_TAX_ID_CAP = 0.8;

/**
 * The issuer's tax id against its country's check digits: one that fails them is misread and
 * keeps half its confidence (never 0.9); one that a single look-alike misread explains is
 * repaired, trusted fully only when the page prints the repaired id a second time.
 */
function checkedTaxId(
  field: ExtractedField,
  context: PageContext,
  language: string | undefined,
): ExtractedField {
  if (typeof field.value !== 'string') {
    return field;
  }
  const check = checkTaxId(field.value, language);
  switch (check.status) {
    case 'valid':
    case 'unchecked':
      return field;
    case 'invalid':
      return { ...field, confidence: roundConfidence(field.confidence * FAILED_CHECK_FACTOR) };
    case 'repaired': {
      const printed = timesPrinted(
        check.value,
        context.segments.map((segment) => segment.text),
      );
      const confidence =
        printed > 0 ? field.confidence : Math.min(field.confidence, REPAIRED_TAX_ID_CAP);
      return { ...field, value: check.value, confidence };
    }
  }
}

/**
 * Amounts that no check confirmed keep at most 0.89: an amount is only as sure as the arithmetic
 * that ties it to the others (a net amount read under a "Total" label looks just as crisp).
 */
function capUnchecked(
  fields: ExtractedFields,
  checks: readonly ConsistencyCheck[],
): ExtractedFields {
  const confirmed = new Set<string>();
  for (const check of checks) {
    if (check.passed && check.name === 'subtotalPlusTaxEqualsTotal') {
      ['subtotal', 'taxAmount', 'totalAmount'].forEach((name) => confirmed.add(name));
    }
  }
  const result: ExtractedFields = { ...fields };
  for (const name of ['subtotal', 'taxAmount', 'totalAmount'] as const) {
    const field = result[name];
    if (field !== undefined && !confirmed.has(name) && field.confidence >= 0.9) {
      result[name] = { ...field, confidence: UNCONFIRMED_CAP };
    }
  }
  return result;
}
