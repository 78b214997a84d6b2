import { jest } from '@jest/globals';
import type { Block } from 'tesseract.js';
import { BlockType } from '../../ocr-pages/ocr-page.enums.js';
import { toPbm } from '../preprocess/prepare-for-ocr.js';
import { TesseractJsEngine, toRecognizedPage } from './tesseract-ocr.engine.js';

/** The parts of tesseract.js's result tree that toRecognizedPage reads. */
interface TWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
interface TLine extends TWord {
  words: TWord[];
}
interface TBlock extends TWord {
  blocktype: string | null;
  paragraphs: { lines: TLine[] }[];
}

const bbox = (x0: number, y0: number, x1: number, y1: number): TWord['bbox'] => ({
  x0,
  y0,
  x1,
  y1,
});

function word(text: string, confidence: number, x0 = 10, y0 = 20): TWord {
  return { text, confidence, bbox: bbox(x0, y0, x0 + 40, y0 + 12) };
}

function line(words: TWord[], confidence = 90, text = words.map((w) => w.text).join(' ')): TLine {
  return { text: ` ${text}\n`, confidence, bbox: bbox(10, 20, 300, 32), words };
}

function block(
  blocktype: string | number | null,
  paragraphs: TLine[][],
  confidence = 88,
  text = 'block text',
): TBlock {
  return {
    text: `${text}\n\n`,
    confidence,
    blocktype: blocktype as string | null,
    bbox: bbox(5, 15, 305, 95),
    paragraphs: paragraphs.map((lines) => ({ lines })),
  };
}

const asBlocks = (blocks: TBlock[]): Block[] => blocks as unknown as Block[];

describe('toRecognizedPage', () => {
  it('maps the block → paragraph → line → word tree with boxes and unit confidences', () => {
    const page = toRecognizedPage(
      '  Invoice 42\nTotal 9.99\n\n',
      asBlocks([
        block(
          'FLOWING_TEXT',
          [
            [line([word('Invoice', 95, 10, 20), word('42', 85, 60, 20)], 91)],
            [line([word('Total', 70, 10, 40), word('9.99', 60, 60, 40)], 65)],
          ],
          80,
          'Invoice 42\nTotal 9.99',
        ),
      ]),
    );

    expect(page).toEqual({
      text: 'Invoice 42\nTotal 9.99',
      confidence: expect.closeTo((0.95 + 0.85 + 0.7 + 0.6) / 4, 10),
      blocks: [
        {
          text: 'Invoice 42\nTotal 9.99',
          confidence: 0.8,
          box: { x: 5, y: 15, width: 300, height: 80 },
          blockType: BlockType.Text,
          lines: [
            {
              text: 'Invoice 42',
              confidence: 0.91,
              box: { x: 10, y: 20, width: 290, height: 12 },
              words: [
                { text: 'Invoice', confidence: 0.95, box: { x: 10, y: 20, width: 40, height: 12 } },
                { text: '42', confidence: 0.85, box: { x: 60, y: 20, width: 40, height: 12 } },
              ],
            },
            {
              text: 'Total 9.99',
              confidence: 0.65,
              box: { x: 10, y: 20, width: 290, height: 12 },
              words: [
                { text: 'Total', confidence: 0.7, box: { x: 10, y: 40, width: 40, height: 12 } },
                { text: '9.99', confidence: 0.6, box: { x: 60, y: 40, width: 40, height: 12 } },
              ],
            },
          ],
        },
      ],
    });
  });

  it('clamps confidences to [0, 1]', () => {
    const page = toRecognizedPage(
      'a b c',
      asBlocks([
        block('FLOWING_TEXT', [[line([word('a', 150), word('b', -5), word('c', 100)], 120)]], -1),
      ]),
    );
    const [recognizedBlock] = page.blocks;
    expect(recognizedBlock.confidence).toBe(0);
    expect(recognizedBlock.lines[0].confidence).toBe(1);
    expect(recognizedBlock.lines[0].words.map((w) => w.confidence)).toEqual([1, 0, 1]);
    expect(page.confidence).toBeCloseTo(2 / 3, 10);
    for (const w of recognizedBlock.lines[0].words) {
      expect(w.confidence).toBeGreaterThanOrEqual(0);
      expect(w.confidence).toBeLessThanOrEqual(1);
    }
  });

  it.each([
    ['HEADING_TEXT', BlockType.Title],
    ['PULLOUT_TEXT', BlockType.Title],
    ['TABLE', BlockType.Table],
    ['FLOWING_IMAGE', BlockType.Image],
    ['HEADING_IMAGE', BlockType.Image],
    ['PULLOUT_IMAGE', BlockType.Image],
    ['FLOWING_TEXT', BlockType.Text],
    ['VERTICAL_TEXT', BlockType.Text],
    ['CAPTION_TEXT', BlockType.Text],
    ['UNKNOWN', BlockType.Text],
    [null, BlockType.Text],
    // What tesseract.js 7 actually reports: the PolyBlockType number.
    [1, BlockType.Text],
    [2, BlockType.Title],
    [3, BlockType.Title],
    [6, BlockType.Table],
    [9, BlockType.Image],
    [11, BlockType.Image],
    [12, BlockType.Text],
  ])('maps blocktype %s to %s', (blocktype, expected) => {
    const page = toRecognizedPage('x', asBlocks([block(blocktype, [[line([word('word', 90)])]])]));
    expect(page.blocks).toHaveLength(1);
    expect(page.blocks[0].blockType).toBe(expected);
  });

  it('drops blank words, lines left without words and blocks left without lines', () => {
    const page = toRecognizedPage(
      'kept',
      asBlocks([
        block('FLOWING_TEXT', [
          [
            line([word('  ', 10), word('kept', 90), word('', 5)], 80),
            line([word(' ', 30), word('\n', 40)], 35, ''),
            line([], 0, ''),
          ],
          [],
        ]),
        block('FLOWING_IMAGE', [[line([word('   ', 0)], 0, '')]]),
        block(null, []),
      ]),
    );
    expect(page.blocks).toHaveLength(1);
    expect(page.blocks[0].lines).toHaveLength(1);
    expect(page.blocks[0].lines[0].words.map((w) => w.text)).toEqual(['kept']);
    // Only the kept word counts towards the page's confidence.
    expect(page.confidence).toBe(0.9);
  });

  it('averages the page confidence over the words of every block', () => {
    const page = toRecognizedPage(
      'x',
      asBlocks([
        block('HEADING_TEXT', [[line([word('INVOICE', 100)])]], 99),
        block(
          'FLOWING_TEXT',
          [[line([word('a', 40), word('b', 70)])], [line([word('c', 90)])]],
          50,
        ),
      ]),
    );
    // Word mean, not block mean: (1 + 0.4 + 0.7 + 0.9) / 4.
    expect(page.confidence).toBeCloseTo(0.75, 10);
    expect(page.blocks.map((b) => b.blockType)).toEqual([BlockType.Title, BlockType.Text]);
  });

  it('gives an empty page for null blocks', () => {
    expect(toRecognizedPage('  \n', null)).toEqual({ text: '', confidence: 0, blocks: [] });
  });

  it('gives confidence 0 when no block has a word', () => {
    const page = toRecognizedPage('', asBlocks([block('FLOWING_TEXT', [[line([word(' ', 99)])]])]));
    expect(page).toEqual({ text: '', confidence: 0, blocks: [] });
  });
});

describe('TesseractJsEngine', () => {
  it('starts every language model without writing an error to stderr', async () => {
    const written: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const engine = new TesseractJsEngine(['en', 'de', 'fr', 'nl', 'es', 'it']);
    const blank = toPbm({ data: new Uint8Array(64 * 32).fill(255), width: 64, height: 32 });
    try {
      for (const language of ['en', 'de', 'fr', 'nl', 'es', 'it'] as const) {
        await engine.recognize(blank, { language, dpi: 300 });
      }
    } finally {
      await engine.close();
      stderr.mockRestore();
    }
    expect(written.filter((line) => /error/i.test(line))).toEqual([]);
  }, 60_000);
});
