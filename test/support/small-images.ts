import sharp from 'sharp';

// Small images that are no invoice page, for what processing does with them.

/** A PNG of `width` × `height` pixels of one dark grey (1 × 1: a tracking pixel). */
export function plainPng(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 20, g: 20, b: 20 } } })
    .png()
    .toBuffer();
}

/** A label of 420 × 90 pixels saying `Invoice 4711`, scanned at 200 DPI (clean, lossless). */
export function labelPng(): Promise<Buffer> {
  return sharp({
    create: { width: 420, height: 90, channels: 3, background: { r: 255, g: 255, b: 255 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="90"><text x="10" y="55" font-family="DejaVu Sans" font-size="30">Invoice 4711</text></svg>',
        ),
      },
    ])
    .withMetadata({ density: 200 })
    .png()
    .toBuffer();
}
