import sharp from 'sharp';
import { prepareForOcr } from './prepare-for-ocr.js';

/**
 * An A4-ish page at 150 DPI with little ink: a light grey box (a shaded table header or summary
 * box, #e8e8e8) holding one dark bar, and one dark bar on white paper.
 */
async function shadedPage(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1240" height="1754">
    <rect width="100%" height="100%" fill="#fff"/>
    <rect x="100" y="400" width="1000" height="60" fill="#e8e8e8"/>
    <rect x="120" y="420" width="200" height="20" fill="#111"/>
    <rect x="120" y="800" width="200" height="20" fill="#111"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('prepareForOcr', () => {
  it('keeps a shaded box white around its text, so the text in it stays readable', async () => {
    const prepared = await prepareForOcr(
      await shadedPage(),
      { width: 1240, height: 1754, dpi: 150 },
      0,
    );
    const { data, info } = await sharp(prepared.png)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const scale = info.width / 1240;
    const at = (x: number, y: number): number =>
      data[Math.round(y * scale) * info.width + Math.round(x * scale)];
    // Inside the grey box, beside its bar: paper, not ink.
    expect(at(700, 430)).toBe(255);
    expect(at(110, 410)).toBe(255);
    // The bars themselves are ink, in the box and out of it.
    expect(at(200, 430)).toBe(0);
    expect(at(200, 810)).toBe(0);
  });
});
