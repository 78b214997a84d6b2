import * as bmp from 'bmp-ts';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { ColorSpace, ImageFormat } from '../../ocr-pages/ocr-page.enums.js';
import type { Box } from '../processing.types.js';
import { decodePage, type DecodedPage, type MeasuredProperties } from './decode-page.js';
import { UnsupportedImageError } from './unsupported-image.error.js';
import {
  noisePng,
  pdfWithHugeImage,
  rleBmpDeclaring80Megapixels,
  tiffWithPages,
} from '../../../../test/support/hostile-files.js';

const A4_WIDTH_INCHES = 8.27;

/** Deterministic noise bytes (a linear congruential generator), so failures reproduce. */
function noise(length: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/** A white 300×200 RGB canvas with a dark square, so rotation can be seen in the pixels. */
function canvas(width = 300, height = 200): Sharp {
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } }).composite([
    {
      input: { create: { width: 40, height: 40, channels: 3, background: '#000000' } },
      left: 0,
      top: 0,
    },
  ]);
}

async function image(
  decoded: DecodedPage,
): Promise<{ png: Buffer; width: number; height: number }> {
  expect(decoded.kind).toBe('image');
  if (decoded.kind !== 'image') {
    throw new Error('not an image');
  }
  const { pixels } = decoded;
  expect(pixels.data).toHaveLength(pixels.width * pixels.height);
  const png = await sharp(pixels.data, {
    raw: { width: pixels.width, height: pixels.height, channels: 1 },
  })
    .png()
    .toBuffer();
  return { png, width: pixels.width, height: pixels.height };
}

/** A PDF page (in points) with one line of Helvetica text, or an embedded image and no text. */
async function textPdf(options: { rotate?: number; text?: string } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(options.text ?? 'Invoice number INV-12345 total 99.50', {
    x: 36,
    y: 144,
    size: 12,
    font,
  });
  if (options.rotate !== undefined) {
    page.setRotation(degrees(options.rotate));
  }
  return Buffer.from(await doc.save());
}

async function scannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([144, 72]);
  const png = await canvas(120, 60).png().toBuffer();
  const embedded = await doc.embedPng(png);
  page.drawImage(embedded, { x: 12, y: 6, width: 120, height: 60 });
  return Buffer.from(await doc.save());
}

/** 24-bit BMP, pixel data given as [unused, b, g, r] per pixel (bmp-ts's encoder layout). */
function bmp24(width: number, height: number, pixelsPerMetre = 0): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data.set([0, 10, 20, 200], i * 4);
  }
  return bmp.encode({ width, height, data, bitPP: 24, hr: pixelsPerMetre, vr: pixelsPerMetre })
    .data;
}

async function expectUnsupported(bytes: Buffer): Promise<UnsupportedImageError> {
  const error: unknown = await decodePage(bytes).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnsupportedImageError);
  return error as UnsupportedImageError;
}

function allWords(decoded: DecodedPage): { text: string; box: Box }[] {
  if (decoded.kind !== 'text-layer') {
    throw new Error('no text layer');
  }
  return decoded.page.blocks.flatMap((block) => block.lines.flatMap((line) => line.words));
}

function inside(box: Box, width: number, height: number): boolean {
  return (
    box.x >= 0 &&
    box.y >= 0 &&
    box.width > 0 &&
    box.height > 0 &&
    box.x + box.width <= width &&
    box.y + box.height <= height
  );
}

describe('decodePage: raster images', () => {
  it('reads a PNG with its density', async () => {
    const bytes = await canvas().withMetadata({ density: 200 }).png().toBuffer();
    const decoded = await decodePage(bytes);
    const png = await image(decoded);
    expect(png).toMatchObject({ width: 300, height: 200 });
    expect(decoded.properties).toEqual<MeasuredProperties>({
      width: 300,
      height: 200,
      dpi: 200,
      colorSpace: ColorSpace.Rgb,
      format: ImageFormat.Png,
      size: bytes.length,
    });
    expect(decoded).toMatchObject({ kind: 'image', lossy: false });
  });

  it('takes the density set with withDensity too', async () => {
    const bytes = await canvas().withDensity(200).png().toBuffer();
    expect((await decodePage(bytes)).properties.dpi).toBe(200);
  });

  it('estimates the DPI of a PNG without density from an A4 page width', async () => {
    const bytes = await canvas(2480, 3508).png().toBuffer();
    const decoded = await decodePage(bytes);
    expect(decoded.properties.dpi).toBe(Math.round(2480 / A4_WIDTH_INCHES));
    expect(decoded.properties.dpi).toBe(300);
  });

  it.each([
    ['JPEG', (s: Sharp) => s.withDensity(150).jpeg(), ImageFormat.Jpeg, 150],
    ['TIFF', (s: Sharp) => s.withDensity(150).tiff(), ImageFormat.Tiff, 150],
    ['WebP', (s: Sharp) => s.webp(), ImageFormat.Webp, Math.round(300 / A4_WIDTH_INCHES)],
    ['GIF', (s: Sharp) => s.gif(), ImageFormat.Gif, Math.round(300 / A4_WIDTH_INCHES)],
  ])('reads a %s as a PNG', async (_name, encode, format, dpi) => {
    const bytes = await encode(canvas()).toBuffer();
    const decoded = await decodePage(bytes);
    expect(await image(decoded)).toMatchObject({ width: 300, height: 200 });
    expect(decoded.properties).toMatchObject({
      width: 300,
      height: 200,
      dpi,
      format,
      size: bytes.length,
    });
    expect(decoded.properties.colorSpace).not.toBe(ColorSpace.Cmyk);
  });

  it('reports an RGB JPEG, TIFF and WebP as rgb', async () => {
    for (const bytes of [
      await canvas().jpeg().toBuffer(),
      await canvas().tiff().toBuffer(),
      await canvas().webp().toBuffer(),
    ]) {
      expect((await decodePage(bytes)).properties.colorSpace).toBe(ColorSpace.Rgb);
    }
  });

  it.each([
    ['one-channel', 1],
    ['grey-and-alpha', 2],
  ])('reports a %s PNG as grayscale', async (_name, channels) => {
    const bytes = await sharp(Buffer.alloc(300 * 200 * channels, 255), {
      raw: { width: 300, height: 200, channels: channels as 1 | 2 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(bytes).metadata()).channels).toBe(channels);
    const decoded = await decodePage(bytes);
    expect(await image(decoded)).toMatchObject({ width: 300, height: 200 });
    expect(decoded.properties).toMatchObject({
      colorSpace: ColorSpace.Grayscale,
      format: ImageFormat.Png,
    });
  });

  it('reports a 1-bit PNG as binary', async () => {
    const bytes = await sharp(Buffer.alloc(64 * 64, 255), {
      raw: { width: 64, height: 64, channels: 1 },
    })
      .png({ palette: true, colours: 2 })
      .toBuffer();
    expect((await sharp(bytes).metadata()).bitsPerSample).toBe(1);
    expect((await decodePage(bytes)).properties.colorSpace).toBe(ColorSpace.Binary);
  });

  it('reports a CMYK JPEG as cmyk', async () => {
    const bytes = await canvas().toColourspace('cmyk').jpeg().toBuffer();
    expect((await sharp(bytes).metadata()).space).toBe('cmyk');
    expect((await decodePage(bytes)).properties.colorSpace).toBe(ColorSpace.Cmyk);
  });

  it('applies the EXIF orientation: width and height are the displayed ones', async () => {
    // Orientation 6: the stored 300×200 image displays turned 90° clockwise, as 200×300.
    const bytes = await canvas().withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await sharp(bytes).metadata()).toMatchObject({
      width: 300,
      height: 200,
      orientation: 6,
    });

    const decoded = await decodePage(bytes);
    const png = await image(decoded);
    expect(png).toMatchObject({ width: 200, height: 300 });
    expect(decoded.properties).toMatchObject({ width: 200, height: 300, format: ImageFormat.Jpeg });
    expect(decoded).toMatchObject({ kind: 'image', lossy: true });
    // The stored top-left square is at the displayed top-right.
    const { data, info } = await sharp(png.png)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number => data[y * info.width + x];
    expect(at(info.width - 10, 10)).toBeLessThan(64);
    expect(at(10, 10)).toBeGreaterThan(192);
    // The DPI estimate uses the displayed width.
    expect(decoded.properties.dpi).toBe(Math.round(200 / A4_WIDTH_INCHES));
  });
});

describe('decodePage: BMP', () => {
  it('reads a 24-bit BMP with its resolution', async () => {
    const bytes = bmp24(30, 20, 7874); // 7874 pixels per metre = 200 DPI
    const decoded = await decodePage(bytes);
    const png = await image(decoded);
    expect(png).toMatchObject({ width: 30, height: 20 });
    expect(decoded.properties).toEqual<MeasuredProperties>({
      width: 30,
      height: 20,
      dpi: 200,
      colorSpace: ColorSpace.Rgb,
      format: ImageFormat.Bmp,
      size: bytes.length,
    });
    // The working copy OCR gets is grey: the colour (200, 20, 10) as one luminance.
    const { data, info } = await sharp(png.png)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(1);
    expect(data[0]).toBe(
      (
        await sharp(Buffer.from([200, 20, 10]), { raw: { width: 1, height: 1, channels: 3 } })
          .greyscale()
          .raw()
          .toBuffer()
      )[0],
    );
  });

  it('estimates the DPI of a BMP without resolution from an A4 page width', async () => {
    const decoded = await decodePage(bmp24(827, 4));
    expect(decoded.properties.dpi).toBe(100);
  });
});

describe('decodePage: PDF', () => {
  it('reads the text layer of a born-digital page at 300 DPI', async () => {
    const bytes = await textPdf();
    const decoded = await decodePage(bytes);
    expect(decoded.kind).toBe('text-layer');
    // 300×200 pt at 300/72 pixels per point.
    expect(decoded.properties).toEqual<MeasuredProperties>({
      width: 1250,
      height: 834,
      dpi: 300,
      colorSpace: ColorSpace.Rgb,
      format: ImageFormat.Pdf,
      size: bytes.length,
    });
    if (decoded.kind !== 'text-layer') {
      return;
    }
    expect(decoded.page.confidence).toBe(1);
    expect(decoded.page.blocks).toHaveLength(1);
    const { lines } = decoded.page.blocks[0];
    expect(lines).toHaveLength(1);
    expect(lines[0].words.map((w) => w.text)).toEqual([
      'Invoice',
      'number',
      'INV-12345',
      'total',
      '99.50',
    ]);
    expect(decoded.page.text).toBe('Invoice number INV-12345 total 99.50');
    for (const word of lines[0].words) {
      expect(inside(word.box, 1250, 834)).toBe(true);
      expect(word.confidence).toBe(1);
    }
    // The run starts at x = 36 pt (150 px); its baseline is 144 pt up (56 pt = 233 px down).
    const first = lines[0].words[0].box;
    expect(Math.abs(first.x - 150)).toBeLessThanOrEqual(2);
    expect(Math.abs(first.y + first.height - 233)).toBeLessThanOrEqual(2);
    // Words run left to right without overlapping.
    const xs = lines[0].words.map((w) => w.box.x);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });

  it('joins a word its producer drew in several runs, and keeps spaced runs apart', async () => {
    // Browsers end a run at a ligature or a font change: `Ka` + `ff` + `eehaus` is one word.
    const doc = await PDFDocument.create();
    const page = doc.addPage([300, 200]);
    const regular = await doc.embedFont(StandardFonts.Helvetica);
    const bold = await doc.embedFont(StandardFonts.HelveticaBold);
    let x = 36;
    const draw = (text: string, font = regular): void => {
      page.drawText(text, { x, y: 144, size: 12, font });
      x += font.widthOfTextAtSize(text, 12);
    };
    draw('Wiener Ka');
    draw('ff', bold);
    draw('eehaus Huber ');
    draw('Total', bold);
    x += 30;
    draw('99.50');
    const decoded = await decodePage(Buffer.from(await doc.save()));
    if (decoded.kind !== 'text-layer') {
      throw new Error('expected a text layer');
    }
    expect(decoded.page.text).toBe('Wiener Kaffeehaus Huber Total 99.50');
    const joined = allWords(decoded).find((word) => word.text === 'Kaffeehaus')!;
    // Its box spans the three runs: from `K` to the last `s`.
    const first = allWords(decoded).find((word) => word.text === 'Wiener')!;
    expect(joined.box.x).toBeGreaterThan(first.box.x + first.box.width);
    expect(joined.box.width).toBeGreaterThan(first.box.width);
  });

  it('maps text-layer boxes onto a page displayed rotated by 90°', async () => {
    const decoded = await decodePage(await textPdf({ rotate: 90 }));
    expect(decoded.kind).toBe('text-layer');
    if (decoded.kind !== 'text-layer') {
      return;
    }
    // Displayed on its side: width and height swap.
    expect(decoded.properties).toMatchObject({ width: 834, height: 1250 });
    const words = allWords(decoded);
    expect(words.map((w) => w.text)).toEqual(['Invoice', 'number', 'INV-12345', 'total', '99.50']);
    for (const word of words) {
      // Upright boxes are on the 1250×834 page; displayed ones on the 834×1250 page.
      expect(inside(word.box, 1250, 834)).toBe(true);
      const shown = decoded.toDisplayed(word.box);
      expect(inside(shown, 834, 1250)).toBe(true);
      // A quarter-turn clockwise: (x, y) upright → (834 − y, x) displayed; sizes swap.
      expect(Math.abs(shown.width - word.box.height)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.height - word.box.width)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.y - word.box.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.x - (834 - word.box.y - word.box.height))).toBeLessThanOrEqual(1);
    }
  });

  it('maps boxes unchanged for an unrotated page', async () => {
    const decoded = await decodePage(await textPdf());
    if (decoded.kind !== 'text-layer') {
      throw new Error('expected a text layer');
    }
    for (const word of allWords(decoded)) {
      const shown = decoded.toDisplayed(word.box);
      expect(Math.abs(shown.x - word.box.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.y - word.box.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.width - word.box.width)).toBeLessThanOrEqual(1);
      expect(Math.abs(shown.height - word.box.height)).toBeLessThanOrEqual(1);
    }
  });

  it('renders a page with less than 20 characters of text as an image', async () => {
    const decoded = await decodePage(await textPdf({ text: 'Page 1 of 2' }));
    expect(decoded.kind).toBe('image');
  });

  it('renders a scanned page (an image, no text) at 300 DPI', async () => {
    const bytes = await scannedPdf();
    const decoded = await decodePage(bytes);
    const png = await image(decoded);
    // 144×72 pt = 2×1 in.
    expect(png).toMatchObject({ width: 600, height: 300 });
    expect(decoded.properties).toEqual<MeasuredProperties>({
      width: 600,
      height: 300,
      dpi: 300,
      colorSpace: ColorSpace.Rgb,
      format: ImageFormat.Pdf,
      size: bytes.length,
    });
    // The embedded image's black square is drawn, on a white background.
    const { data, info } = await sharp(png.png)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number): number => data[y * info.width + x];
    expect(at(5, 5)).toBeGreaterThan(192); // margin
    expect(at(70, 50)).toBeLessThan(64); // the square, at the image's top-left
    expect(at(400, 200)).toBeGreaterThan(192); // the image's white area
  });
});

describe('decodePage: refused input', () => {
  it('refuses random bytes', async () => {
    await expectUnsupported(noise(4096));
  });

  it('refuses an empty file', async () => {
    await expectUnsupported(Buffer.alloc(0));
  });

  it('refuses a truncated PNG', async () => {
    const png = await sharp({
      create: { width: 400, height: 400, channels: 3, background: '#fff' },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><circle cx="200" cy="200" r="150" fill="#123"/></svg>',
          ),
        },
      ])
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(png.length).toBeGreaterThan(1000);
    await expectUnsupported(png.subarray(0, 200));
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = await sharp(noise(200 * 200 * 3), {
      raw: { width: 200, height: 200, channels: 3 },
    })
      .jpeg()
      .toBuffer();
    await expectUnsupported(jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  });

  it('refuses an HTML document', async () => {
    await expectUnsupported(
      Buffer.from(
        '<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>',
      ),
    );
  });

  it('refuses an SVG image (sharp reads it, but it is not an accepted format)', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#fff"/></svg>',
    );
    expect((await sharp(svg).metadata()).format).toBe('svg');
    const error = await expectUnsupported(svg);
    expect(error.message).toContain('svg');
  });

  it('refuses a BMP header claiming 100000×100000 pixels quickly, without decoding it', async () => {
    const header = Buffer.alloc(54);
    header.write('BM', 0, 'latin1');
    header.writeUInt32LE(54, 2);
    header.writeUInt32LE(54, 10);
    header.writeUInt32LE(40, 14);
    header.writeInt32LE(100_000, 18);
    header.writeInt32LE(100_000, 22);
    header.writeUInt16LE(1, 26);
    header.writeUInt16LE(24, 28);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const error = await expectUnsupported(header);
    expect(performance.now() - started).toBeLessThan(500);
    // Decoding would allocate 100000 × 100000 × 4 bytes; nothing near that was.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    expect(error.message).toMatch(/too large/);
  });

  it.each([
    ['top-down (negative height)', 100_000, -100_000],
    ['zero width', 0, 10],
    ['negative width', -10, 10],
    ['zero height', 10, 0],
  ])('refuses a BMP header with %s', async (_name, width, height) => {
    const header = Buffer.from(bmp24(2, 2));
    header.writeInt32LE(width, 18);
    header.writeInt32LE(height, 22);
    await expectUnsupported(header);
  });

  it('refuses a BMP whose pixel data is cut short', async () => {
    const header = Buffer.from(bmp24(100, 100).subarray(0, 54));
    await expectUnsupported(header);
  });

  it('refuses a PDF with garbage after %PDF-', async () => {
    await expectUnsupported(Buffer.concat([Buffer.from('%PDF-'), noise(2048)]));
  });

  it('refuses a PDF header with nothing after it', async () => {
    await expectUnsupported(Buffer.from('%PDF-1.7\n%%EOF\n'));
  });
});

describe('decodePage: bounded work', () => {
  it('scales a 600 DPI page down to 300 DPI before any other work, keeping its measured size', async () => {
    const png = await canvas(4960, 7016).withDensity(600).png().toBuffer();
    const decoded = await decodePage(png);
    expect(decoded.kind).toBe('image');
    if (decoded.kind !== 'image') {
      return;
    }
    expect(decoded.properties).toMatchObject({ width: 4960, height: 7016, dpi: 600 });
    expect(decoded.working).toEqual({ width: 2480, height: 3508, dpi: 300 });
    expect([decoded.pixels.width, decoded.pixels.height]).toEqual([2480, 3508]);
    expect(decoded.pixels.data).toHaveLength(2480 * 3508);
  });

  it('leaves a 300 DPI page at its size', async () => {
    const png = await canvas(2480, 3508).withDensity(300).png().toBuffer();
    const decoded = await decodePage(png);
    expect(decoded.kind === 'image' && decoded.working).toEqual({
      width: 2480,
      height: 3508,
      dpi: 300,
    });
  });

  it('reads a 10000 × 8000 noise PNG (80 MP) at a working size of at most 12 MP', async () => {
    const decoded = await decodePage(noisePng());
    expect(decoded.kind).toBe('image');
    if (decoded.kind !== 'image') {
      return;
    }
    expect(decoded.properties).toMatchObject({ width: 10_000, height: 8_000 });
    expect(decoded.working.width * decoded.working.height).toBeLessThanOrEqual(12_000_000);
    expect(decoded.working.dpi).toBeLessThanOrEqual(300);
  });

  it('scales a strip longer than OCR reads down to 32767 pixels', async () => {
    const png = await sharp({
      create: { width: 20, height: 40_000, channels: 3, background: '#ffffff' },
    })
      .withDensity(300)
      .png()
      .toBuffer();
    const decoded = await decodePage(png);
    expect(decoded.kind === 'image' && decoded.working).toEqual({
      width: 16,
      height: 32_767,
      dpi: 246,
    });
  });

  it('renders a PDF page longer than OCR reads at most 32767 pixels long', async () => {
    const doc = await PDFDocument.create();
    // 8 × 8000 points: 33 × 33333 pixels at 300 DPI.
    doc.addPage([8, 8000]).drawRectangle({ x: 2, y: 100, width: 4, height: 4000 });
    const decoded = await decodePage(Buffer.from(await doc.save()));
    expect(decoded.kind).toBe('image');
    expect(decoded.properties.height).toBeLessThanOrEqual(32_767);
    expect(decoded.properties.height).toBeGreaterThan(32_000);
  });

  it('refuses a TIFF with more pages than allowed, before reading a page', async () => {
    const error = await decodePage(tiffWithPages(10_000), { maxPages: 500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect((error as Error).message).toBe(
      'the document has 10000 pages, more than the 500 accepted',
    );
  });

  it('reads the first page of a TIFF with pages within the limit', async () => {
    const decoded = await decodePage(tiffWithPages(3), { maxPages: 3 });
    expect(decoded.properties).toMatchObject({ width: 1, height: 1, format: ImageFormat.Tiff });
  });

  it('refuses a PDF with more pages than allowed', async () => {
    const document = await PDFDocument.create();
    for (let i = 0; i < 3; i++) {
      document.addPage([595, 842]);
    }
    const error = await decodePage(Buffer.from(await document.save()), { maxPages: 2 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('the document has 3 pages, more than the 2 accepted');
  });

  it('renders a PDF page whose image declares 60000 × 60000 pixels without decoding the image', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const decoded = await decodePage(pdfWithHugeImage());
    expect(decoded.kind).toBe('image');
    expect(decoded.properties).toMatchObject({ width: 2480, height: 3509, dpi: 300 });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(512 * 1024 * 1024);
  });

  it('refuses an RLE BMP declaring 80 MP from its header, without decoding it', async () => {
    const error = await decodePage(rleBmpDeclaring80Megapixels()).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the BMP image has an invalid or too large size');
  });

  it.each([
    ['an unknown compression', 30, 4],
    ['an unknown bit depth', 28, 7],
  ])('refuses a BMP with %s', async (_name, offset, value) => {
    const header = Buffer.from(bmp24(2, 2));
    if (offset === 28) {
      header.writeUInt16LE(value, offset);
    } else {
      header.writeUInt32LE(value, offset);
    }
    const error = await decodePage(header).catch((e: unknown) => e);
    expect((error as Error).message).toBe('the BMP file uses an unsupported depth or compression');
  });
});
