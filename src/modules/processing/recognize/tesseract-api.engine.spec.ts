import sharp from 'sharp';
import { toPbm } from '../preprocess/prepare-for-ocr.js';
import type { RecognizedPage } from '../processing.types.js';
import { TesseractApiEngine } from './tesseract-api.engine.js';
import { TesseractCliEngine } from './tesseract-cli.engine.js';
import {
  childrenRunning,
  tesseractInstalled,
  tesserocrInstalled,
} from '../../../../test/support/tesseract.js';

const describeWithTesserocr =
  tesseractInstalled() && tesserocrInstalled() ? describe : describe.skip;

/** Lines of text drawn at 300 DPI, binarised into the PBM the pipeline hands an engine. */
async function page(lines: string[]): Promise<Buffer> {
  const text = lines
    .map((line, index) => `<text x="60" y="${110 + index * 80}" font-size="34">${line}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="${160 + lines.length * 80}">
    <rect width="100%" height="100%" fill="white"/>
    <g font-family="DejaVu Sans">${text}</g></svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray = { data: new Uint8Array(data), width: info.width, height: info.height };
  return toPbm(gray, new Uint8Array(256).fill(1, 0, 128));
}

const INVOICE = ['INVOICE', 'Invoice number INV-2024-0042', 'Total due 1,234.56 EUR'];
const RECHNUNG = ['Rechnung Nr. 2024-117', 'Gesamtbetrag 1.234,56 EUR', 'Zahlbar bis 15.03.2024'];

const words = (read: RecognizedPage): string[] =>
  read.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => w.text)));

const servers = (): number[] => childrenRunning('python3');

describeWithTesserocr('TesseractApiEngine (the system tesseract library)', () => {
  it('reads exactly what the tesseract command reads, in each language, with one server', async () => {
    const api = new TesseractApiEngine(['en', 'de']);
    const cli = new TesseractCliEngine(['en', 'de']);
    try {
      const invoice = await page(INVOICE);
      const rechnung = await page(RECHNUNG);
      const english = await api.recognize(invoice, { dpi: 300 });
      expect(words(english)).toEqual([
        'INVOICE',
        'Invoice',
        'number',
        'INV-2024-0042',
        'Total',
        'due',
        '1,234.56',
        'EUR',
      ]);
      // Same text, lines, blocks, boxes and confidences as the command's hOCR.
      expect(english).toEqual(await cli.recognize(invoice, { dpi: 300 }));
      const german = await api.recognize(rechnung, { language: 'de', dpi: 300 });
      expect(german).toEqual(await cli.recognize(rechnung, { language: 'de', dpi: 300 }));
      expect(words(german)).toContain('Gesamtbetrag');
      // Both models were read by one process, which stays for the next page.
      expect(servers()).toHaveLength(1);
      expect(await api.recognize(invoice, { dpi: 300 })).toEqual(english);
      expect(servers()).toHaveLength(1);
    } finally {
      await Promise.all([api.close(), cli.close()]);
    }
    expect(servers()).toEqual([]);
  }, 60_000);

  it('fails a read the server cannot take with its reason, and reads the next page', async () => {
    const api = new TesseractApiEngine(['en']);
    try {
      const png = await sharp({
        create: { width: 64, height: 32, channels: 3, background: 'white' },
      })
        .png()
        .toBuffer();
      await expect(api.recognize(png)).rejects.toThrow(
        'tesseract-api: the image is not a binary PBM (P4) or an 8-bit PGM (P5)',
      );
      const cut = await page(INVOICE);
      await expect(api.recognize(cut.subarray(0, cut.length / 2))).rejects.toThrow(
        'tesseract-api: the image is cut short',
      );
      expect(words(await api.recognize(await page(INVOICE), { dpi: 300 }))).toContain('INVOICE');
    } finally {
      await api.close();
    }
  }, 60_000);

  it('fails the page of a server killed while reading it, and starts a new one for the next', async () => {
    const api = new TesseractApiEngine(['en']);
    try {
      const invoice = await page(INVOICE);
      await api.recognize(invoice, { dpi: 300 });
      const [first] = servers();
      const reading = api.recognize(invoice, { dpi: 300 });
      process.kill(first, 'SIGKILL');
      await expect(reading).rejects.toThrow('the tesseract-api server ended with SIGKILL');
      expect(words(await api.recognize(invoice, { dpi: 300 }))).toContain('INVOICE');
      expect(servers()).toHaveLength(1);
      expect(servers()).not.toContain(first);
    } finally {
      await api.close();
    }
    expect(servers()).toEqual([]);
  }, 60_000);
});
