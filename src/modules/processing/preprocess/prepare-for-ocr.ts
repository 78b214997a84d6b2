import sharp, { type Sharp } from 'sharp';
import { compose, IDENTITY, invert, rotation, type Affine } from './affine.js';
import {
  estimateSkew,
  histogramOf,
  inkLevel,
  otsuThreshold,
  paperGrain,
  speckleShare,
  type GrayImage,
} from './image-analysis.js';
import { rawPixels } from '../decode/grey-pixels.js';
import { MAX_READABLE_SIDE } from '../recognize/ocr-engine.js';
import { median3x3 } from './median-filter.js';

/** Width of the copy that measurements (skew, contrast, sharpness, grain) are taken on. */
const ANALYSIS_WIDTH = 1200;
/**
 * Pages scanned below this resolution are enlarged to TARGET_DPI and their noise filtered first:
 * their text is too small for OCR's line recogniser as it is. At and above it, OCR reads the page
 * at its own resolution (enlarging only multiplies OCR's work, which grows with the pixel count).
 */
const UPSCALE_BELOW_DPI = 240;
const TARGET_DPI = 300;
const MAX_UPSCALE = 2.5;
const MAX_PREPARED_PIXELS = 40_000_000;
/** Skews smaller than this are left alone (rotating costs more than it gains). */
const MIN_DESKEW_DEGREES = 0.15;
/**
 * Share of isolated dark or light pixels (salt and pepper) above which the page is denoised: a
 * clean scan or a born-digital render has next to none, and a median filter would only soften
 * its strokes.
 */
const DENOISE_ABOVE_SPECKLE_SHARE = 0.0005;
/**
 * Paper grain (see `paperGrain`, on the analysis copy) above which a page counts as noisy: clean
 * renders and scans measure below 0.02, grainy or dusty scans 0.05 and more.
 */
export const NOISY_ABOVE_PAPER_GRAIN = 0.035;
/**
 * The contrast stretch is computed on a stand-in image with the page's grey-level histogram at
 * about this many pixels (see `contrastStretch`), laid out in at most this many rows.
 */
const STRETCH_PROXY_PIXELS = 1_000_000;
const STRETCH_PROXY_ROWS = 1000;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };

export type QuarterTurn = 0 | 90 | 180 | 270;

export interface PreprocessingSteps {
  enhanced: boolean;
  deskewed: boolean;
  denoised: boolean;
  binarized: boolean;
  /** Total clockwise rotation applied, in degrees, in (-180, 180]. */
  rotationAngle: number;
}

/**
 * What kind of page preparation deals with: `clean` (a render or a clean scan, lossless) or
 * `noisy` (lossy-compressed, such as a JPEG, or with measurable grain on its paper).
 */
export type PageKind = 'clean' | 'noisy';

export interface PrepareOptions {
  /** The page's resolution. */
  dpi: number;
  /** Quarter-turn that makes the page upright (from its text-line profiles). */
  orientation: QuarterTurn;
  /** The analysis copy of the pixels as given, when the caller has one (it is not made twice). */
  analysis?: GrayImage;
  /** The source was lossy-compressed (a JPEG): its strokes carry ringing around them. */
  lossy?: boolean;
}

export interface PreparedImage {
  /**
   * The binarised page handed to OCR, as a 1-bit PBM: nothing to compress or decompress, and
   * tesseract reads a 1-bit image as it is instead of thresholding it again.
   */
  image: Buffer;
  /** Its resolution (a PBM does not carry one): tesseract sizes text by it. */
  dpi: number;
  /** The cleaned grey pixels `image` was binarised from. */
  gray: GrayImage;
  /** Per grey level, 1 when that level is ink in `image`. */
  inkLevels: Uint8Array;
  /** How the page was judged (and so prepared). */
  kind: PageKind;
  width: number;
  height: number;
  /** Maps coordinates on `image` back to the original image. */
  toOriginal: Affine;
  steps: PreprocessingSteps;
}

/** An 8-bit grayscale copy of an image, `width` pixels wide at most, for measurements. */
export async function analysisCopy(
  image: Buffer | GrayImage,
  width = ANALYSIS_WIDTH,
): Promise<GrayImage> {
  const input = Buffer.isBuffer(image) ? sharp(image).removeAlpha().greyscale() : fromGray(image);
  return grayPixels(input.resize({ width, withoutEnlargement: true }));
}

function grayPixels(image: Sharp): Promise<GrayImage> {
  // One grey channel out: libvips would otherwise convert its grey result to three channels.
  return rawPixels(image.toColourspace('b-w'));
}

/** Grey pixels turned clockwise by a right angle. */
export function turnQuarter(image: GrayImage, turn: QuarterTurn): Promise<GrayImage> {
  return grayPixels(fromGray(image).rotate(turn));
}

/** sharp reading raw one-channel pixels: steps pass pixels to each other, not encoded images. */
function fromGray(image: GrayImage): Sharp {
  return sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
    raw: { width: image.width, height: image.height, channels: 1 },
  });
}

function normaliseAngle(degrees: number): number {
  const angle = ((degrees % 360) + 360) % 360;
  return Math.round((angle > 180 ? angle - 360 : angle) * 100) / 100;
}

/**
 * Whether a page is clean or noisy: a lossy source (JPEG) is noisy whatever it looks like (its
 * ringing sits right beside the strokes, where no grain measure can tell it from anti-aliasing);
 * any other page is noisy when its paper is grainy (`paperGrain` of the analysis copy).
 */
export function pageKind(analysis: GrayImage, lossy: boolean): PageKind {
  return lossy || paperGrain(analysis) > NOISY_ABOVE_PAPER_GRAIN ? 'noisy' : 'clean';
}

/**
 * sharp's `normalise()` (the 1st to 99th percentile of the lightness L* stretched to the full
 * range) of an image with this grey-level histogram, as a table from grey level to stretched
 * level. sharp computes it through a floating-point Lab copy of the whole image, two passes over
 * an enlarged page; the stretch depends only on the histogram, so it is computed on a stand-in of
 * about STRETCH_PROXY_PIXELS pixels: one of each grey level (whose outputs are the table), then
 * each level repeated as often as the page has it, scaled down, rounded on the cumulative counts
 * so that every percentile stays where the page has it. A page no larger than that is its own
 * stand-in (see `stretchOfOwnPixels`).
 */
export async function contrastStretch(histogram: Float64Array): Promise<Uint8Array> {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total <= STRETCH_PROXY_PIXELS) {
    return stretchOfOwnPixels(histogram, total);
  }
  const levels = standInCounts(histogram, total / STRETCH_PROXY_PIXELS);
  const proxy = Buffer.alloc(256 + levels.reduce((sum, count) => sum + count, 0));
  let at = 256;
  for (let level = 0; level < 256; level++) {
    proxy[level] = level;
    proxy.fill(level, at, at + levels[level]);
    at += levels[level];
  }
  return new Uint8Array((await normalised(proxy)).subarray(0, 256));
}

/**
 * The stretch of a page no larger than the stand-in, from its own pixels sorted by level: the
 * first pixel of each level tells where that level goes. (One table pixel per level, as on a
 * large page's stand-in, would move a small page's percentiles.) A level the page lacks never
 * occurs on it: it takes the value of the level below.
 */
async function stretchOfOwnPixels(histogram: Float64Array, total: number): Promise<Uint8Array> {
  const table = new Uint8Array(256).map((_, level) => level);
  if (total === 0) {
    return table;
  }
  const sorted = Buffer.alloc(total);
  const first = new Int32Array(256).fill(-1);
  let at = 0;
  for (let level = 0; level < 256; level++) {
    if (histogram[level] > 0) {
      first[level] = at;
      sorted.fill(level, at, at + histogram[level]);
      at += histogram[level];
    }
  }
  const stretched = await normalised(sorted);
  let value = 0;
  for (let level = 0; level < 256; level++) {
    value = first[level] >= 0 ? stretched[first[level]] : value;
    table[level] = value;
  }
  return table;
}

/**
 * sharp's `normalise()` of one-channel pixels, laid out as a block of rows: libvips is faster on
 * that than on one long row, and the layout does not change the stretch.
 */
function normalised(pixels: Buffer): Promise<Buffer> {
  const rows = largestDivisorUpTo(pixels.length, STRETCH_PROXY_ROWS);
  return sharp(pixels, { raw: { width: pixels.length / rows, height: rows, channels: 1 } })
    .normalise()
    .extractChannel(0)
    .raw()
    .toBuffer();
}

function largestDivisorUpTo(n: number, limit: number): number {
  for (let divisor = Math.min(n, limit); divisor > 1; divisor--) {
    if (n % divisor === 0) {
      return divisor;
    }
  }
  return 1;
}

/**
 * How many pixels of each grey level the stand-in has besides its one table pixel, for a
 * histogram scaled down by `scale`: rounded on the cumulative counts, so that the share of pixels
 * at or below every level is the page's.
 */
function standInCounts(histogram: Float64Array, scale: number): number[] {
  const counts: number[] = [];
  let cumulative = 0;
  let placed = 0;
  for (let level = 0; level < 256; level++) {
    cumulative += histogram[level];
    const wanted = Math.round(cumulative / scale);
    // The level's own table pixel counts as one of its pixels.
    counts.push(Math.max(0, wanted - placed - 1));
    placed = Math.max(wanted, placed + 1);
  }
  return counts;
}

/**
 * Which grey levels are ink: Otsu's level (see `inkLevel`) of the histogram, on the stretched
 * levels when `stretch` is given.
 */
function inkLevelsOf(histogram: Float64Array, stretch?: Uint8Array): Uint8Array {
  const inkLevels = new Uint8Array(256);
  if (!stretch) {
    const threshold = inkLevel(histogram);
    inkLevels.fill(1, 0, threshold + 1);
    return inkLevels;
  }
  const stretchedHistogram = new Float64Array(256);
  for (let level = 0; level < 256; level++) {
    stretchedHistogram[stretch[level]] += histogram[level];
  }
  const threshold = inkLevel(stretchedHistogram);
  for (let level = 0; level < 256; level++) {
    inkLevels[level] = stretch[level] <= threshold ? 1 : 0;
  }
  return inkLevels;
}

/**
 * Turns the page upright and cleans it for OCR, keeping track of the geometry, doing only what
 * the page needs: a quarter-turn (orientation), a small rotation when the text lines are skewed
 * (deskew, measured by projection profiles), a median filter when the page is speckled
 * (denoise), enlargement and median of low-DPI pages, and a binarisation that never blackens the
 * paper (see `inkLevel`). The threshold depends on the kind of page (`pageKind`): on a clean
 * low-DPI page it is chosen after a contrast stretch, which darkens the anti-aliased edges of
 * small strokes into ink; on a noisy page the same stretch would darken JPEG ringing and grain
 * into ink, so Otsu's level of the page as it is decides.
 * Pixels travel between the steps raw, each geometric step in one sharp pass (so its exact output
 * size is known); the threshold is a table over grey levels, applied while packing the PBM.
 */
export async function prepareForOcr(
  pixels: GrayImage,
  options: PrepareOptions,
): Promise<PreparedImage> {
  const { dpi, orientation, analysis } = options;
  let transform: Affine = IDENTITY;
  let image = pixels;
  if (orientation !== 0) {
    image = await turnQuarter(pixels, orientation);
    transform = compose(
      transform,
      rotation(orientation, pixels.width, pixels.height, image.width, image.height),
    );
  }

  const copy = orientation === 0 && analysis ? analysis : await analysisCopy(image);
  const kind = pageKind(copy, options.lossy ?? false);
  const skew = estimateSkew(copy, otsuThreshold(copy));
  const deskewed = Math.abs(skew) >= MIN_DESKEW_DEGREES;
  if (deskewed) {
    const straight = await grayPixels(fromGray(image).rotate(-skew, { background: WHITE }));
    transform = compose(
      transform,
      rotation(-skew, image.width, image.height, straight.width, straight.height),
    );
    image = straight;
  }

  const wanted = dpi > 0 && dpi < UPSCALE_BELOW_DPI ? TARGET_DPI / dpi : 1;
  // Never past MAX_UPSCALE, nor past a pixel budget (density metadata can lie), nor past the
  // longest side OCR reads.
  const budget = Math.min(
    Math.sqrt(MAX_PREPARED_PIXELS / (image.width * image.height)),
    MAX_READABLE_SIDE / Math.max(image.width, image.height),
  );
  const scale = Math.max(1, Math.min(wanted, MAX_UPSCALE, budget));
  const enlarged = scale > 1;
  // A small page's strokes are a few pixels wide: enlarged, then smoothed, they come out as clean
  // edges rather than enlarged noise.
  const denoised = enlarged || speckleShare(image) > DENOISE_ABOVE_SPECKLE_SHARE;
  if (denoised) {
    // Given as a width, the height following from it; for a narrow strip that rounding could
    // stretch the length past the scale, so the width is held to what keeps the length within
    // MAX_READABLE_SIDE.
    const enlargedWidth = Math.min(
      Math.round(image.width * scale),
      Math.floor((MAX_READABLE_SIDE * image.width) / image.height),
    );
    const resized = enlarged
      ? await grayPixels(fromGray(image).resize({ width: enlargedWidth, kernel: 'lanczos3' }))
      : image;
    const cleaned = median3x3(resized);
    transform = compose(transform, {
      ...IDENTITY,
      a: cleaned.width / image.width,
      e: cleaned.height / image.height,
    });
    image = cleaned;
  }
  const histogram = histogramOf(image);
  const stretched = enlarged && kind === 'clean';
  const inkLevels = inkLevelsOf(
    histogram,
    stretched ? await contrastStretch(histogram) : undefined,
  );
  // Tesseract sizes text by the image's resolution.
  const preparedDpi = Math.round(dpi * scale);

  return {
    image: toPbm(image, inkLevels),
    dpi: preparedDpi,
    gray: image,
    inkLevels,
    kind,
    width: image.width,
    height: image.height,
    toOriginal: invert(transform),
    steps: {
      enhanced: enlarged,
      deskewed,
      denoised,
      binarized: true,
      rotationAngle: normaliseAngle(orientation - (deskewed ? skew : 0)),
    },
  };
}

/** The ink levels of an already binarised image: ink (0) and paper (255). */
const BINARY_INK_LEVELS = new Uint8Array(256).fill(1, 0, 128);
/**
 * Leptonica (which reads the PBM for tesseract and tesseract.js) skips every whitespace byte after
 * the header, so a first pixel byte with one of these values would be taken for whitespace and
 * the image read as cut short: the page failed. They are tab, line feed, vertical tab, form feed,
 * carriage return and space, that is ink at a few of the top-left corner's eight pixels.
 */
const WHITESPACE_BYTES = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);

/**
 * Grey pixels as a binary PBM (P4): one bit per pixel, 1 for ink (a level whose `inkLevels`
 * entry is 1; by default a binarised image's 0), rows padded to bytes; the first byte is kept off
 * the values Leptonica's reader would skip (WHITESPACE_BYTES).
 */
export function toPbm(gray: GrayImage, inkLevels: Uint8Array = BINARY_INK_LEVELS): Buffer {
  const { data, width, height } = gray;
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'latin1');
  const rowBytes = Math.ceil(width / 8);
  const bits = Buffer.alloc(header.length + rowBytes * height);
  header.copy(bits);
  const wholeBytes = width >> 3;
  for (let y = 0; y < height; y++) {
    let from = y * width;
    let to = header.length + y * rowBytes;
    // Eight pixels a byte, without a branch per pixel; then the row's last, partial byte.
    for (let end = to + wholeBytes; to < end; from += 8) {
      bits[to++] =
        (inkLevels[data[from]] << 7) |
        (inkLevels[data[from + 1]] << 6) |
        (inkLevels[data[from + 2]] << 5) |
        (inkLevels[data[from + 3]] << 4) |
        (inkLevels[data[from + 4]] << 3) |
        (inkLevels[data[from + 5]] << 2) |
        (inkLevels[data[from + 6]] << 1) |
        inkLevels[data[from + 7]];
    }
    let byte = 0;
    for (let bit = 7; from < (y + 1) * width; from++, bit--) {
      byte |= inkLevels[data[from]] << bit;
    }
    if (width % 8 !== 0) {
      bits[to] = byte;
    }
  }
  // Those few corner pixels go to paper: the page's very edge, never a letter.
  if (WHITESPACE_BYTES.has(bits[header.length])) {
    bits[header.length] = 0;
  }
  return bits;
}

/** The prepared page turned half way round (for a page that read better upside down). */
export function turnHalf(prepared: PreparedImage): PreparedImage {
  // Row-major pixels turned half way round are the same pixels in reverse order.
  const gray: GrayImage = { ...prepared.gray, data: prepared.gray.data.slice().reverse() };
  const { width, height } = prepared;
  return {
    ...prepared,
    image: toPbm(gray, prepared.inkLevels),
    gray,
    width,
    height,
    // A half turn about the centre is its own inverse.
    toOriginal: compose(rotation(180, width, height, width, height), prepared.toOriginal),
    steps: {
      ...prepared.steps,
      rotationAngle: normaliseAngle(prepared.steps.rotationAngle + 180),
    },
  };
}

/** The part of the prepared page inside `region` (whole pixels), binarised as the page was. */
export function preparedRegion(
  prepared: PreparedImage,
  region: { x: number; y: number; width: number; height: number },
): Buffer {
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const width = Math.min(prepared.width, Math.ceil(region.x + region.width)) - x0;
  const height = Math.min(prepared.height, Math.ceil(region.y + region.height)) - y0;
  const data = new Uint8Array(Math.max(0, width) * Math.max(0, height));
  for (let y = 0; y < height; y++) {
    const from = (y0 + y) * prepared.gray.width + x0;
    data.set(prepared.gray.data.subarray(from, from + width), y * width);
  }
  return toPbm({ data, width, height }, prepared.inkLevels);
}
