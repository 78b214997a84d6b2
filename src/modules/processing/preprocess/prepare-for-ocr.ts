import sharp from 'sharp';
import { compose, IDENTITY, invert, rotation, type Affine } from './affine.js';
import { estimateSkew, inkThreshold, otsuThreshold, type GrayImage } from './image-analysis.js';

/** Width of the copy that measurements (skew, contrast, sharpness) are taken on. */
const ANALYSIS_WIDTH = 1200;
/** OCR reads best at about 300 DPI; lower-resolution pages are enlarged towards it. */
const TARGET_DPI = 300;
const MAX_UPSCALE = 2.5;
const MAX_PREPARED_PIXELS = 40_000_000;
/** Skews smaller than this are left alone (rotating costs more than it gains). */
const MIN_DESKEW_DEGREES = 0.15;
const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
/** Images passed between steps are read once more at once: fast compression, not small files. */
const INTERMEDIATE = { compressionLevel: 1 } as const;

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
  /** The binarised image handed to OCR. */
  png: Buffer;
  width: number;
  height: number;
  /** Maps coordinates on `png` back to the original image. */
  toOriginal: Affine;
  steps: PreprocessingSteps;
}

/** An 8-bit grayscale copy of `png`, `width` pixels wide at most, for measurements. */
export async function analysisCopy(png: Buffer, width = ANALYSIS_WIDTH): Promise<GrayImage> {
  const { data, info } = await sharp(png)
    .greyscale()
    .resize({ width, withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}

function normaliseAngle(degrees: number): number {
  const angle = ((degrees % 360) + 360) % 360;
  return Math.round((angle > 180 ? angle - 360 : angle) * 100) / 100;
}

/**
 * Turns the page upright and cleans it for OCR, keeping track of the geometry: a quarter-turn
 * (orientation), a small rotation (deskew, measured by projection profiles), grayscale,
 * contrast stretch (enhance), median filter (denoise), enlargement of low-DPI pages, and Otsu
 * binarisation that never blackens the paper (see `inkThreshold`). Each geometric step is a separate sharp pass so its exact output size is known.
 */
export async function prepareForOcr(
  png: Buffer,
  size: { width: number; height: number; dpi: number },
  orientation: QuarterTurn,
  /** The analysis copy of `png` as given, when the caller has one (it is not made twice). */
  analysis?: GrayImage,
): Promise<PreparedImage> {
  let transform: Affine = IDENTITY;
  let image = png;
  let width = size.width;
  let height = size.height;

  if (orientation !== 0) {
    const turned = await sharp(image)
      .rotate(orientation)
      .png(INTERMEDIATE)
      .toBuffer({ resolveWithObject: true });
    transform = compose(
      transform,
      rotation(orientation, width, height, turned.info.width, turned.info.height),
    );
    ({ width, height } = turned.info);
    image = turned.data;
  }

  const copy = orientation === 0 && analysis ? analysis : await analysisCopy(image);
  const skew = estimateSkew(copy, otsuThreshold(copy));
  const deskewed = Math.abs(skew) >= MIN_DESKEW_DEGREES;
  if (deskewed) {
    const straight = await sharp(image)
      .rotate(-skew, { background: WHITE })
      .png(INTERMEDIATE)
      .toBuffer({ resolveWithObject: true });
    transform = compose(
      transform,
      rotation(-skew, width, height, straight.info.width, straight.info.height),
    );
    ({ width, height } = straight.info);
    image = straight.data;
  }

  const wanted = size.dpi > 0 && size.dpi < TARGET_DPI * 0.8 ? TARGET_DPI / size.dpi : 1;
  // Never past MAX_UPSCALE, nor past a pixel budget (density metadata can lie).
  const budget = Math.sqrt(MAX_PREPARED_PIXELS / (width * height));
  const scale = Math.max(1, Math.min(wanted, MAX_UPSCALE, budget));
  const enhanced = await sharp(image)
    .greyscale()
    .normalise()
    .median(3)
    .resize({ width: Math.round(width * scale), kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  transform = compose(transform, {
    ...IDENTITY,
    a: enhanced.info.width / width,
    e: enhanced.info.height / height,
  });
  const gray: GrayImage = {
    data: new Uint8Array(enhanced.data.buffer, enhanced.data.byteOffset, enhanced.data.length),
    width: enhanced.info.width,
    height: enhanced.info.height,
  };
  const binarised = await sharp(enhanced.data, {
    raw: { width: gray.width, height: gray.height, channels: 1 },
  })
    // sharp makes pixels at or above the value white; the level itself is ink.
    .threshold(inkThreshold(gray) + 1)
    // Tesseract sizes text by the image's resolution.
    .withDensity(Math.round(size.dpi * (gray.width / width)))
    .png(INTERMEDIATE)
    .toBuffer();

  return {
    png: binarised,
    width: gray.width,
    height: gray.height,
    toOriginal: invert(transform),
    steps: {
      enhanced: true,
      deskewed,
      denoised: true,
      binarized: true,
      rotationAngle: normaliseAngle(orientation - (deskewed ? skew : 0)),
    },
  };
}

/** The prepared page turned half way round (for a page that read better upside down). */
export async function turnHalf(prepared: PreparedImage): Promise<PreparedImage> {
  const { density } = await sharp(prepared.png).metadata();
  const png = await sharp(prepared.png)
    .rotate(180)
    .withDensity(density ?? TARGET_DPI)
    .png(INTERMEDIATE)
    .toBuffer();
  const { width, height } = prepared;
  return {
    png,
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
