/**
 * Pure measurements on 8-bit grayscale pixels (row-major, one byte per pixel): contrast,
 * sharpness, Otsu's threshold and the skew of text lines. No I/O; sharp produces the pixels.
 */
// Read once: global lookups are slow inside Jest's sandbox, where the e2e tests run this code.
const { sqrt, floor, sin, cos, round, max } = Math;

export interface GrayImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Standard deviation of the grey levels: 0 for a flat image, ~128 for pure black and white. */
export function contrast(image: GrayImage): number {
  const histogram = histogramOf(image);
  let sum = 0;
  let sumSquares = 0;
  for (let level = 0; level < 256; level++) {
    sum += level * histogram[level];
    sumSquares += level * level * histogram[level];
  }
  const count = max(1, image.data.length);
  const mean = sum / count;
  return sqrt(max(0, sumSquares / count - mean * mean));
}

/** Variance of the Laplacian: low for blurred images, high for sharp edges. */
export function sharpness(image: GrayImage): number {
  const { data, width, height } = image;
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const laplacian = 4 * data[i] - data[i - 1] - data[i + 1] - data[i - width] - data[i + width];
      sum += laplacian;
      sumSquares += laplacian * laplacian;
      count++;
    }
  }
  if (count === 0) {
    return 0;
  }
  const mean = sum / count;
  return sumSquares / count - mean * mean;
}

/** How many pixels have each grey level. */
export function histogramOf(image: GrayImage): Float64Array {
  const { data } = image;
  // Two sets of counters, for the even and the odd pixels: a page is mostly one level of paper,
  // and one counter incremented pixel after pixel waits for its own previous increment each time.
  const even = new Uint32Array(256);
  const odd = new Uint32Array(256);
  const pairs = data.length - (data.length % 2);
  for (let i = 0; i < pairs; i += 2) {
    even[data[i]]++;
    odd[data[i + 1]]++;
  }
  if (pairs < data.length) {
    even[data[pairs]]++;
  }
  const histogram = new Float64Array(256);
  for (let level = 0; level < 256; level++) {
    histogram[level] = even[level] + odd[level];
  }
  return histogram;
}

/** Otsu's level over the grey levels 0..`maxLevel` of `histogram` (the rest ignored). */
function otsuLevel(histogram: Float64Array, maxLevel = 255): number {
  let total = 0;
  let sumAll = 0;
  for (let level = 0; level <= maxLevel; level++) {
    total += histogram[level];
    sumAll += level * histogram[level];
  }
  let sumBackground = 0;
  let weightBackground = 0;
  let best = 0;
  let threshold = Math.min(127, maxLevel);
  for (let level = 0; level <= maxLevel; level++) {
    weightBackground += histogram[level];
    if (weightBackground === 0) {
      continue;
    }
    const weightForeground = total - weightBackground;
    if (weightForeground === 0) {
      break;
    }
    sumBackground += level * histogram[level];
    const meanBackground = sumBackground / weightBackground;
    const meanForeground = (sumAll - sumBackground) / weightForeground;
    const between = weightBackground * weightForeground * (meanBackground - meanForeground) ** 2;
    if (between > best) {
      best = between;
      threshold = level;
    }
  }
  return threshold;
}

/**
 * Otsu's method: the grey level that best separates ink from paper (maximal between-class
 * variance). Levels up to and including it are ink.
 */
export function otsuThreshold(image: GrayImage): number {
  return otsuLevel(histogramOf(image));
}

/**
 * A printed page is mostly paper: more ink than this share means a threshold cut through the
 * paper itself (grainy scan paper or a shaded box, stretched by contrast enhancement).
 */
export const MAX_INK_SHARE = 0.15;

/**
 * The binarisation level: Otsu's, unless it would turn more than `MAX_INK_SHARE` of the page to
 * ink; then Otsu's again among the darker class only, which separates the ink from the grey
 * paper (at most twice). A plain Otsu on a speckled page blackens the whole sheet.
 */
export function inkThreshold(image: GrayImage): number {
  return inkLevel(histogramOf(image));
}

/** `inkThreshold` of an image with this grey-level histogram. */
export function inkLevel(histogram: Float64Array): number {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  const inkShare = (level: number): number =>
    histogram.subarray(0, level + 1).reduce((sum, count) => sum + count, 0) / Math.max(1, total);
  let threshold = otsuLevel(histogram);
  for (let round = 0; round < 2 && inkShare(threshold) > MAX_INK_SHARE; round++) {
    const darker = otsuLevel(histogram, threshold);
    if (darker >= threshold) {
      break;
    }
    threshold = darker;
  }
  return threshold;
}

/** Coordinates of the dark (ink) pixels, sampled to at most `limit` points. */
function inkPoints(image: GrayImage, threshold: number, limit: number): Float64Array {
  const { data, width } = image;
  let count = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] <= threshold) {
      count++;
    }
  }
  const step = max(1, Math.ceil(count / limit));
  const points = new Float64Array(Math.ceil(count / step) * 2 + 2);
  let seen = 0;
  let n = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] <= threshold && seen++ % step === 0) {
      points[n++] = i % width;
      points[n++] = floor(i / width);
    }
  }
  return points.subarray(0, n);
}

/**
 * Score of a projection profile: sum of squared bin counts. Text lines aligned with the axis make
 * tall narrow peaks (a high score); tilted lines smear into a flat profile.
 */
function profileScore(points: Float64Array, radians: number, bins: number, span: number): number {
  const sine = sin(radians);
  const cosine = cos(radians);
  const profile = new Float64Array(bins);
  for (let i = 0; i < points.length; i += 2) {
    // Row of the point once the image is rotated by `radians` (counter-clockwise).
    // `| 0` truncates: rows are shifted by `span` to be positive, so it floors.
    const bin = (points[i + 1] * cosine - points[i] * sine + span) | 0;
    if (bin >= 0 && bin < bins) {
      profile[bin]++;
    }
  }
  let score = 0;
  for (const value of profile) {
    score += value * value;
  }
  return score;
}

/**
 * Skew of the text lines in degrees, by projection profiles: the clockwise rotation that makes
 * the row profile of the ink sharpest, searched over ±`maxDegrees` coarse then fine.
 * Returns 0 for a page with too little ink to tell.
 */
export function estimateSkew(image: GrayImage, threshold: number, maxDegrees = 6): number {
  const points = inkPoints(image, threshold, 60_000);
  if (points.length < 200) {
    return 0;
  }
  const span = image.width;
  const bins = image.height + 2 * image.width;
  const search = (from: number, to: number, step: number): number => {
    let bestAngle = 0;
    let bestScore = -1;
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const score = profileScore(points, (degrees * Math.PI) / 180, bins, span);
      if (score > bestScore) {
        bestScore = score;
        bestAngle = degrees;
      }
    }
    return bestAngle;
  };
  const coarse = search(-maxDegrees, maxDegrees, 0.5);
  const fine = search(coarse - 0.5, coarse + 0.5, 0.1);
  // Lines tilted clockwise by θ come out level when the points are turned back by θ.
  return round(fine * 100) / 100;
}

/**
 * How strongly the ink forms horizontal lines versus vertical ones (row-profile score over
 * column-profile score). Above 1 the text runs horizontally (0° or 180°), below it the page is
 * on its side (90° or 270°).
 */
export function horizontalLineRatio(image: GrayImage, threshold: number): number {
  const { data, width, height } = image;
  const rows = new Float64Array(height);
  const columns = new Float64Array(width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (data[row + x] <= threshold) {
        rows[y]++;
        columns[x]++;
      }
    }
  }
  const normalised = (profile: Float64Array, length: number): number => {
    let sum = 0;
    let sumSquares = 0;
    for (const value of profile) {
      sum += value;
      sumSquares += value * value;
    }
    // Variance of the profile relative to its mean: independent of the image's aspect ratio.
    const mean = sum / length;
    return mean === 0 ? 0 : sumSquares / length / (mean * mean);
  };
  const columnScore = normalised(columns, width);
  return columnScore === 0 ? 1 : normalised(rows, height) / columnScore;
}

/**
 * Share of salt-and-pepper pixels: pixels darker (or lighter) than all four of their neighbours
 * by more than a third of the grey range, which no printed stroke at OCR resolutions makes.
 * Every other row is looked at: an estimate, cheap on a full page.
 */
export function speckleShare(image: GrayImage): number {
  const { data, width, height } = image;
  const step = 85;
  let specks = 0;
  let seen = 0;
  for (let y = 1; y < height - 1; y += 2) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const value = data[i];
      const up = data[i - width];
      const down = data[i + width];
      const left = data[i - 1];
      const right = data[i + 1];
      if (
        (up - value > step && down - value > step && left - value > step && right - value > step) ||
        (value - up > step && value - down > step && value - left > step && value - right > step)
      ) {
        specks++;
      }
    }
    seen += width - 2;
  }
  return seen === 0 ? 0 : specks / seen;
}

/**
 * Grain of the paper: among pixels in light, flat surroundings (the pixel and its four
 * neighbours all at least a light grey, so no stroke or its anti-aliased edge is near), the share
 * whose level departs from its neighbours' mean by more than six levels. A clean render or scan
 * has next to none (its paper is flat); scanner grain and dust make a few percent and more.
 * Every other row is looked at.
 */
export function paperGrain(image: GrayImage): number {
  const { data, width, height } = image;
  const light = 160;
  let flat = 0;
  let grainy = 0;
  for (let y = 1; y < height - 1; y += 2) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const value = data[i];
      const up = data[i - width];
      const down = data[i + width];
      const left = data[i - 1];
      const right = data[i + 1];
      if (value >= light && up >= light && down >= light && left >= light && right >= light) {
        flat++;
        const laplacian = 4 * value - up - down - left - right;
        if (laplacian > 24 || laplacian < -24) {
          grainy++;
        }
      }
    }
  }
  return flat === 0 ? 0 : grainy / flat;
}
