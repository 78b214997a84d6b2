import sharp from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import { ImageFormat } from '../../ocr-pages/ocr-page.enums.js';
import { decodePage } from '../decode/decode-page.js';
import { TesseractJsEngine } from '../recognize/tesseract-ocr.engine.js';
import { IDENTITY } from './affine.js';
import { histogramOf, inkThreshold, paperGrain, type GrayImage } from './image-analysis.js';
import {
  analysisCopy,
  contrastStretch,
  NOISY_ABOVE_PAPER_GRAIN,
  pageKind,
  prepareForOcr,
  toPbm,
  turnHalf,
  type PreparedImage,
} from './prepare-for-ocr.js';

/** A 10 × 3 binarised image with ink at the given (x, y) pixels. */
function inkAt(...points: [number, number][]): GrayImage {
  const data = new Uint8Array(30).fill(255);
  for (const [x, y] of points) {
    data[y * 10 + x] = 0;
  }
  return { data, width: 10, height: 3 };
}

describe('toPbm', () => {
  it('packs ink as set bits, eight pixels a byte, each row padded to a byte', () => {
    const pbm = toPbm(inkAt([0, 0], [7, 0], [8, 0], [9, 2]));
    const header = 'P4\n10 3\n';
    expect(pbm.subarray(0, header.length).toString('latin1')).toBe(header);
    expect([...pbm.subarray(header.length)]).toEqual([
      0b1000_0001, 0b1000_0000, 0, 0, 0, 0b0100_0000,
    ]);
  });
  it('packs every width as one bit per pixel, whatever the ink levels', () => {
    const inkLevels = new Uint8Array(256).map((_, level) => (level % 3 === 0 ? 1 : 0));
    for (const width of [1, 7, 8, 9, 16, 23]) {
      const data = new Uint8Array(width * 4).map((_, i) => (i * 37) % 256);
      const pbm = toPbm({ data, width, height: 4 }, inkLevels);
      const header = `P4\n${width} 4\n`;
      const rowBytes = Math.ceil(width / 8);
      const bit = (x: number, y: number): number =>
        (pbm[header.length + y * rowBytes + (x >> 3)] >> (7 - (x % 8))) & 1;
      for (let y = 0; y < 4; y++) {
        for (let x = 0; x < rowBytes * 8; x++) {
          expect(bit(x, y)).toBe(x < width ? inkLevels[data[y * width + x]] : 0);
        }
      }
    }
  });
});

describe('toPbm: the first pixel byte', () => {
  /** A white 64 × 4 image whose top row starts with the eight pixels of `byte` (1 bits ink). */
  const cornerOf = (byte: number): GrayImage => {
    const data = new Uint8Array(64 * 4).fill(255);
    for (let bit = 0; bit < 8; bit++) {
      data[bit] = (byte >> (7 - bit)) & 1 ? 0 : 255;
    }
    return { data, width: 64, height: 4 };
  };
  const firstByte = (pbm: Buffer): number => pbm[Buffer.byteLength('P4\n64 4\n')];

  it.each([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20])(
    'turns the corner to paper when its byte (0x%s) would read as whitespace',
    (byte) => {
      expect(firstByte(toPbm(cornerOf(byte)))).toBe(0);
    },
  );

  it('keeps every other corner as it is', () => {
    for (const byte of [0x00, 0x01, 0x08, 0x0e, 0x1f, 0x21, 0x23, 0x80, 0xff]) {
      expect(firstByte(toPbm(cornerOf(byte)))).toBe(byte);
    }
  });
});

describe('turnHalf', () => {
  it('turns the pixels half way round and maps boxes back through the turn', () => {
    const ink = inkAt([0, 0]);
    const prepared: PreparedImage = {
      image: toPbm(ink),
      dpi: 300,
      gray: ink,
      inkLevels: new Uint8Array(256).fill(1, 0, 128),
      kind: 'clean',
      width: 10,
      height: 3,
      toOriginal: IDENTITY,
      steps: {
        enhanced: false,
        deskewed: false,
        denoised: false,
        binarized: true,
        rotationAngle: 0,
      },
    };
    const turned = turnHalf(prepared);
    expect(turned.gray.data[2 * 10 + 9]).toBe(0);
    expect([...turned.gray.data].filter((value) => value === 0)).toHaveLength(1);
    expect(turned.image.equals(toPbm(inkAt([9, 2])))).toBe(true);
    expect(turned.steps.rotationAngle).toBe(180);
    expect(turned.dpi).toBe(300);
    // The turned image's bottom-right pixel is the original's top-left one.
    const { a, b, c, d, e, f } = turned.toOriginal;
    const [x, y] = [a * 9.5 + b * 2.5 + c, d * 9.5 + e * 2.5 + f];
    expect(x).toBeCloseTo(0.5, 10);
    expect(y).toBeCloseTo(0.5, 10);
  });
});

/** A corpus page decoded as the pipeline decodes it, with its analysis copy. */
async function decoded(name: string) {
  const rendered = await renderFixture(corpusFixtureByName(name));
  const page = await decodePage(rendered.image);
  if (page.kind !== 'image') {
    throw new Error(`${name} is not a raster page`);
  }
  return { rendered, page, copy: await analysisCopy(page.pixels) };
}

/** The same grey pixels with scanner grain added (seeded, so the test is repeatable). */
function withGrain(image: GrayImage): GrayImage {
  let seed = 12345;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i++) {
    data[i] = image.data[i] + (random() + random() + random() - 1.5) * 40;
  }
  return { ...image, data: new Uint8Array(data.buffer) };
}

describe('pageKind', () => {
  it('tells a clean render from the same page with grain, and takes a JPEG as noisy', async () => {
    const { page, copy } = await decoded('fr-01-credit-note-fr-png-200');
    expect(paperGrain(copy)).toBeLessThan(NOISY_ABOVE_PAPER_GRAIN);
    expect(pageKind(copy, false)).toBe('clean');

    const grainy = await analysisCopy(withGrain(page.pixels));
    expect(paperGrain(grainy)).toBeGreaterThan(NOISY_ABOVE_PAPER_GRAIN);
    expect(pageKind(grainy, false)).toBe('noisy');

    // JPEG ringing hugs the strokes, where the grain measure does not look: the format tells.
    const jpeg = await decoded('de-03-receipt-ch-jpeg-200');
    expect(paperGrain(jpeg.copy)).toBeLessThan(NOISY_ABOVE_PAPER_GRAIN);
    expect(jpeg.page.properties.format).toBe(ImageFormat.Jpeg);
    expect(pageKind(jpeg.copy, true)).toBe('noisy');
  });

  it('prepares a clean low-DPI page with the contrast stretch and a noisy one without', async () => {
    const clean = await decoded('fr-01-credit-note-fr-png-200');
    const options = { dpi: clean.page.working.dpi, orientation: 0 as const };
    const prepared = await prepareForOcr(clean.page.pixels, { ...options, analysis: clean.copy });
    expect(prepared.kind).toBe('clean');
    expect(prepared.steps.enhanced).toBe(true);
    expect(prepared.dpi).toBe(300);

    // The clean page's ink is what Otsu finds after sharp's normalise() of the enlarged page.
    const { data, info } = await sharp(prepared.gray.data, {
      raw: { width: prepared.width, height: prepared.height, channels: 1 },
    })
      .normalise()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const stretched = { data: new Uint8Array(data), width: info.width, height: info.height };
    const threshold = inkThreshold(stretched);
    const binary = stretched.data.map((level) => (level <= threshold ? 0 : 255));
    expect(prepared.image.equals(toPbm({ ...stretched, data: binary }))).toBe(true);

    // The same pixels, as a JPEG: Otsu on the enlarged page as it is, fewer pixels turn to ink.
    const noisy = await prepareForOcr(clean.page.pixels, { ...options, lossy: true });
    expect(noisy.kind).toBe('noisy');
    const inkOf = (image: PreparedImage) =>
      image.gray.data.reduce((sum, level) => sum + image.inkLevels[level], 0);
    expect(inkOf(noisy)).toBeLessThan(inkOf(prepared));
  });
});

/** The part of a grey image inside a rectangle. */
function crop(image: GrayImage, x: number, y: number, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const from = (y + row) * image.width + x;
    data.set(image.data.subarray(from, from + width), row * width);
  }
  return { data, width, height };
}

describe('contrastStretch', () => {
  // A whole page (a stand-in a tenth of its size), and parts of it with fewer pixels than the
  // stand-in would have (stood in for as they are).
  it.each([
    ['the whole page', undefined],
    ['a block of 600 × 400 pixels', [150, 120, 600, 400]],
    ['a block of 181 × 101 pixels', [300, 200, 181, 101]],
    ['a strip of 997 × 3 pixels', [0, 300, 997, 3]],
  ] as const)("equals sharp's normalise() of %s, level for level", async (_, part) => {
    const { page } = await decoded('nl-01-logo-nl-png-200');
    const image = part ? crop(page.pixels, part[0], part[1], part[2], part[3]) : page.pixels;
    const { width, height } = image;
    const input = () => sharp(image.data, { raw: { width, height, channels: 1 } }).median(3);
    const gray = new Uint8Array(await input().extractChannel(0).raw().toBuffer());
    const normalised = await input().normalise().extractChannel(0).raw().toBuffer();
    const table = await contrastStretch(histogramOf({ data: gray, width, height }));
    let differing = 0;
    for (let i = 0; i < gray.length; i++) {
      differing += table[gray[i]] === normalised[i] ? 0 : 1;
    }
    expect(differing).toBe(0);
  });
});

describe('prepareForOcr on a small page', () => {
  it('enlarges and binarises a clean low-resolution page smaller than the stretch stand-in', async () => {
    const { page } = await decoded('nl-01-logo-nl-png-200');
    const small = crop(page.pixels, 150, 120, 600, 400);
    const prepared = await prepareForOcr(small, { dpi: 200, orientation: 0 });
    expect(prepared.kind).toBe('clean');
    expect(prepared.steps.enhanced).toBe(true);
    expect([prepared.width, prepared.height, prepared.dpi]).toEqual([900, 600, 300]);
    const ink = prepared.gray.data.reduce((sum, level) => sum + prepared.inkLevels[level], 0);
    expect(ink).toBeGreaterThan(0);
    expect(ink).toBeLessThan(prepared.gray.data.length / 2);
  });
});

describe('prepareForOcr on a low-resolution JPEG scan (real OCR)', () => {
  const engine = new TesseractJsEngine(['de']);
  afterAll(() => engine.close());

  /** Share of the truth's words (three characters or more) found in what OCR read. */
  const recall = (truth: string, read: string): number => {
    const found = new Set(read.split(/\s+/));
    const words = truth.split(/\s+/).filter((word) => word.length >= 3);
    return words.filter((word) => found.has(word)).length / words.length;
  };

  it('reads the page better than with the contrast stretch it had before', async () => {
    const { rendered, page, copy } = await decoded('de-03-receipt-ch-jpeg-200');
    const options = { dpi: page.working.dpi, orientation: 0 as const, analysis: copy };
    const prepared = await prepareForOcr(page.pixels, { ...options, lossy: true });
    expect(prepared.kind).toBe('noisy');
    // Before: the enlarged page contrast-stretched (sharp's normalise()) and binarised by Otsu.
    const { data } = await sharp(prepared.gray.data, {
      raw: { width: prepared.width, height: prepared.height, channels: 1 },
    })
      .normalise()
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    const stretched = {
      data: new Uint8Array(data),
      width: prepared.width,
      height: prepared.height,
    };
    const threshold = inkThreshold(stretched);
    const before = toPbm({
      ...stretched,
      data: stretched.data.map((level) => (level <= threshold ? 0 : 255)),
    });

    const truth = rendered.text;
    const now = await engine.recognize(prepared.image, { language: 'de', dpi: prepared.dpi });
    const then = await engine.recognize(before, { language: 'de', dpi: prepared.dpi });
    expect(recall(truth, now.text)).toBeGreaterThan(0.9);
    expect(recall(truth, now.text)).toBeGreaterThan(recall(truth, then.text) + 0.2);
  }, 120_000);
});
