import { IDENTITY } from './affine.js';
import type { GrayImage } from './image-analysis.js';
import { toPbm, turnHalf, type PreparedImage } from './prepare-for-ocr.js';

/** A 10 × 3 binarised image with ink at the given (x, y) pixels. */
function inkAt(...points: [number, number][]): GrayImage {
  const data = new Uint8Array(30).fill(255);
  for (const [x, y] of points) {
    data[y * 10 + x] = 0;
  }
  return { data, width: 10, height: 3 };
}

describe('toPbm', () => {
  it('packs ink as set bits, eight pixels a byte, each row padded to a byte', () => {
    const pbm = toPbm(inkAt([0, 0], [7, 0], [8, 0], [9, 2]));
    const header = 'P4\n10 3\n';
    expect(pbm.subarray(0, header.length).toString('latin1')).toBe(header);
    expect([...pbm.subarray(header.length)]).toEqual([
      0b1000_0001, 0b1000_0000, 0, 0, 0, 0b0100_0000,
    ]);
  });
});

describe('turnHalf', () => {
  it('turns the pixels half way round and maps boxes back through the turn', () => {
    const ink = inkAt([0, 0]);
    const prepared: PreparedImage = {
      image: toPbm(ink),
      dpi: 300,
      gray: ink,
      inkLevels: new Uint8Array(256).fill(1, 0, 128),
      kind: 'clean',
      width: 10,
      height: 3,
      toOriginal: IDENTITY,
      steps: {
        enhanced: false,
        deskewed: false,
        denoised: false,
        binarized: true,
        rotationAngle: 0,
      },
    };
    const turned = turnHalf(prepared);
    expect(turned.gray.data[2 * 10 + 9]).toBe(0);
    expect([...turned.gray.data].filter((value) => value === 0)).toHaveLength(1);
    expect(turned.image.equals(toPbm(inkAt([9, 2])))).toBe(true);
    expect(turned.steps.rotationAngle).toBe(180);
    expect(turned.dpi).toBe(300);
    // The turned image's bottom-right pixel is the original's top-left one.
    const { a, b, c, d, e, f } = turned.toOriginal;
    const [x, y] = [a * 9.5 + b * 2.5 + c, d * 9.5 + e * 2.5 + f];
    expect(x).toBeCloseTo(0.5, 10);
    expect(y).toBeCloseTo(0.5, 10);
  });
});
