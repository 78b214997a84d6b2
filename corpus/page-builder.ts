/**
 * The page model the corpus draws with: text, rule and box elements in PDF points (origin top
 * left, text y = baseline), shared by every layout and by the raster and PDF renderers.
 */
import type { InvoiceAddress } from './invoice-model.js';

/** A4 in PDF points. */
export const PAGE_WIDTH_PT = 8.27 * 72;
export const PAGE_HEIGHT_PT = 11.69 * 72;

export type Anchor = 'start' | 'middle' | 'end';

export interface TextElement {
  kind: 'text';
  x: number;
  y: number;
  text: string;
  size: number;
  bold: boolean;
  anchor: Anchor;
  color: string;
  /**
   * Set on the text of blocks printed side by side (see `PageBuilder.sideBySide`): which group
   * of blocks, and which block of it (left to right). A person reads such blocks either block by
   * block or line by line across the page; the ground truth accepts both.
   */
  sideBySide?: { group: number; block: number };
}

export interface LineElement {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: string;
}

export interface BoxElement {
  kind: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

export type PageElement = TextElement | LineElement | BoxElement;

export interface PageLayout {
  elements: PageElement[];
  table: string[][];
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  anchor?: Anchor;
  color?: string;
}

export const INK = '#111111';
export const GREY = '#555555';
export const BODY = 10.5;
export const LEFT = 50;
export const RIGHT = PAGE_WIDTH_PT - 50;

/**
 * A generous estimate of a text's printed width in points: wide enough for the widest of the
 * fonts the corpus prints with (DejaVu Sans Bold, Helvetica, DejaVu Sans Mono), so that columns
 * set from it never overlap, whichever font draws the page.
 */
export function printedWidth(text: string, size: number, bold = false): number {
  return text.length * size * (bold ? 0.72 : 0.64);
}

export class PageBuilder {
  readonly elements: PageElement[] = [];
  private groups = 0;

  /**
   * Draws blocks that stand side by side (an address beside the invoice details, a title beside
   * the issuer): `blocks` draw them, left to right.
   */
  sideBySide(...blocks: (() => void)[]): void {
    const group = this.groups++;
    blocks.forEach((draw, block) => {
      const start = this.elements.length;
      draw();
      for (const element of this.elements.slice(start)) {
        if (element.kind === 'text') {
          element.sideBySide = { group, block };
        }
      }
    });
  }

  text(x: number, y: number, text: string, style: TextStyle = {}): void {
    this.elements.push({
      kind: 'text',
      x,
      y,
      text,
      size: style.size ?? BODY,
      bold: style.bold ?? false,
      anchor: style.anchor ?? 'start',
      color: style.color ?? INK,
    });
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, color = '#999999'): void {
    this.elements.push({ kind: 'line', x1, y1, x2, y2, width, color });
  }

  box(x: number, y: number, width: number, height: number, color: string): void {
    this.elements.push({ kind: 'box', x, y, width, height, color });
  }

  address(x: number, y: number, step: number, address: InvoiceAddress, style?: TextStyle): number {
    for (const line of [address.street, address.city, address.country]) {
      this.text(x, y, line, style);
      y += step;
    }
    return y;
  }
}
