import * as bmp from 'bmp-ts';
import sharp, { type Metadata } from 'sharp';
import { ColorSpace, ImageFormat } from '../../ocr-pages/ocr-page.enums.js';
import type { GrayImage } from '../preprocess/image-analysis.js';
import type { Box, RecognizedPage } from '../processing.types.js';
import { MAX_READABLE_SIDE } from '../recognize/ocr-engine.js';
import { greyPixelsOf } from './grey-pixels.js';
import { countPdfPages, readPdfPage, type EmbeddedFile } from './pdf-page.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

/** Largest image accepted, in pixels (an A4 page at 600 DPI is about 35 million). */
export const MAX_INPUT_PIXELS = 80_000_000;
/**
 * Largest BMP accepted, in pixels: bmp-ts allocates width × height × 4 bytes from the header
 * before reading a pixel, and an RLE-compressed file can declare any size in a few bytes.
 */
export const MAX_BMP_PIXELS = 40_000_000;
/** OCR reads best at about 300 DPI: a finer page is scaled down to it before any other work. */
export const WORKING_DPI = 300;
/** And to at most this many pixels (an A4 page at 300 DPI is 8.7 million), whatever its DPI says. */
export const MAX_WORKING_PIXELS = 12_000_000;

/** What decoding may take on. */
export interface DecodeLimits {
  /** A document (PDF, multi-page TIFF/GIF/WebP) with more pages is refused before reading one. */
  maxPages: number;
}

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
export type DecodedPage = (
  | {
      kind: 'image';
      /**
       * The page as displayed, scaled down to what OCR needs (see WORKING_DPI), as raw grey
       * pixels: the pipeline's steps hand pixels on, no image is encoded between them.
       */
      pixels: GrayImage;
      /** `pixels`' size and resolution. */
      working: { width: number; height: number; dpi: number };
      /**
       * The pixels were decoded from a lossy-compressed image (a JPEG file, or a scanned PDF
       * page's JPEG): its strokes carry ringing that no grain measure tells from anti-aliasing.
       */
      lossy: boolean;
      /** Of the page as fetched: boxes on `pixels` are mapped back onto these dimensions. */
      properties: MeasuredProperties;
    }
  | {
      kind: 'text-layer';
      /** Upright text, and the map of its boxes onto the page as displayed. */
      page: RecognizedPage;
      toDisplayed: (box: Box) => Box;
      properties: MeasuredProperties;
    }
) & {
  /** A PDF's embedded `.xml` files (with its first page only; see readPdfPage). */
  embeddedXml?: EmbeddedFile[];
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

/**
 * The scale (≤ 1) that brings a page to WORKING_DPI and MAX_WORKING_PIXELS, its sides within what
 * OCR reads (MAX_READABLE_SIDE).
 */
export function workingScale(width: number, height: number, dpi: number): number {
  // Within 15 % of the target, resampling costs more than it saves.
  const byDpi = dpi > WORKING_DPI * 1.15 ? WORKING_DPI / dpi : 1;
  return Math.min(
    1,
    byDpi,
    Math.sqrt(MAX_WORKING_PIXELS / (width * height)),
    MAX_READABLE_SIDE / Math.max(width, height),
  );
}

/** Reads the image through sharp, oriented as it displays and scaled to `scale`, as grey pixels. */
async function workingCopy(
  input: ReturnType<typeof sharp>,
  width: number,
  height: number,
  dpi: number,
): Promise<{ pixels: GrayImage; working: { width: number; height: number; dpi: number } }> {
  const scale = workingScale(width, height, dpi);
  const pixels = await greyPixelsOf(
    input,
    scale < 1
      ? {
          width: Math.max(1, Math.round(width * scale)),
          height: Math.max(1, Math.round(height * scale)),
        }
      : undefined,
  );
  return {
    pixels,
    working: {
      width: pixels.width,
      height: pixels.height,
      // From the longer side: the shorter one of a narrow strip is rounded off by whole pixels.
      dpi: Math.max(
        1,
        Math.round(width >= height ? (dpi * pixels.width) / width : (dpi * pixels.height) / height),
      ),
    },
  };
}

function checkPageCount(pages: number | undefined, limits: DecodeLimits): void {
  if (pages !== undefined && pages > limits.maxPages) {
    throw new UnsupportedImageError(
      `the document has ${pages} pages, more than the ${limits.maxPages} accepted`,
    );
  }
}

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

async function decodeRaster(
  bytes: Buffer,
  limits: DecodeLimits,
  pageNumber: number,
): Promise<DecodedPage> {
  // Page N of a multi-page TIFF (or GIF, WebP) is its own image: sharp reads that one only.
  const pages = (await rasterMetadata(bytes)).pages ?? 1;
  checkPageCount(pages, limits);
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
  // EXIF orientations 5 to 8 turn the image a quarter: it displays the other way round.
  const sideways = (metadata.orientation ?? 1) >= 5;
  const width = sideways ? metadata.height : metadata.width;
  const height = sideways ? metadata.width : metadata.height;
  const dpi = Math.round(densityOf(metadata.density, width) ?? width / A4_WIDTH_INCHES);
  let copy: Awaited<ReturnType<typeof workingCopy>>;
  try {
    // rotate() applies the EXIF orientation: the page is handled as it displays; transparent
    // areas are paper.
    copy = await workingCopy(
      sharp(bytes, source).rotate().flatten({ background: '#ffffff' }),
      width,
      height,
      dpi,
    );
  } catch {
    throw new UnsupportedImageError('the image data is corrupt or truncated');
  }
  return {
    kind: 'image',
    ...copy,
    lossy: format === ImageFormat.Jpeg,
    properties: {
      width,
      height,
      dpi,
      colorSpace: colorSpaceOf(metadata.space, metadata.channels, metadata.bitsPerSample),
      format,
      size: bytes.length,
    },
  };
}

/** BMP compression methods bmp-ts reads: none, RLE8, RLE4, bit fields. */
const BMP_COMPRESSIONS = new Set([0, 1, 2, 3]);
const BMP_BIT_DEPTHS = new Set([1, 4, 8, 16, 24, 32]);

/**
 * Checks a BMP's header before bmp-ts allocates anything: a sane size within MAX_BMP_PIXELS, a
 * known depth and compression, and, for uncompressed pixels, a file long enough to hold them.
 */
export function checkBmpHeader(bytes: Buffer): { width: number; height: number } {
  if (bytes.length < 54) {
    throw new UnsupportedImageError('the BMP file is truncated');
  }
  const dataOffset = bytes.readUInt32LE(10);
  const width = bytes.readInt32LE(18);
  const height = Math.abs(bytes.readInt32LE(22));
  const bitsPerPixel = bytes.readUInt16LE(28);
  const compression = bytes.readUInt32LE(30);
  if (width <= 0 || height === 0 || width * height > MAX_BMP_PIXELS) {
    throw new UnsupportedImageError('the BMP image has an invalid or too large size');
  }
  if (!BMP_BIT_DEPTHS.has(bitsPerPixel) || !BMP_COMPRESSIONS.has(compression)) {
    throw new UnsupportedImageError('the BMP file uses an unsupported depth or compression');
  }
  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  const uncompressed = compression === 0 || compression === 3;
  if (uncompressed && bytes.length < dataOffset + rowBytes * height) {
    throw new UnsupportedImageError('the BMP file is truncated');
  }
  return { width, height };
}

/** BMP is not read by sharp; bmp-ts decodes it to pixels that sharp then takes as raw input. */
async function decodeBmp(bytes: Buffer): Promise<DecodedPage> {
  checkBmpHeader(bytes);
  let decoded: { width: number; height: number; data: Uint8Array; bitPP: number };
  try {
    decoded = bmp.decode(bytes, { toRGBA: true });
  } catch {
    throw new UnsupportedImageError('the BMP file is corrupt');
  }
  const pixelsPerMetre = bytes.readInt32LE(38);
  const dpi =
    pixelsPerMetre > 0
      ? Math.round(pixelsPerMetre * 0.0254)
      : Math.round(decoded.width / A4_WIDTH_INCHES);
  const copy = await workingCopy(
    sharp(Buffer.from(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length), {
      ...UNTRUSTED,
      raw: { width: decoded.width, height: decoded.height, channels: 4 },
    }).removeAlpha(),
    decoded.width,
    decoded.height,
    dpi,
  );
  return {
    kind: 'image',
    ...copy,
    lossy: false,
    properties: {
      width: decoded.width,
      height: decoded.height,
      dpi,
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

async function decodePdf(
  bytes: Buffer,
  limits: DecodeLimits,
  pageNumber: number,
): Promise<DecodedPage> {
  const pdf = await readPdfPage(bytes, limits.maxPages, pageNumber);
  const properties: MeasuredProperties = {
    width: pdf.width,
    height: pdf.height,
    dpi: pdf.dpi,
    colorSpace: ColorSpace.Rgb,
    format: ImageFormat.Pdf,
    size: bytes.length,
  };
  const { embeddedXml } = pdf;
  return pdf.kind === 'text'
    ? {
        kind: 'text-layer',
        page: pdf.page,
        toDisplayed: pdf.toDisplayed,
        properties,
        embeddedXml,
      }
    : {
        kind: 'image',
        pixels: pdf.pixels,
        working: { width: pdf.pixels.width, height: pdf.pixels.height, dpi: pdf.pixelsDpi },
        lossy: pdf.fromJpeg,
        properties,
        embeddedXml,
      };
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
export function decodePage(
  bytes: Buffer,
  limits: DecodeLimits = { maxPages: 500 },
  options: DecodeOptions = {},
): Promise<DecodedPage> {
  const pageNumber = options.page ?? 1;
  if (isPdf(bytes)) {
    return decodePdf(bytes, limits, pageNumber);
  }
  if (isBmp(bytes)) {
    if (pageNumber > 1) {
      return Promise.reject(noSuchPage(1, pageNumber));
    }
    return decodeBmp(bytes);
  }
  return decodeRaster(bytes, limits, pageNumber);
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
