import sharp, { type Sharp } from 'sharp';
import { compose, IDENTITY, invert, rotation, type Affine } from './affine.js';
import {
  estimateSkew,
  inkThreshold,
  otsuThreshold,
  speckleShare,
  type GrayImage,
} from './image-analysis.js';

/** Width of the copy that measurements (skew, contrast, sharpness) are taken on. */
const ANALYSIS_WIDTH = 1200;
/**
 * Pages scanned below this resolution are enlarged to TARGET_DPI, their contrast stretched and
 * their noise filtered first: their text is too small for OCR's line recogniser as it is. At and
 * above it, OCR reads the page at its own resolution (enlarging only multiplies OCR's work, which
 * grows with the pixel count).
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

export interface PreparedImage {
  /**
   * The binarised page handed to OCR, as a 1-bit PBM: nothing to compress or decompress, and
   * tesseract reads a 1-bit image as it is instead of thresholding it again.
   */
  image: Buffer;
  /** Its resolution (a PBM does not carry one): tesseract sizes text by it. */
  dpi: number;
  /** Ink (0) and paper (255) per pixel, as in `image`. */
  ink: GrayImage;
  width: number;
  height: number;
  /** Maps coordinates on `png` back to the original image. */
  toOriginal: Affine;
  steps: PreprocessingSteps;
}

/** An 8-bit grayscale copy of an image, `width` pixels wide at most, for measurements. */
export async function analysisCopy(
  image: Buffer | GrayImage,
  width = ANALYSIS_WIDTH,
): Promise<GrayImage> {
  const input = Buffer.isBuffer(image) ? sharp(image).greyscale() : fromGray(image);
  return grayPixels(input.resize({ width, withoutEnlargement: true }));
}

async function grayPixels(image: Sharp): Promise<GrayImage> {
  const { data, info } = await image.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
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
 * Turns the page upright and cleans it for OCR, keeping track of the geometry, doing only what
 * the page needs: a quarter-turn (orientation), a small rotation when the text lines are skewed
 * (deskew, measured by projection profiles), a median filter when the page is speckled
 * (denoise), contrast stretch, median and enlargement of low-DPI pages, and Otsu binarisation that never blackens the paper (see `inkThreshold`).
 * Pixels travel between the steps raw; each geometric step is a separate sharp pass so its exact
 * output size is known.
 */
export async function prepareForOcr(
  pixels: GrayImage,
  dpi: number,
  orientation: QuarterTurn,
  /** The analysis copy of `pixels` as given, when the caller has one (it is not made twice). */
  analysis?: GrayImage,
): Promise<PreparedImage> {
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
  // Never past MAX_UPSCALE, nor past a pixel budget (density metadata can lie).
  const budget = Math.sqrt(MAX_PREPARED_PIXELS / (image.width * image.height));
  const scale = Math.max(1, Math.min(wanted, MAX_UPSCALE, budget));
  const enlarged = scale > 1;
  // A small page's strokes are a few pixels wide: stretched and smoothed before they are
  // interpolated, they come out as clean edges rather than enlarged noise.
  const denoised = enlarged || speckleShare(image) > DENOISE_ABOVE_SPECKLE_SHARE;
  if (denoised) {
    let pipeline = fromGray(image);
    if (enlarged) {
      pipeline = pipeline.normalise();
    }
    pipeline = pipeline.median(3);
    if (enlarged) {
      pipeline = pipeline.resize({ width: Math.round(image.width * scale), kernel: 'lanczos3' });
    }
    const cleaned = await grayPixels(pipeline);
    transform = compose(transform, {
      ...IDENTITY,
      a: cleaned.width / image.width,
      e: cleaned.height / image.height,
    });
    image = cleaned;
  }
  const ink = binarise(image, inkThreshold(image));
  // Tesseract sizes text by the image's resolution.
  const preparedDpi = Math.round(dpi * scale);

  return {
    image: toPbm(ink),
    dpi: preparedDpi,
    ink,
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
/** Ink (0) where a pixel is at or below `threshold`, paper (255) elsewhere. */
function binarise(image: GrayImage, threshold: number): GrayImage {
  const { data } = image;
  const ink = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    ink[i] = data[i] <= threshold ? 0 : 255;
  }
  return { data: ink, width: image.width, height: image.height };
}

/** A binarised image as a binary PBM (P4): one bit per pixel, 1 for ink, rows padded to bytes. */
export function toPbm(ink: GrayImage): Buffer {
  const { data, width, height } = ink;
  const header = Buffer.from(`P4\n${width} ${height}\n`, 'latin1');
  const rowBytes = Math.ceil(width / 8);
  const bits = Buffer.alloc(header.length + rowBytes * height);
  header.copy(bits);
  for (let y = 0; y < height; y++) {
    const from = y * width;
    const to = header.length + y * rowBytes;
    for (let x = 0; x < width; x++) {
      if (data[from + x] === 0) {
        bits[to + (x >> 3)] |= 0x80 >> (x & 7);
      }
    }
  }
  return bits;
}

/** The prepared page turned half way round (for a page that read better upside down). */
export function turnHalf(prepared: PreparedImage): PreparedImage {
  // Row-major pixels turned half way round are the same pixels in reverse order.
  const ink: GrayImage = { ...prepared.ink, data: prepared.ink.data.slice().reverse() };
  const { width, height } = prepared;
  return {
    image: toPbm(ink),
    dpi: prepared.dpi,
    ink,
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
