import sharp from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import { decodePage } from '../decode/decode-page.js';
import type { GrayImage } from './image-analysis.js';
import { median3x3 } from './median-filter.js';

/** libvips' 3 × 3 median, the filter median3x3 stands in for. */
async function libvipsMedian(image: GrayImage): Promise<Uint8Array> {
  const { data, width, height } = image;
  const out = await sharp(Buffer.from(data.buffer, data.byteOffset, data.length), {
    raw: { width, height, channels: 1 },
  })
    .median(3)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return new Uint8Array(out);
}

/** Pixels from a fixed pseudo-random sequence: speckles, flat runs and edges alike. */
function noise(width: number, height: number, seed: number): GrayImage {
  const data = new Uint8Array(width * height);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    // Half the pixels from a few levels, so that windows hold ties.
    data[i] = state % 2 === 0 ? (state >>> 8) % 256 : ((state >>> 8) % 4) * 85;
  }
  return { data, width, height };
}

describe('median3x3', () => {
  // libvips refuses an image smaller than the window.
  it.each([
    [3, 3],
    [3, 9],
    [9, 3],
    [7, 5],
    [64, 33],
  ])("equals libvips' median(3), edges included, on %i × %i noise", async (width, height) => {
    const image = noise(width, height, width * 31 + height);
    const filtered = median3x3(image);
    expect(filtered.width).toBe(width);
    expect(filtered.height).toBe(height);
    expect(Buffer.from(filtered.data).equals(Buffer.from(await libvipsMedian(image)))).toBe(true);
  });

  it('keeps an image smaller than the window, whose edges fill the window', () => {
    const filtered = median3x3({ data: Uint8Array.of(10, 200), width: 2, height: 1 });
    // Windows of 10 10 200 (×3) and 10 200 200 (×3).
    expect([...filtered.data]).toEqual([10, 200]);
  });

  it("equals libvips' median(3) on a scanned page", async () => {
    const rendered = await renderFixture(corpusFixtureByName('en-10-logo-pl-jpeg-scan'));
    const decoded = await decodePage(rendered.image);
    if (decoded.kind !== 'image') {
      throw new Error('expected a scan');
    }
    const filtered = median3x3(decoded.pixels);
    const expected = await libvipsMedian(decoded.pixels);
    expect(Buffer.from(filtered.data).equals(Buffer.from(expected))).toBe(true);
    // The scan's speckles are gone: the filter did something.
    expect(Buffer.from(filtered.data).equals(Buffer.from(decoded.pixels.data))).toBe(false);
  });
});
