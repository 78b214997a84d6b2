import sharp from 'sharp';
import { apply, compose, IDENTITY, invert, mapBox, rotation, scaling } from './affine.js';

/** Centre of the dark pixels of a PNG. */
async function inkCentre(png: Buffer): Promise<[number, number]> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  let sx = 0;
  let sy = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 128) {
      sx += i % info.width;
      sy += Math.floor(i / info.width);
      n++;
    }
  }
  return [sx / n, sy / n];
}

describe('affine transforms', () => {
  it('inverts and composes', () => {
    const t = compose(rotation(30, 200, 100, 240, 190), scaling(2));
    const back = compose(t, invert(t));
    for (const [x, y] of [
      [0, 0],
      [10, 20],
      [199, 99],
    ]) {
      const [bx, by] = apply(back, x, y);
      expect(bx).toBeCloseTo(x, 6);
      expect(by).toBeCloseTo(y, 6);
    }
    expect(compose(IDENTITY, scaling(3))).toEqual(scaling(3));
  });

  it.each([90, 180, 270, 7, -4])('follows a dot through sharp.rotate(%d)', async (degrees) => {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400"><rect width="100%" height="100%" fill="#fff"/><rect x="100" y="60" width="20" height="20" fill="#000"/></svg>`;
    const page = await sharp(Buffer.from(svg)).png().toBuffer();
    const rotated = await sharp(page)
      .rotate(degrees, { background: '#fff' })
      .png()
      .toBuffer({ resolveWithObject: true });
    const t = rotation(degrees, 600, 400, rotated.info.width, rotated.info.height);
    const [px, py] = apply(t, 110, 70);
    const [cx, cy] = await inkCentre(rotated.data);
    expect(Math.abs(px - cx)).toBeLessThan(2);
    expect(Math.abs(py - cy)).toBeLessThan(2);
  });

  it('maps a box to the box covering its corners, clamped to the image', () => {
    const box = mapBox(scaling(0.5), { x: 10, y: 20, width: 100, height: 40 }, 1000, 1000);
    expect(box).toEqual({ x: 5, y: 10, width: 50, height: 20 });
    const clamped = mapBox(IDENTITY, { x: -5, y: 990, width: 20, height: 20 }, 1000, 1000);
    expect(clamped).toEqual({ x: 0, y: 990, width: 15, height: 10 });
  });
});
