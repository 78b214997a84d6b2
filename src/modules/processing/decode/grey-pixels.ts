import type { Sharp } from 'sharp';
import type { GrayImage } from '../preprocess/image-analysis.js';

/**
 * An image read by sharp as raw grey pixels, one channel (OCR reads grey levels: every later step
 * is cheaper on one), scaled to exactly `size` when given.
 */
export function greyPixelsOf(
  input: Sharp,
  size?: { width: number; height: number },
): Promise<GrayImage> {
  return rawPixels(
    input
      .greyscale()
      .resize(size && { ...size, fit: 'fill' })
      .extractChannel(0),
  );
}

/** The raw pixels a one-channel sharp pipeline puts out. */
export async function rawPixels(pipeline: Sharp): Promise<GrayImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}
