import type { Sharp } from 'sharp';
import type { GrayImage } from '../preprocess/image-analysis.js';

/**
 * An image read by sharp as raw grey pixels, one channel (OCR reads grey levels: every later step
 * is cheaper on one), scaled to exactly `size` when given.
 */
export async function greyPixelsOf(
  input: Sharp,
  size?: { width: number; height: number },
): Promise<GrayImage> {
  const { data, info } = await input
    .greyscale()
    .resize(size && { ...size, fit: 'fill' })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
  };
}
