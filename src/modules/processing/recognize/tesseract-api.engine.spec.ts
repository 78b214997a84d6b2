import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Lines of text, binarised into the PBM the pipeline hands an engine (34 px high: 300 DPI). */
async function page(lines: string[]): Promise<Buffer> {
  const fontSize = 34;
  const pitch = fontSize * 2.4;
  const text = lines
    .map(
      (line, index) =>
        `<text x="60" y="${110 + index * pitch}" font-size="${fontSize}">${line}</text>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${fontSize * 42}" height="${160 + lines.length * pitch}">
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
      expect(words(english).join(' ')).toBe(INVOICE.join(' '));
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
      const cpuTicks = (): number => {
        const stat = readFileSync(`/proc/${first}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[11]) + Number(fields[12]);
      };
      // A page that takes the server a while, killed once it is reading it (its CPU time grows).
      const long = await page(Array.from({ length: 40 }, (_, line) => `${INVOICE[1]} ${line}`));
      const idle = cpuTicks();
      const reading = api.recognize(long, { dpi: 300 });
      let settled = false;
      void reading.then(
        () => (settled = true),
        () => (settled = true),
      );
      while (cpuTicks() < idle + 5) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(settled).toBe(false);
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

/**
 * The engine's side of the protocol, against a server that answers as its image says (each image
 * is the name of an answer): answers cut anywhere, in one piece, or wrong.
 */
const STUB_SERVER = String.raw`
import json, sys, time
HOCR = ("<div class='ocr_page' id='page_1' title='bbox 0 0 400 100'>"
  "<div class='ocr_carea' id='block_1_1' title='bbox 10 10 300 40'>"
  "<p class='ocr_par' id='par_1_1' title='bbox 10 10 300 40'>"
  "<span class='ocr_line' id='line_1_1' title='bbox 10 10 300 40'>"
  "<span class='ocrx_word' id='word_1_1' title='bbox 10 10 140 40; x_wconf 91'>Größe</span>"
  "<span class='ocrx_word' id='word_1_2' title='bbox 150 10 300 40; x_wconf 88'>12,50 €</span>"
  "</span></p></div></div>").encode("utf-8")
def send(data, piece=None):
    for at in range(0, len(data), piece or len(data)):
        sys.stdout.buffer.write(data[at:at + (piece or len(data))])
        sys.stdout.buffer.flush()
        if piece:
            time.sleep(0.002)
def header(value):
    return json.dumps(value).encode("utf-8") + b"\n"
while True:
    line = sys.stdin.buffer.readline()
    if not line:
        break
    request = json.loads(line)
    name = sys.stdin.buffer.read(request["length"]).decode()
    if name == "bytewise":
        send(header({"ok": True, "length": len(HOCR)}) + HOCR, 1)
    elif name == "whole":
        send(header({"ok": True, "length": len(HOCR)}) + HOCR)
    elif name == "refused":
        send(header({"ok": False, "error": "no such model"}))
    elif name == "malformed":
        send(b"{not json\n")
    elif name == "no length":
        send(header({"ok": True}) + HOCR)
    elif name == "oversized":
        send(header({"ok": True, "length": 64 * 1024 * 1024}))
    elif name == "more than announced":
        send(header({"ok": True, "length": 10}) + HOCR)
    elif name == "exit":
        sys.exit(3)
`;

describeWithTesserocr("TesseractApiEngine's side of the protocol", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesseract-api-'));
  const script = join(dir, 'stub-server.py');
  writeFileSync(script, STUB_SERVER);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ask = (engine: TesseractApiEngine, answer: string): Promise<RecognizedPage> =>
    engine.recognize(Buffer.from(answer));

  it('reads an answer cut anywhere, characters of several bytes included, and reads after it', async () => {
    const engine = new TesseractApiEngine(['en'], script);
    try {
      const whole = await ask(engine, 'whole');
      expect(words(whole)).toEqual(['Größe', '12,50 €']);
      // Each byte on its own: the header line, and the UTF-8 of ö, ß and € cut in the middle.
      expect(await ask(engine, 'bytewise')).toEqual(whole);
      // Reads asked for at once are answered one after the other, each with its own answer.
      const together = await Promise.all([
        ask(engine, 'bytewise'),
        ask(engine, 'refused').catch((error: Error) => error.message),
        ask(engine, 'whole'),
      ]);
      expect(together).toEqual([whole, 'tesseract-api: no such model', whole]);
      expect(servers()).toHaveLength(1);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it.each([
    ['malformed', 'the tesseract-api server answered with a malformed header'],
    ['no length', 'the tesseract-api server announced no valid length'],
    ['oversized', "tesseract's hOCR output exceeded 33554432 bytes"],
    ['more than announced', 'the tesseract-api server answered more than it announced'],
    ['exit', 'the tesseract-api server ended with code 3'],
  ])(
    'fails the read of an untrustworthy answer (%s), ends that server and reads with a new one',
    async (answer, message) => {
      const engine = new TesseractApiEngine(['en'], script);
      try {
        await ask(engine, 'whole');
        const [first] = servers();
        await expect(ask(engine, answer)).rejects.toThrow(message);
        expect(words(await ask(engine, 'whole'))).toEqual(['Größe', '12,50 €']);
        expect(servers()).not.toContain(first);
      } finally {
        await engine.close();
      }
      expect(servers()).toEqual([]);
    },
    30_000,
  );
});
