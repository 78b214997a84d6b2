import { createCanvas } from '@napi-rs/canvas';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  getDocument,
  type PDFDocumentProxy,
  type PDFPageProxy,
} from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RecognizedLine, RecognizedPage, RecognizedWord } from '../processing.types.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

/** PDF pages are measured and rendered at this resolution; their boxes are in its pixels. */
export const PDF_DPI = 300;
const POINTS_PER_INCH = 72;
/** A page with fewer text characters than this is treated as a scan (no usable text layer). */
const MIN_TEXT_LAYER_CHARS = 20;

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

type TextContentItem = Awaited<ReturnType<PDFPageProxy['getTextContent']>>['items'][number];
type TextItem = Extract<TextContentItem, { str: string }>;

export type PdfPage =
  | { kind: 'text'; width: number; height: number; page: RecognizedPage }
  | { kind: 'scan'; width: number; height: number; png: Buffer };

async function openPdf(bytes: Buffer): Promise<PDFDocumentProxy> {
  try {
    return await getDocument({
      data: new Uint8Array(bytes),
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
 * The first page of a PDF: a born-digital page gives its text layer (words with positions, no
 * OCR needed); a scanned one is rendered at 300 DPI for the image pipeline.
 */
export async function readPdfPage(bytes: Buffer): Promise<PdfPage> {
  const pdf = await openPdf(bytes);
  try {
    const page = await pdf.getPage(1);
    const scale = PDF_DPI / POINTS_PER_INCH;
    const viewport = page.getViewport({ scale });
    const width = Math.ceil(viewport.width);
    const height = Math.ceil(viewport.height);
    const content = await page.getTextContent();
    const items = content.items.filter((item): item is TextItem => 'str' in item);
    const characters = items.reduce((sum, item) => sum + item.str.trim().length, 0);
    if (characters >= MIN_TEXT_LAYER_CHARS) {
      const words = items.flatMap((item) => itemWords(item, viewport.transform));
      return { kind: 'text', width, height, page: pageFromWords(words) };
    }
    const canvas = createCanvas(width, height);
    await page.render({
      // @napi-rs/canvas implements the part of the DOM canvas API that pdf.js draws with.
      canvas,
      canvasContext: canvas.getContext('2d'),
      viewport,
      background: 'white',
    }).promise;
    return { kind: 'scan', width, height, png: await canvas.encode('png') };
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

/** Groups text-layer words into lines (same baseline band), top to bottom, left to right. */
function pageFromWords(words: RecognizedWord[]): RecognizedPage {
  const sorted = [...words].sort((p, q) => p.box.y - q.box.y || p.box.x - q.box.x);
  const lines: RecognizedWord[][] = [];
  for (const word of sorted) {
    const line = lines.find((candidate) => {
      const first = candidate[0].box;
      return (
        Math.abs(first.y + first.height / 2 - (word.box.y + word.box.height / 2)) < first.height / 2
      );
    });
    if (line) {
      line.push(word);
    } else {
      lines.push([word]);
    }
  }
  const recognizedLines: RecognizedLine[] = lines.map((lineWords) => {
    const ordered = lineWords.sort((p, q) => p.box.x - q.box.x);
    const x = Math.min(...ordered.map((w) => w.box.x));
    const y = Math.min(...ordered.map((w) => w.box.y));
    const right = Math.max(...ordered.map((w) => w.box.x + w.box.width));
    const bottom = Math.max(...ordered.map((w) => w.box.y + w.box.height));
    return {
      text: ordered.map((w) => w.text).join(' '),
      confidence: 1,
      box: { x, y, width: right - x, height: bottom - y },
      words: ordered,
    };
  });
  const text = recognizedLines.map((line) => line.text).join('\n');
  if (recognizedLines.length === 0) {
    return { text: '', confidence: 1, blocks: [] };
  }
  const x = Math.min(...recognizedLines.map((l) => l.box.x));
  const y = Math.min(...recognizedLines.map((l) => l.box.y));
  const right = Math.max(...recognizedLines.map((l) => l.box.x + l.box.width));
  const bottom = Math.max(...recognizedLines.map((l) => l.box.y + l.box.height));
  return {
    text,
    confidence: 1,
    blocks: [
      {
        text,
        confidence: 1,
        box: { x, y, width: right - x, height: bottom - y },
        blockType: BlockType.Text,
        lines: recognizedLines,
      },
    ],
  };
}
