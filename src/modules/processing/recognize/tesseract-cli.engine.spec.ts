import sharp from 'sharp';
import { toPbm } from '../preprocess/prepare-for-ocr.js';
import { TesseractCliEngine } from './tesseract-cli.engine.js';
import { TesseractJsEngine } from './tesseract-ocr.engine.js';
import {
  commandLine,
  tesseractChildren,
  tesseractInstalled,
} from '../../../../test/support/tesseract.js';

const describeWithTesseract = tesseractInstalled() ? describe : describe.skip;

async function invoiceLines(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="420">
    <rect width="100%" height="100%" fill="white"/>
    <text x="60" y="90" font-size="56" font-family="DejaVu Sans" font-weight="bold">INVOICE</text>
    <text x="60" y="220" font-size="30" font-family="DejaVu Sans">Invoice number INV-2024-0042</text>
    <text x="60" y="290" font-size="30" font-family="DejaVu Sans">Total due 1,234.56 EUR</text>
    </svg>`;
  return sharp(Buffer.from(svg)).greyscale().withDensity(300).png().toBuffer();
}

/** Waits until none of `pids` is a running child any more. */
async function untilEnded(pids: number[]): Promise<void> {
  const running = (): boolean => tesseractChildren().some((pid) => pids.includes(pid));
  for (let waited = 0; running() && waited < 5_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The 'exit' of a child reaped a moment ago reaches its ChildProcess on a later turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const words = (page: Awaited<ReturnType<TesseractCliEngine['recognize']>>): string[] =>
  page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => w.text)));

describeWithTesseract('TesseractCliEngine (the system tesseract)', () => {
  const engine = new TesseractCliEngine(['en']);
  afterAll(() => engine.close());

  it('reads words, lines and blocks with boxes, like tesseract.js on the same image', async () => {
    const png = await invoiceLines();
    const native = await engine.recognize(png);
    const wasm = new TesseractJsEngine(['en']);
    const reference = await wasm.recognize(png).finally(() => wasm.close());

    expect(words(native)).toEqual([
      'INVOICE',
      'Invoice',
      'number',
      'INV-2024-0042',
      'Total',
      'due',
      '1,234.56',
      'EUR',
    ]);
    expect(words(native)).toEqual(words(reference));
    expect(native.text.split('\n').filter(Boolean)).toEqual(
      reference.text.split('\n').filter(Boolean),
    );
    // The same layout: as many lines, each word's box within a few pixels of tesseract.js's.
    const lines = (page: typeof native): number => page.blocks.flatMap((b) => b.lines).length;
    expect(lines(native)).toBe(lines(reference));
    const boxes = (page: typeof native) =>
      page.blocks.flatMap((b) => b.lines.flatMap((l) => l.words.map((w) => w.box)));
    boxes(native).forEach((box, i) => {
      const other = boxes(reference)[i];
      for (const key of ['x', 'y', 'width', 'height'] as const) {
        expect(Math.abs(box[key] - other[key])).toBeLessThanOrEqual(3);
      }
    });
    expect(native.confidence).toBeGreaterThan(0.8);
  }, 60_000);

  it('reads the 1-bit PBM the pipeline hands it, at the resolution it is told, as tesseract.js does', async () => {
    const { data, info } = await sharp(await invoiceLines())
      .threshold(128)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pbm = toPbm({ data: new Uint8Array(data), width: info.width, height: info.height });
    const native = await engine.recognize(pbm, { dpi: 300 });
    const wasm = new TesseractJsEngine(['en']);
    const reference = await wasm.recognize(pbm, { dpi: 300 }).finally(() => wasm.close());

    expect(words(native)).toEqual(words(await engine.recognize(await invoiceLines())));
    expect(words(reference)).toEqual(words(native));
  }, 60_000);

  it('reads a page with the model of the language asked for (-l deu)', async () => {
    const german = new TesseractCliEngine(['en', 'de']);
    const page = await german
      .recognize(await invoiceLines(), { language: 'de' })
      .finally(() => german.close());
    expect(words(page)).toContain('INV-2024-0042');
  }, 60_000);

  it('with standby, reads the next page with the process it left waiting, model loaded', async () => {
    const others = tesseractChildren();
    const ours = (): number[] => tesseractChildren().filter((pid) => !others.includes(pid));
    const standbyEngine = new TesseractCliEngine(['en', 'de'], { standby: true });
    try {
      const image = await invoiceLines();
      const fresh = await standbyEngine.recognize(image, { dpi: 300 });
      // The read's own process has ended; the one left waits for the next image.
      const [englishStandby, ...more] = ours();
      expect(englishStandby).toBeDefined();
      expect(more).toEqual([]);
      // The next read with the same model is the standby's, and a new standby waits beside it.
      const reading = standbyEngine.recognize(image, { dpi: 300 });
      const during = ours();
      expect(during).toContain(englishStandby);
      expect(during).toHaveLength(2);
      expect(await reading).toEqual(fresh);
      // Another model: read by a process of its own, and the standby waits with that model.
      const german = await standbyEngine.recognize(image, { language: 'de', dpi: 300 });
      expect(words(german)).toContain('INV-2024-0042');
      const [germanStandby, ...moreStandbys] = ours();
      expect(moreStandbys).toEqual([]);
      expect(commandLine(germanStandby)).toContain('-l deu');
    } finally {
      await standbyEngine.close();
    }
    // close() resolves once every process has ended.
    expect(ours()).toEqual([]);
  }, 60_000);

  it('without standby, leaves no tesseract running between reads', async () => {
    const others = tesseractChildren();
    await engine.recognize(await invoiceLines(), { dpi: 300 });
    expect(tesseractChildren().filter((pid) => !others.includes(pid))).toEqual([]);
  });

  it.each([
    ['once Node has seen it end', true],
    ['just before it is given the image', false],
  ])(
    'reads the page all the same when its standby was killed %s',
    async (_, seenEnded) => {
      const others = tesseractChildren();
      const standbyEngine = new TesseractCliEngine(['en'], { standby: true });
      try {
        const image = await invoiceLines();
        const first = await standbyEngine.recognize(image, { dpi: 300 });
        const [standby] = tesseractChildren().filter((pid) => !others.includes(pid));
        process.kill(standby, 'SIGKILL');
        if (seenEnded) {
          await untilEnded([standby]);
        }
        await expect(standbyEngine.recognize(image, { dpi: 300 })).resolves.toEqual(first);
      } finally {
        await standbyEngine.close();
      }
    },
    60_000,
  );

  it('rejects with tesseract’s message when it cannot read the input', async () => {
    await expect(engine.recognize(Buffer.from('not an image'))).rejects.toThrow(/tesseract ended/);
  });

  it('finds every language the service reads installed (as .ci/run installs them)', async () => {
    await expect(
      TesseractCliEngine.check(['en', 'de', 'fr', 'nl', 'es', 'it']),
    ).resolves.toBeUndefined();
  });
});
