import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import type {
  Box,
  RecognizedBlock,
  RecognizedLine,
  RecognizedPage,
  RecognizedWord,
} from '../processing.types.js';

/** Tesseract's line classes that mark a heading, not body text. */
const TITLE_LINE_CLASSES = new Set(['ocr_header', 'ocr_textfloat']);
const LINE_CLASSES = new Set(['ocr_line', 'ocr_caption', ...TITLE_LINE_CLASSES]);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity: string, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    }
    if (name.startsWith('#')) {
      return String.fromCodePoint(parseInt(name.slice(1), 10));
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/** `bbox x0 y0 x1 y1` from an hOCR title attribute. */
function boxOf(title: string): Box | undefined {
  const match = /bbox (\d+) (\d+) (\d+) (\d+)/.exec(title);
  if (!match) {
    return undefined;
  }
  const [x0, y0, x1, y1] = match.slice(1).map(Number);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

const mean = (values: number[]): number =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

interface OpenBlock {
  box: Box;
  paragraphs: RecognizedLine[][];
  title: boolean;
}

/**
 * Tesseract's hOCR output (`tesseract … hocr`) as a RecognizedPage: blocks (ocr_carea) →
 * paragraphs (ocr_par) → lines → words (ocrx_word, with x_wconf), the same tree tesseract.js
 * gives. A block whose lines are headings (ocr_header, ocr_textfloat) is a title; blocks left
 * without words (images, separators) are dropped, as they are from tesseract.js's result.
 */
export function pageFromHocr(hocr: string): RecognizedPage {
  const blocks: OpenBlock[] = [];
  let line: RecognizedLine | undefined;
  // Tesseract writes one element per tag, attributes in single or double quotes, no nesting
  // inside a word but optional <strong>/<em> around its text.
  const tag = /<(?:div|p|span)\s+class=['"]([a-z_]+)['"][^>]*?title=(?:'([^']*)'|"([^"]*)")[^>]*>/g;
  const word =
    /<span\s+class=['"]ocrx_word['"][^>]*?title=(?:'([^']*)'|"([^"]*)")[^>]*>([\s\S]*?)<\/span>/y;
  for (let match = tag.exec(hocr); match; match = tag.exec(hocr)) {
    const [, kind, quoted1, quoted2] = match;
    const title = quoted1 ?? quoted2 ?? '';
    if (kind === 'ocrx_word') {
      word.lastIndex = match.index;
      const found = word.exec(hocr);
      if (!found) {
        continue;
      }
      tag.lastIndex = word.lastIndex;
      const text = decodeEntities(found[3].replace(/<[^>]*>/g, '')).trim();
      const box = boxOf(found[1] ?? found[2] ?? '');
      if (!line || !box || text.length === 0) {
        continue;
      }
      const confidence = Number(/x_wconf (-?\d+(?:\.\d+)?)/.exec(found[1] ?? found[2] ?? '')?.[1]);
      const recognized: RecognizedWord = {
        text,
        confidence: Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence / 100)) : 0,
        box,
      };
      line.words.push(recognized);
      continue;
    }
    const box = boxOf(title);
    if (!box) {
      continue;
    }
    if (kind === 'ocr_carea') {
      blocks.push({ box, paragraphs: [], title: false });
    } else if (kind === 'ocr_par') {
      blocks.at(-1)?.paragraphs.push([]);
    } else if (LINE_CLASSES.has(kind)) {
      const block = blocks.at(-1);
      const paragraph = block?.paragraphs.at(-1);
      if (block && paragraph) {
        line = { text: '', confidence: 0, box, words: [] };
        paragraph.push(line);
        block.title ||= TITLE_LINE_CLASSES.has(kind);
      }
    }
  }
  const recognizedBlocks: RecognizedBlock[] = blocks
    .map((block) => {
      const paragraphs = block.paragraphs
        .map((lines) =>
          lines
            .filter((l) => l.words.length > 0)
            .map((l) => ({
              ...l,
              text: l.words.map((w) => w.text).join(' '),
              confidence: mean(l.words.map((w) => w.confidence)),
            })),
        )
        .filter((lines) => lines.length > 0);
      const lines = paragraphs.flat();
      return {
        text: paragraphs.map((p) => p.map((l) => l.text).join('\n')).join('\n\n'),
        confidence: mean(lines.flatMap((l) => l.words.map((w) => w.confidence))),
        box: block.box,
        blockType: block.title ? BlockType.Title : BlockType.Text,
        lines,
      };
    })
    .filter((block) => block.lines.length > 0);
  const words = recognizedBlocks.flatMap((b) => b.lines.flatMap((l) => l.words));
  return {
    text: recognizedBlocks.map((b) => b.text).join('\n\n'),
    confidence: mean(words.map((w) => w.confidence)),
    blocks: recognizedBlocks,
  };
}
