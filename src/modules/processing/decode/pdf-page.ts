import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  getDocument,
  type PDFDocumentProxy,
  type PDFPageProxy,
} from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { unionBox } from '../extract/geometry.js';
import type { GrayImage } from '../preprocess/image-analysis.js';
import type { Box, RecognizedLine, RecognizedPage, RecognizedWord } from '../processing.types.js';
import { MAX_READABLE_SIDE } from '../recognize/ocr-engine.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { greyPixelsOf } from './grey-pixels.js';
import { readScanImage } from './pdf-scan-image.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

/** PDF pages are measured and rendered at this resolution; their boxes are in its pixels. */
const PDF_DPI = 300;
const POINTS_PER_INCH = 72;
/** A page with fewer text characters than this is treated as a scan (no usable text layer). */
const MIN_TEXT_LAYER_CHARS = 20;

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

type TextContentItem = Awaited<ReturnType<PDFPageProxy['getTextContent']>>['items'][number];
type TextItem = Extract<TextContentItem, { str: string }>;

/**
 * Largest page raster, in pixels (an A4 page at 300 DPI is 8.7 million); larger pages are
 * rendered at a lower resolution.
 */
const MAX_PAGE_PIXELS = 12_000_000;
/** An image inside a PDF with more pixels than this is left out of the rendering. */
const MAX_EMBEDDED_IMAGE_PIXELS = 40_000_000;
/** A text layer with more words than this is not an invoice page (and would be slow to lay out). */
const MAX_TEXT_WORDS = 20_000;

/** A file embedded in a PDF (an attachment), e.g. a Factur-X `factur-x.xml`. */
export interface EmbeddedFile {
  filename: string;
  content: Uint8Array;
}

export type PdfPage = (
  | {
      kind: 'text';
      width: number;
      height: number;
      dpi: number;
      /** The text as authored (upright), whatever the page's display rotation. */
      page: RecognizedPage;
      /** Maps a box on the upright text onto the page as displayed (its /Rotate applied). */
      toDisplayed: (box: Box) => Box;
    }
  | {
      kind: 'scan';
      width: number;
      height: number;
      dpi: number;
      /** The page as displayed, grey: at `dpi`, or coarser when its scan is (see readScanImage). */
      pixels: GrayImage;
      pixelsDpi: number;
      /** The pixels were decoded from a JPEG (read from the scan's JPEG, not rendered). */
      fromJpeg: boolean;
    }
) & {
  /**
   * The document's embedded `.xml` files, read with its first page only: an embedded e-invoice
   * describes the whole document, so it is taken once, by the page that opens it.
   */
  embeddedXml: EmbeddedFile[];
};

async function openPdf(bytes: Buffer): Promise<PDFDocumentProxy> {
  try {
    return await getDocument({
      data: new Uint8Array(bytes),
      // Untrusted documents: no image may decode past a pixel budget (a few KB of Flate can
      // declare a 60000 × 60000 image), no canvas past the page raster's own budget.
      maxImageSize: MAX_EMBEDDED_IMAGE_PIXELS,
      canvasMaxAreaInBytes: MAX_PAGE_PIXELS * 4,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      enableXfa: false,
      isEvalSupported: false,
      useSystemFonts: false,
      standardFontDataUrl: join(pdfjsRoot, 'standard_fonts/'),
      cMapUrl: join(pdfjsRoot, 'cmaps/'),
      cMapPacked: true,
      wasmUrl: join(pdfjsRoot, 'wasm/'),
      verbosity: 0,
    }).promise;
  } catch {
    throw new UnsupportedImageError('the PDF could not be read (corrupt or encrypted)');
  }
}

/**
 * Page `pageNumber` (1-based, default the first) of a PDF: a born-digital page gives its text
 * layer (words with positions, no OCR needed); a scanned one is rendered at 300 DPI for the
 * image pipeline.
 */
export async function readPdfPage(
  bytes: Buffer,
  maxPages: number,
  pageNumber = 1,
): Promise<PdfPage> {
  const pdf = await openPdf(bytes);
  try {
    if (pdf.numPages > maxPages) {
      throw new UnsupportedImageError(
        `the document has ${pdf.numPages} pages, more than the ${maxPages} accepted`,
      );
    }
    const page = await readPage(pdf, bytes, pageNumber);
    return { ...page, embeddedXml: pageNumber === 1 ? await embeddedXmlFiles(pdf) : [] };
  } catch (error) {
    // Whatever pdf.js fails on in this document, the document is at fault: a permanent failure.
    throw error instanceof UnsupportedImageError
      ? error
      : new UnsupportedImageError('the PDF page could not be read');
  } finally {
    await pdf.destroy();
  }
}

/** How many pages a PDF has. */
export async function countPdfPages(bytes: Buffer): Promise<number> {
  const pdf = await openPdf(bytes);
  try {
    return pdf.numPages;
  } finally {
    await pdf.destroy();
  }
}

/**
 * The `.xml` files of the document's EmbeddedFiles name tree (where Factur-X, ZUGFeRD and
 * XRechnung put their invoice; the catalog's /AF array names the same file specs, and pdf.js
 * does not list /AF on its own). Their size is checked by the reader (MAX_E_INVOICE_BYTES). A
 * document whose attachments cannot be read has none here: its pages are still read.
 */
/** Omit over each member of a union (Omit on the union itself would merge the members). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

async function embeddedXmlFiles(pdf: PDFDocumentProxy): Promise<EmbeddedFile[]> {
  let attachments: Record<string, { filename?: unknown; content?: unknown }> | null;
  try {
    attachments = (await pdf.getAttachments()) as typeof attachments;
  } catch {
    return [];
  }
  return Object.values(attachments ?? {}).flatMap(({ filename, content }) =>
    typeof filename === 'string' &&
    filename.toLowerCase().endsWith('.xml') &&
    content instanceof Uint8Array
      ? [{ filename, content }]
      : [],
  );
}

async function readPage(
  pdf: PDFDocumentProxy,
  bytes: Buffer,
  pageNumber: number,
): Promise<DistributiveOmit<PdfPage, 'embeddedXml'>> {
  if (pdf.numPages < 1) {
    throw new UnsupportedImageError('the PDF has no pages');
  }
  if (pageNumber > pdf.numPages) {
    throw new UnsupportedImageError(
      `the PDF has ${pdf.numPages} page(s); there is no page ${pageNumber}`,
    );
  }
  const page = await pdf.getPage(pageNumber);
  const scale = renderScale(page);
  const viewport = page.getViewport({ scale });
  const width = Math.ceil(viewport.width);
  const height = Math.ceil(viewport.height);
  const dpi = Math.max(1, Math.round(scale * POINTS_PER_INCH));
  const content = await page.getTextContent();
  const items = content.items.filter((item): item is TextItem => 'str' in item);
  const characters = items.reduce((sum, item) => sum + item.str.trim().length, 0);
  if (characters >= MIN_TEXT_LAYER_CHARS) {
    // Laid out upright (rotation 0) so lines run left to right, then mapped onto the display.
    const upright = page.getViewport({ scale, rotation: 0 });
    const words = joinAbuttingWords(items.map((item) => itemWords(item, upright.transform)));
    if (words.length > MAX_TEXT_WORDS) {
      throw new UnsupportedImageError(`the PDF page has more than ${MAX_TEXT_WORDS} words`);
    }
    const toDisplayed = (box: Box): Box => {
      const corners = [
        [box.x, box.y],
        [box.x + box.width, box.y + box.height],
      ].map(([x, y]) => {
        const [px, py] = upright.convertToPdfPoint(x, y) as [number, number];
        return viewport.convertToViewportPoint(px, py) as [number, number];
      });
      const xs = corners.map(([x]) => x);
      const ys = corners.map(([, y]) => y);
      return {
        x: Math.round(Math.min(...xs)),
        y: Math.round(Math.min(...ys)),
        width: Math.round(Math.abs(xs[1] - xs[0])),
        height: Math.round(Math.abs(ys[1] - ys[0])),
      };
    };
    return { kind: 'text', width, height, dpi, page: pageFromWords(words), toDisplayed };
  }
  // A scanner's page (one JPEG over the whole page) is read from its JPEG, not rendered.
  const scan = await readScanImage(
    bytes,
    { index: pageNumber - 1, ref: page.ref },
    {
      width,
      height,
      dpi,
      transform: viewport.transform,
      maxImagePixels: MAX_EMBEDDED_IMAGE_PIXELS,
    },
  );
  if (scan) {
    return {
      kind: 'scan',
      width,
      height,
      dpi,
      pixels: scan.pixels,
      pixelsDpi: scan.dpi,
      fromJpeg: true,
    };
  }
  const canvas = await renderPage(page, viewport);
  // Raw grey pixels for the pipeline: no PNG is encoded only to be decoded again.
  const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const pixels = await greyPixelsOf(
    sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length), {
      raw: { width: canvas.width, height: canvas.height, channels: 4 },
    }),
  );
  return { kind: 'scan', width, height, dpi, pixelsDpi: dpi, fromJpeg: false, pixels };
}

/** 300 DPI, or less for a page so large that its raster would pass MAX_PAGE_PIXELS. */
function renderScale(page: PDFPageProxy): number {
  const points = page.getViewport({ scale: 1 });
  const wanted = PDF_DPI / POINTS_PER_INCH;
  return Math.min(
    wanted,
    Math.sqrt(MAX_PAGE_PIXELS / (points.width * points.height)),
    // Less one pixel: the canvas rounds the raster's size up.
    (MAX_READABLE_SIDE - 1) / Math.max(points.width, points.height),
  );
}

async function renderPage(
  page: PDFPageProxy,
  viewport: ReturnType<PDFPageProxy['getViewport']>,
): Promise<Canvas> {
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  await page.render({
    // @napi-rs/canvas implements the part of the DOM canvas API that pdf.js draws with.
    canvas,
    canvasContext: canvas.getContext('2d'),
    viewport,
    background: 'white',
  }).promise;
  return canvas;
}

/** The first page of a PDF as a PNG at 300 DPI, text layer or not (e.g. for another OCR engine). */
export async function rasterizePdfPage(bytes: Buffer): Promise<Buffer> {
  const pdf = await openPdf(bytes);
  try {
    const page = await pdf.getPage(1);
    return await (
      await renderPage(page, page.getViewport({ scale: renderScale(page) }))
    ).encode('png');
  } finally {
    await pdf.destroy();
  }
}

/**
 * Splits a text run into words with boxes in page pixels. A run's glyph positions are not
 * exposed, so each word's x-extent is proportional to its share of the run's characters.
 */
function itemWords(item: TextItem, viewportTransform: number[]): RecognizedWord[] {
  const [a, b, c, d, e, f] = viewportTransform;
  const toPixels = (x: number, y: number): [number, number] => [
    a * x + c * y + e,
    b * x + d * y + f,
  ];
  // The run's text matrix: scale/skew in the first four numbers, origin (baseline start) last.
  const [, , skewX, scaleY, originX, originY] = item.transform as number[];
  const fontHeight = Math.hypot(skewX, scaleY) || item.height;
  const [x0, baseline] = toPixels(originX, originY);
  const [x1] = toPixels(originX + item.width, originY);
  const [, top] = toPixels(originX, originY + fontHeight);
  const runWidth = x1 - x0;
  const words: RecognizedWord[] = [];
  const pattern = /\S+/g;
  for (let match = pattern.exec(item.str); match; match = pattern.exec(item.str)) {
    const start = x0 + (runWidth * match.index) / item.str.length;
    const end = x0 + (runWidth * (match.index + match[0].length)) / item.str.length;
    words.push({
      text: match[0],
      confidence: 1,
      box: {
        x: Math.round(start),
        y: Math.round(top),
        width: Math.max(1, Math.round(end - start)),
        height: Math.max(1, Math.round(baseline - top)),
      },
    });
  }
  return words;
}

/**
 * Gap, as a share of the font height, below which two runs on one baseline touch: a word the
 * producer drew in several runs (a browser splits `Kaffee` at its `ff` ligature, kerning and
 * font changes split others) is one word. A real space is about a quarter of the height.
 */
const ABUTTING_GAP = 0.1;

/**
 * Each run's words, in content order, with a word that continues into the next run (no space
 * between the runs, their boxes touching on the same baseline) joined into one.
 */
function joinAbuttingWords(runs: readonly RecognizedWord[][]): RecognizedWord[] {
  const words: RecognizedWord[] = [];
  for (const run of runs) {
    const [first, ...rest] = run;
    const previous = words.at(-1);
    if (first && previous && abutting(previous, first)) {
      words[words.length - 1] = {
        text: previous.text + first.text,
        confidence: 1,
        box: unionBox([previous.box, first.box])!,
      };
      words.push(...rest);
    } else {
      words.push(...run);
    }
  }
  return words;
}

function abutting(left: RecognizedWord, right: RecognizedWord): boolean {
  const height = Math.max(left.box.height, right.box.height);
  const leftBaseline = left.box.y + left.box.height;
  const rightBaseline = right.box.y + right.box.height;
  const gap = right.box.x - (left.box.x + left.box.width);
  return (
    Math.abs(leftBaseline - rightBaseline) <= height * 0.2 &&
    gap >= -height * ABUTTING_GAP &&
    gap <= height * ABUTTING_GAP
  );
}

/** Groups text-layer words into lines (same baseline band), top to bottom, left to right. */
function pageFromWords(words: RecognizedWord[]): RecognizedPage {
  const middle = (word: RecognizedWord): number => word.box.y + word.box.height / 2;
  // One sweep down the page: a word joins the current line when its middle is within half a
  // line height of the line's first word.
  const sorted = [...words].sort((p, q) => middle(p) - middle(q) || p.box.x - q.box.x);
  const lines: RecognizedWord[][] = [];
  for (const word of sorted) {
    const line = lines.at(-1);
    if (line && Math.abs(middle(line[0]) - middle(word)) < line[0].box.height / 2) {
      line.push(word);
    } else {
      lines.push([word]);
    }
  }
  const recognizedLines: RecognizedLine[] = lines.map((lineWords) => {
    const ordered = lineWords.sort((p, q) => p.box.x - q.box.x);
    return {
      text: ordered.map((w) => w.text).join(' '),
      confidence: 1,
      box: unionBox(ordered.map((w) => w.box))!,
      words: ordered,
    };
  });
  const text = recognizedLines.map((line) => line.text).join('\n');
  if (recognizedLines.length === 0) {
    return { text: '', confidence: 1, blocks: [] };
  }
  return {
    text,
    confidence: 1,
    blocks: [
      {
        text,
        confidence: 1,
        box: unionBox(recognizedLines.map((line) => line.box))!,
        blockType: BlockType.Text,
        lines: recognizedLines,
      },
    ],
  };
}
