import sharp from 'sharp';
import { analysisCopy } from './prepare-for-ocr.js';
import {
  contrast,
  estimateSkew,
  histogramOf,
  horizontalLineRatio,
  inkThreshold,
  MAX_INK_SHARE,
  otsuThreshold,
  sharpness,
  speckleShare,
} from './image-analysis.js';

/** A page of dark text-like bars (lines of "words") on white, as PNG. */
async function linesPage(width = 1000, height = 1300): Promise<Buffer> {
  const bars: string[] = [];
  for (let y = 120; y < height - 120; y += 45) {
    for (let x = 100; x < width - 150; x += 130) {
      bars.push(`<rect x="${x}" y="${y}" width="${90 + ((x + y) % 30)}" height="16" fill="#111"/>`);
    }
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${bars.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('image analysis', () => {
  it.each([0, 1, 2, 7])('counts the pixels of each grey level (%i pixels)', (length) => {
    const data = new Uint8Array(length).map((_, i) => (i % 3) * 100);
    const histogram = histogramOf({ data, width: length, height: 1 });
    expect(histogram.reduce((sum, count) => sum + count, 0)).toBe(length);
    for (const level of [0, 100, 200]) {
      expect(histogram[level]).toBe(data.filter((value) => value === level).length);
    }
  });

  it.each([0, 2.5, -3, 4.2])('estimates a clockwise tilt of %d° within 0.3°', async (degrees) => {
    const page = await linesPage();
    const tilted = await sharp(page).rotate(degrees, { background: '#fff' }).png().toBuffer();
    const copy = await analysisCopy(tilted);
    expect(estimateSkew(copy, otsuThreshold(copy))).toBeCloseTo(degrees, 0);
    expect(Math.abs(estimateSkew(copy, otsuThreshold(copy)) - degrees)).toBeLessThanOrEqual(0.3);
  });

  it('tells lines that run across the page from a page on its side', async () => {
    const page = await linesPage();
    const upright = await analysisCopy(page);
    const sideways = await analysisCopy(await sharp(page).rotate(90).png().toBuffer());
    expect(horizontalLineRatio(upright, otsuThreshold(upright))).toBeGreaterThan(1.5);
    expect(horizontalLineRatio(sideways, otsuThreshold(sideways))).toBeLessThan(0.7);
  });

  it('finds a threshold between ink and paper', async () => {
    const copy = await analysisCopy(await linesPage());
    const threshold = otsuThreshold(copy);
    expect(threshold).toBeGreaterThanOrEqual(17);
    expect(threshold).toBeLessThan(255);
  });

  it('measures less contrast and sharpness on a faded, blurred copy', async () => {
    const page = await linesPage();
    const crisp = await analysisCopy(page);
    const poor = await analysisCopy(await sharp(page).blur(4).linear(0.3, 170).png().toBuffer());
    expect(contrast(poor)).toBeLessThan(contrast(crisp) / 2);
    expect(sharpness(poor)).toBeLessThan(sharpness(crisp) / 10);
  });

  it('returns 0 for a blank page', async () => {
    const blank = await sharp({
      create: { width: 400, height: 500, channels: 3, background: '#fff' },
    })
      .png()
      .toBuffer();
    const copy = await analysisCopy(blank);
    expect(estimateSkew(copy, otsuThreshold(copy))).toBe(0);
  });

  it('finds salt and pepper on a speckled page and next to none on a clean one', async () => {
    const clean = await analysisCopy(await linesPage(), 1000);
    const speckled = { ...clean, data: Uint8Array.from(clean.data) };
    // One pixel in 500 turned to its opposite, as a noisy scanner does.
    for (let i = 1001; i < speckled.data.length - 1001; i += 499) {
      speckled.data[i] = speckled.data[i] > 127 ? 0 : 255;
    }
    expect(speckleShare(clean)).toBeLessThan(0.0001);
    expect(speckleShare(speckled)).toBeGreaterThan(0.001);
  });

  describe('inkThreshold', () => {
    /** 2 % ink at grey 20; the rest paper whose grain the enhancement spread over 100..255. */
    function grainyPage(): { data: Uint8Array; width: number; height: number } {
      const width = 500;
      const height = 400;
      const data = new Uint8Array(width * height);
      let seed = 7;
      for (let i = 0; i < data.length; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        data[i] = i % 50 === 0 ? 20 : 100 + (seed % 156);
      }
      return { data, width, height };
    }
    const inkShare = (image: { data: Uint8Array }, level: number): number =>
      image.data.filter((value) => value <= level).length / image.data.length;

    it('keeps grainy paper white where Otsu alone blackens it', () => {
      const page = grainyPage();
      expect(inkShare(page, otsuThreshold(page))).toBeGreaterThan(MAX_INK_SHARE);
      const level = inkThreshold(page);
      expect(level).toBeGreaterThanOrEqual(20);
      expect(level).toBeLessThan(100);
      expect(inkShare(page, level)).toBeCloseTo(0.02, 3);
    });

    it('is Otsu on a clean page', async () => {
      const copy = await analysisCopy(await linesPage());
      expect(inkThreshold(copy)).toBe(otsuThreshold(copy));
    });
  });
});
