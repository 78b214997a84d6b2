import * as bmp from 'bmp-ts';
import sharp, { type Metadata } from 'sharp';
import { ColorSpace, ImageFormat } from '../../ocr-pages/ocr-page.enums.js';
import type { Box, RecognizedPage } from '../processing.types.js';
import { countPdfPages, readPdfPage } from './pdf-page.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

/** Largest image accepted, in pixels (an A4 page at 600 DPI is about 35 million). */
export const MAX_INPUT_PIXELS = 80_000_000;

/** What was measured of the fetched page (the page's `imageProperties`). */
export interface MeasuredProperties {
  width: number;
  height: number;
  dpi: number;
  colorSpace: ColorSpace;
  format: ImageFormat;
  size: number;
}

/**
 * A fetched page, ready for the pipeline: a raster image (PNG, oriented as it displays), or the
 * text layer of a born-digital PDF page, which needs no OCR.
 */
export type DecodedPage =
  | { kind: 'image'; png: Buffer; properties: MeasuredProperties }
  | {
      kind: 'text-layer';
      /** Upright text, and the map of its boxes onto the page as displayed. */
      page: RecognizedPage;
      toDisplayed: (box: Box) => Box;
      properties: MeasuredProperties;
    };

const SHARP_FORMATS: Partial<Record<string, ImageFormat>> = {
  png: ImageFormat.Png,
  jpeg: ImageFormat.Jpeg,
  tiff: ImageFormat.Tiff,
  webp: ImageFormat.Webp,
  gif: ImageFormat.Gif,
};

/** A4's width in inches: the DPI of an image without density metadata is estimated from it. */
const A4_WIDTH_INCHES = 8.27;

/**
 * The image's stated resolution, unless it is the 72 DPI that many writers (and sharp, for a JPEG
 * without one) put by default on images far too wide for a page at 72 DPI.
 */
function densityOf(density: number | undefined, width: number): number | undefined {
  const defaultDensity = 72;
  return density === defaultDensity && width > 2 * A4_WIDTH_INCHES * defaultDensity
    ? undefined
    : density;
}

function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

function isBmp(bytes: Buffer): boolean {
  return bytes.length > 26 && bytes.subarray(0, 2).toString('latin1') === 'BM';
}

function colorSpaceOf(
  space: string | undefined,
  channels: number | undefined,
  bits?: number,
): ColorSpace {
  if (bits === 1) {
    return ColorSpace.Binary;
  }
  if (space === 'cmyk') {
    return ColorSpace.Cmyk;
  }
  if (space === 'b-w' || space === 'grey16' || channels === 1 || channels === 2) {
    return ColorSpace.Grayscale;
  }
  return ColorSpace.Rgb;
}

/** The limits every untrusted image is opened with: a pixel cap, and corrupt data is an error. */
const UNTRUSTED = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;

async function rasterMetadata(bytes: Buffer): Promise<Metadata> {
  try {
    return await sharp(bytes, UNTRUSTED).metadata();
  } catch {
    throw new UnsupportedImageError(
      'the file is not an image that can be read (corrupt or unknown format)',
    );
  }
}

function noSuchPage(pages: number, pageNumber: number): UnsupportedImageError {
  return new UnsupportedImageError(
    `the document has ${pages} page(s); there is no page ${pageNumber}`,
  );
}

async function decodeRaster(bytes: Buffer, pageNumber: number): Promise<DecodedPage> {
  // Page N of a multi-page TIFF (or GIF, WebP) is its own image: sharp reads that one only.
  const pages = (await rasterMetadata(bytes)).pages ?? 1;
  if (pageNumber > pages) {
    throw noSuchPage(pages, pageNumber);
  }
  const source = { ...UNTRUSTED, page: pageNumber - 1 };
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, source).metadata();
  } catch {
    throw new UnsupportedImageError('the image data is corrupt or truncated');
  }
  const format = SHARP_FORMATS[metadata.format ?? ''];
  if (!format || !metadata.width || !metadata.height) {
    throw new UnsupportedImageError(`unsupported image format ${metadata.format ?? 'unknown'}`);
  }
  let png: Buffer;
  try {
    // rotate() applies the EXIF orientation: the page is handled as it displays.
    png = await sharp(bytes, source).rotate().png().toBuffer();
  } catch {
    throw new UnsupportedImageError('the image data is corrupt or truncated');
  }
  const oriented = await sharp(png).metadata();
  const width = oriented.width ?? metadata.width;
  return {
    kind: 'image',
    png,
    properties: {
      width,
      height: oriented.height ?? metadata.height,
      dpi: Math.round(densityOf(metadata.density, width) ?? width / A4_WIDTH_INCHES),
      colorSpace: colorSpaceOf(metadata.space, metadata.channels, metadata.bitsPerSample),
      format,
      size: bytes.length,
    },
  };
}

/** BMP is not read by sharp; bmp-ts decodes it to pixels that sharp then takes as raw input. */
async function decodeBmp(bytes: Buffer): Promise<DecodedPage> {
  // Checked from the header before decoding, which allocates width × height × 4 bytes at once.
  const width = bytes.readInt32LE(18);
  const height = Math.abs(bytes.readInt32LE(22));
  if (width <= 0 || height === 0 || width * height > MAX_INPUT_PIXELS) {
    throw new UnsupportedImageError('the BMP image has an invalid or too large size');
  }
  let decoded: { width: number; height: number; data: Uint8Array; bitPP: number };
  try {
    decoded = bmp.decode(bytes, { toRGBA: true });
  } catch {
    throw new UnsupportedImageError('the BMP file is corrupt');
  }
  const png = await sharp(Buffer.from(decoded.data), {
    ...UNTRUSTED,
    raw: { width: decoded.width, height: decoded.height, channels: 4 },
  })
    .removeAlpha()
    .png()
    .toBuffer();
  const pixelsPerMetre = bytes.readInt32LE(38);
  return {
    kind: 'image',
    png,
    properties: {
      width: decoded.width,
      height: decoded.height,
      dpi:
        pixelsPerMetre > 0
          ? Math.round(pixelsPerMetre * 0.0254)
          : Math.round(decoded.width / A4_WIDTH_INCHES),
      colorSpace:
        decoded.bitPP === 1
          ? ColorSpace.Binary
          : decoded.bitPP <= 8
            ? ColorSpace.Grayscale
            : ColorSpace.Rgb,
      format: ImageFormat.Bmp,
      size: bytes.length,
    },
  };
}

async function decodePdf(bytes: Buffer, pageNumber: number): Promise<DecodedPage> {
  const pdf = await readPdfPage(bytes, pageNumber);
  const properties: MeasuredProperties = {
    width: pdf.width,
    height: pdf.height,
    dpi: pdf.dpi,
    colorSpace: ColorSpace.Rgb,
    format: ImageFormat.Pdf,
    size: bytes.length,
  };
  return pdf.kind === 'text'
    ? { kind: 'text-layer', page: pdf.page, toDisplayed: pdf.toDisplayed, properties }
    : { kind: 'image', png: pdf.png, properties };
}

/** Which page of a multi-page document to read. */
export interface DecodeOptions {
  /** 1-based page number within a PDF or multi-page TIFF; default 1. */
  page?: number;
}

/**
 * Reads fetched bytes by their content (magic numbers), not by the server's Content-Type:
 * PDF, BMP, or a format sharp reads (PNG, JPEG, TIFF, WebP, GIF). Anything else, corrupt data,
 * and a page the document does not have, is an UnsupportedImageError.
 */
export function decodePage(bytes: Buffer, options: DecodeOptions = {}): Promise<DecodedPage> {
  const pageNumber = options.page ?? 1;
  if (isPdf(bytes)) {
    return decodePdf(bytes, pageNumber);
  }
  if (isBmp(bytes)) {
    if (pageNumber > 1) {
      return Promise.reject(noSuchPage(1, pageNumber));
    }
    return decodeBmp(bytes);
  }
  return decodeRaster(bytes, pageNumber);
}

/**
 * How many pages a document has (a PDF's pages, a multi-page TIFF's images; 1 for a single
 * image), without decoding any of them. UnsupportedImageError for anything unreadable.
 */
export async function countPages(bytes: Buffer): Promise<number> {
  if (isPdf(bytes)) {
    return countPdfPages(bytes);
  }
  if (isBmp(bytes)) {
    return 1;
  }
  const metadata = await rasterMetadata(bytes);
  if (!SHARP_FORMATS[metadata.format ?? '']) {
    throw new UnsupportedImageError(`unsupported image format ${metadata.format ?? 'unknown'}`);
  }
  return metadata.pages ?? 1;
}
