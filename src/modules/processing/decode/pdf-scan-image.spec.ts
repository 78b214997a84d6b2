import { jest } from '@jest/globals';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import {
  concatTransformationMatrix,
  degrees,
  drawObject,
  PDFDocument,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  StandardFonts,
} from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import type { GrayImage } from '../preprocess/image-analysis.js';
import { decodePage, type DecodedPage } from './decode-page.js';
import { rasterizePdfPage } from './pdf-page.js';
import { readScanImage, type ScanImage } from './pdf-scan-image.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

const DPI = 300;

/** A page-like picture: dark text and boxes on white, `width` × `height` pixels. */
function pagePicture(width: number, height: number): Sharp {
  const size = Math.round(height / 12);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#fff"/>
    <rect x="${width * 0.05}" y="${height * 0.05}" width="${width * 0.2}" height="${height * 0.2}" fill="#222"/>
    <text x="${width * 0.3}" y="${height * 0.2}" font-family="DejaVu Sans" font-size="${size}">INVOICE 12345</text>
    <text x="${width * 0.05}" y="${height * 0.6}" font-family="DejaVu Serif" font-size="${size}">Total 99.50 EUR</text>
    <rect x="${width * 0.6}" y="${height * 0.7}" width="${width * 0.3}" height="${height * 0.2}" fill="#888"/>
  </svg>`;
  return sharp(Buffer.from(svg));
}

interface ScannerPage {
  /** Page size in points. */
  size: [number, number];
  jpeg: Buffer;
  /** The image dictionary's entries besides the usual ones (or in their place). */
  dictionary?: Record<string, unknown>;
  /** The `cm` the image is drawn with; default: the whole page. */
  placement?: [number, number, number, number, number, number];
  rotate?: number;
  /** Anything else drawn on the page. */
  more?: (page: PDFPage, document: PDFDocument) => Promise<void>;
}

/**
 * A page the way a scanner writes it: one JPEG image XObject, and a content stream of
 * `q W 0 0 H 0 0 cm /Im1 Do Q`.
 */
async function scannerPdf(options: ScannerPage): Promise<Buffer> {
  const { size, jpeg } = options;
  const metadata = await sharp(jpeg, { limitInputPixels: false }).metadata();
  const document = await PDFDocument.create();
  const page = document.addPage(size);
  const image = document.context.register(
    document.context.stream(jpeg, {
      Type: 'XObject',
      Subtype: 'Image',
      Width: metadata.width,
      Height: metadata.height,
      ColorSpace: metadata.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
      BitsPerComponent: 8,
      Filter: 'DCTDecode',
      ...options.dictionary,
    }),
  );
  const name = page.node.newXObject('Im', image);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(...(options.placement ?? [size[0], 0, 0, size[1], 0, 0])),
    drawObject(name),
    popGraphicsState(),
  );
  if (options.rotate !== undefined) {
    page.setRotation(degrees(options.rotate));
  }
  await options.more?.(page, document);
  return Buffer.from(await document.save());
}

/** readScanImage on the first page, with the raster pdf-page.ts renders it to (300 DPI). */
async function scanImageOf(bytes: Buffer): Promise<ScanImage | undefined> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  try {
    const page = await pdf.getPage(1);
    const viewport = page.getViewport({ scale: DPI / 72 });
    return await readScanImage(
      bytes,
      { index: 0, ref: page.ref },
      {
        width: Math.ceil(viewport.width),
        height: Math.ceil(viewport.height),
        dpi: DPI,
        transform: viewport.transform,
        maxImagePixels: 40_000_000,
      },
    );
  } finally {
    await pdf.destroy();
  }
}

/** The page as pdf.js renders it, grey: what the page was read as before the fast path. */
async function renderedGrey(bytes: Buffer): Promise<GrayImage> {
  const { data, info } = await sharp(await rasterizePdfPage(bytes))
    .greyscale()
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function resized(image: GrayImage, width: number, height: number): Promise<GrayImage> {
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 1 },
  })
    .resize({ width, height, fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function meanAbsoluteDifference(a: GrayImage, b: GrayImage): number {
  expect([a.width, a.height, a.data.length]).toEqual([b.width, b.height, b.data.length]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    sum += Math.abs(a.data[i] - b.data[i]);
  }
  return sum / a.data.length;
}

function pixelsOf(decoded: DecodedPage): GrayImage & { dpi: number } {
  if (decoded.kind !== 'image') {
    throw new Error('expected an image');
  }
  expect([decoded.pixels.width, decoded.pixels.height]).toEqual([
    decoded.working.width,
    decoded.working.height,
  ]);
  return { ...decoded.pixels, dpi: decoded.working.dpi };
}

describe('readScanImage: a scanned page read from its JPEG', () => {
  it('reads a corpus scan (pdf-lib drawImage) as pdf.js renders it, at the same size and DPI', async () => {
    const { image: bytes } = await renderFixture(
      corpusFixtureByName('fr-06-left-totals-fr-pdf-scan-300'),
    );
    expect(await scanImageOf(bytes)).toBeDefined();

    const decoded = await decodePage(bytes);
    const fast = pixelsOf(decoded);
    const rendered = await renderedGrey(bytes);
    expect(fast).toMatchObject({ width: rendered.width, height: rendered.height, dpi: 300 });
    expect(decoded.properties).toMatchObject({ width: 2481, height: 3507, dpi: 300 });
    expect(meanAbsoluteDifference(fast, rendered)).toBeLessThan(2);
    // Prepared for OCR as a JPEG is: its ringing is no ink.
    expect(decoded).toMatchObject({ kind: 'image', lossy: true });
  });

  it("reads a scanner's page (q W 0 0 H 0 0 cm /Im Do Q) of the raster's size as it renders", async () => {
    // 4 × 2 in at 300 DPI: 1200 × 600 pixels.
    const jpeg = await pagePicture(1200, 600).jpeg({ quality: 80 }).toBuffer();
    const bytes = await scannerPdf({ size: [288, 144], jpeg });
    const fast = pixelsOf(await decodePage(bytes));
    expect(fast).toMatchObject({ width: 1200, height: 600, dpi: 300 });
    expect(meanAbsoluteDifference(fast, await renderedGrey(bytes))).toBeLessThan(2);
  });

  it('reads a grey JPEG', async () => {
    const jpeg = await pagePicture(1200, 600).greyscale().jpeg().toBuffer();
    const bytes = await scannerPdf({ size: [288, 144], jpeg });
    expect(await scanImageOf(bytes)).toBeDefined();
    const fast = pixelsOf(await decodePage(bytes));
    expect(meanAbsoluteDifference(fast, await renderedGrey(bytes))).toBeLessThan(2);
  });

  it('keeps a coarser scan at its own resolution, with its DPI, and the page at 300 DPI', async () => {
    // A 150 DPI scan of the same page.
    const jpeg = await pagePicture(600, 300).jpeg({ quality: 90 }).toBuffer();
    const bytes = await scannerPdf({ size: [288, 144], jpeg });
    const decoded = await decodePage(bytes);
    const fast = pixelsOf(decoded);
    expect(fast).toMatchObject({ width: 600, height: 300, dpi: 150 });
    // Boxes are mapped from these pixels onto the page's 300 DPI raster, as before.
    expect(decoded.properties).toMatchObject({ width: 1200, height: 600, dpi: 300 });
    const rendered = await renderedGrey(bytes);
    expect(meanAbsoluteDifference(await resized(fast, 1200, 600), rendered)).toBeLessThan(4);
  });

  it('scales a finer scan down to the 300 DPI raster', async () => {
    const jpeg = await pagePicture(2400, 1200).jpeg({ quality: 90 }).toBuffer();
    const bytes = await scannerPdf({ size: [288, 144], jpeg });
    const fast = pixelsOf(await decodePage(bytes));
    expect(fast).toMatchObject({ width: 1200, height: 600, dpi: 300 });
    expect(meanAbsoluteDifference(fast, await renderedGrey(bytes))).toBeLessThan(2);
  });

  it('turns the image with a page displayed rotated (/Rotate 90)', async () => {
    const jpeg = await pagePicture(1200, 600).jpeg({ quality: 80 }).toBuffer();
    const bytes = await scannerPdf({ size: [288, 144], jpeg, rotate: 90 });
    expect(await scanImageOf(bytes)).toBeDefined();
    const fast = pixelsOf(await decodePage(bytes));
    expect(fast).toMatchObject({ width: 600, height: 1200 });
    expect(meanAbsoluteDifference(fast, await renderedGrey(bytes))).toBeLessThan(2);
  });

  it('turns an image drawn a quarter turn round onto the page (cm)', async () => {
    // A landscape scan drawn upright on a portrait page: its rows run down the page.
    const jpeg = await pagePicture(1200, 600).jpeg({ quality: 80 }).toBuffer();
    const bytes = await scannerPdf({
      size: [144, 288],
      jpeg,
      placement: [0, -288, 144, 0, 0, 288],
    });
    expect(await scanImageOf(bytes)).toBeDefined();
    const fast = pixelsOf(await decodePage(bytes));
    expect(fast).toMatchObject({ width: 600, height: 1200 });
    expect(meanAbsoluteDifference(fast, await renderedGrey(bytes))).toBeLessThan(2);
  });

  it('writes nothing to the console for what pdf-lib finds odd in the file', async () => {
    const jpeg = await pagePicture(1200, 600).jpeg().toBuffer();
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg,
      // Numbers past 2^53, which pdf-lib warns of one by one.
      more: (_page, document) => {
        document.context.register(document.context.obj(Array.from({ length: 50 }, () => 1e20)));
        return Promise.resolve();
      },
    });
    const warn = jest.spyOn(console, 'warn');
    try {
      expect(await scanImageOf(bytes)).toBeDefined();
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('readScanImage: any other page is rendered as before', () => {
  const picture = (): Promise<Buffer> => pagePicture(1200, 600).jpeg({ quality: 80 }).toBuffer();

  async function expectRendered(bytes: Buffer): Promise<GrayImage> {
    expect(await scanImageOf(bytes)).toBeUndefined();
    const page = await decodePage(bytes);
    // Whatever images the rendering drew, the page is not known to be a JPEG.
    expect(page).toMatchObject({ kind: 'image', lossy: false });
    const decoded = pixelsOf(page);
    const rendered = await renderedGrey(bytes);
    // Exactly pdf.js's rendering.
    expect(meanAbsoluteDifference(decoded, rendered)).toBe(0);
    return rendered;
  }

  it('renders a scan with a few words of text over it', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await picture(),
      more: async (page, document) => {
        const font = await document.embedFont(StandardFonts.Helvetica);
        page.drawText('Page 1', { x: 10, y: 10, size: 10, font });
      },
    });
    await expectRendered(bytes);
  });

  it('renders a scan with a stamp drawn over it', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await picture(),
      more: (page) => {
        page.drawRectangle({ x: 200, y: 100, width: 40, height: 20, color: rgb(1, 0, 0) });
        return Promise.resolve();
      },
    });
    await expectRendered(bytes);
  });

  it('renders a scan drawn skewed (pdf-lib drawImage, rotated 3°)', async () => {
    const document = await PDFDocument.create();
    const page = document.addPage([288, 144]);
    const image = await document.embedJpg(await picture());
    page.drawImage(image, { x: 0, y: 0, width: 288, height: 144, rotate: degrees(3) });
    await expectRendered(Buffer.from(await document.save()));
  });

  it('renders a scan that leaves a margin of the page blank', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await picture(),
      placement: [280, 0, 0, 140, 4, 2],
    });
    await expectRendered(bytes);
  });

  it('renders a page whose image is not a JPEG (Flate)', async () => {
    const document = await PDFDocument.create();
    const page = document.addPage([288, 144]);
    const image = await document.embedPng(await pagePicture(1200, 600).png().toBuffer());
    page.drawImage(image, { x: 0, y: 0, width: 288, height: 144 });
    await expectRendered(Buffer.from(await document.save()));
  });

  it('renders a JPEG with a /Decode array (inverted)', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await picture(),
      dictionary: { Decode: [1, 0, 1, 0, 1, 0] },
    });
    const rendered = await expectRendered(bytes);
    // Mostly white paper, inverted: the render applied the /Decode array.
    expect(
      rendered.data.reduce((sum, level) => sum + level, 0) / rendered.data.length,
    ).toBeLessThan(128);
  });

  it('renders a CMYK JPEG', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await pagePicture(1200, 600).toColourspace('cmyk').jpeg().toBuffer(),
      dictionary: { ColorSpace: 'DeviceCMYK' },
    });
    await expectRendered(bytes);
  });

  it('renders a page with two images', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await picture(),
      more: async (page, document) => {
        const logo = await document.embedJpg(await pagePicture(120, 60).jpeg().toBuffer());
        page.drawImage(logo, { x: 10, y: 10, width: 30, height: 15 });
      },
    });
    await expectRendered(bytes);
  });

  /** A JPEG whose start-of-frame segment (FF C0, length, precision, height, width) lies. */
  async function jpegDeclaring60000Squared(): Promise<Buffer> {
    const jpeg = Buffer.from(await pagePicture(120, 60).jpeg().toBuffer());
    const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60_000, frame + 5);
    jpeg.writeUInt16BE(60_000, frame + 7);
    return jpeg;
  }

  it('leaves out, as before, an image declaring 60000 × 60000 pixels, header and dictionary', async () => {
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await jpegDeclaring60000Squared(),
      dictionary: { Width: 60_000, Height: 60_000 },
    });
    const blank = await expectRendered(bytes);
    expect(blank.data.every((level) => level > 250)).toBe(true);
  });

  it('refuses, without decoding it, a JPEG whose header declares 60000 × 60000 pixels under a small dictionary', async () => {
    // pdf.js would decode it by its header: about a minute and 10 GB.
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: await jpegDeclaring60000Squared(),
      dictionary: { Width: 120, Height: 60 },
    });
    const before = process.memoryUsage().arrayBuffers;
    const error = await decodePage(bytes).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(UnsupportedImageError);
    expect((error as Error).message).toBe(
      "the PDF page's image declares more than 40000000 pixels",
    );
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('renders a JPEG cut short', async () => {
    const jpeg = await picture();
    const bytes = await scannerPdf({
      size: [288, 144],
      jpeg: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    });
    await expectRendered(bytes);
  });
});
