/**
 * The fast way to read a scanned PDF page: a scanner (or "print to PDF" of a photo) writes a page
 * that is one JPEG image drawn over the whole page and nothing else. Its JPEG bytes are taken as
 * they are from the PDF and decoded by sharp (libjpeg-turbo), about ten times faster than
 * rendering the page with pdf.js, whose JPEG decoder is JavaScript.
 *
 * pdf.js cannot tell where a page's image is drawn without decoding it (building a page's
 * operator list decodes its images), so pdf-lib reads the page's objects: its content stream,
 * the image's dictionary and its raw bytes. Anything but the plain shape (more content, another
 * filter or colour space, masks, a skewed placement, an image that does not cover the page, a
 * JPEG whose header disagrees with its dictionary) is not read here: the page is rendered as
 * before.
 *
 * pdf-lib is only asked once pdf.js has found the page to be a scan. It parses the whole file at
 * once (a scan's is a few objects) and inflates every object stream it holds, where pdf.js reads
 * only what a page uses: a file built to inflate gigabytes there is stopped, like one that does
 * so in a page's content for pdf.js, by the page processor's memory limit and deadline.
 */
import {
  decodePDFRawStream,
  ParseSpeeds,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  PDFRawStream,
  type PDFObject,
  type PDFPageLeaf,
} from 'pdf-lib';
import sharp, { type Metadata } from 'sharp';
import { apply, compose, IDENTITY, type Affine } from '../preprocess/affine.js';
import type { GrayImage } from '../preprocess/image-analysis.js';
import { greyPixelsOf } from './grey-pixels.js';
import { UnsupportedImageError } from './unsupported-image.error.js';

/**
 * A matrix as PDF and pdf.js write it, [a b c d e f]: x' = a·x + c·y + e, y' = b·x + d·y + f, as
 * an Affine.
 */
function fromPdfMatrix([a, b, c, d, e, f]: readonly number[]): Affine {
  return { a, b: c, c: e, d: b, e: d, f };
}

/** The page raster the page would be rendered to. */
export interface PageRaster {
  width: number;
  height: number;
  dpi: number;
  /** pdf.js's viewport transform: PDF user space to raster pixels (crop box, /Rotate, scale). */
  transform: number[];
  /** The largest image accepted, in pixels (pdf.js leaves larger images out of a render). */
  maxImagePixels: number;
}

/** Which page: its index (0-based) and, as pdf.js read it, its object. */
export interface PageIdentity {
  index: number;
  ref: { num: number; gen: number } | null;
}

export interface ScanImage {
  /** The page as displayed, grey. */
  pixels: GrayImage;
  /** Their resolution. */
  dpi: number;
}

/**
 * A scan's content stream is a few dozen bytes (`q 595 0 0 842 0 0 cm /Im0 Do Q`): a larger one
 * draws something else too (and is not inflated here).
 */
const MAX_CONTENT_BYTES = 4096;
/** q, Q, cm and one Do: a producer nests a few of each, not dozens. */
const MAX_OPERATORS = 32;
/** How far, in raster pixels, the image's edges may lie from the page's, or lean off square. */
const PLACEMENT_TOLERANCE = 2;
/** Colour spaces whose JPEG sharp decodes to the same grey levels as pdf.js, and components. */
const COLOUR_SPACES = new Map([
  [PDFName.of('DeviceGray'), 1],
  [PDFName.of('DeviceRGB'), 3],
]);
/** Image dictionary entries that change what is drawn (decoding, masking, visibility). */
const ALTERING_ENTRIES = [
  'Decode',
  'DecodeParms',
  'SMask',
  'Mask',
  'ImageMask',
  'OC',
  'Alternates',
];

/**
 * The page as grey pixels when it is a single full-page JPEG image (see the module's comment),
 * else undefined: the caller renders it. UnsupportedImageError when that image's JPEG header
 * declares more pixels than the budget. The pixels keep the image's own resolution when it is not
 * finer than the raster (no resampling: OCR's preparation enlarges a coarse scan better, and
 * reads a 150 or 200 DPI scan markedly better that way), and are scaled down to the raster when
 * it is finer.
 */
export async function readScanImage(
  bytes: Buffer,
  page: PageIdentity,
  raster: PageRaster,
): Promise<ScanImage | undefined> {
  const found = await findFullPageJpeg(bytes, page).catch(() => undefined);
  if (!found) {
    return undefined;
  }
  const { jpeg, width, height, components, placement } = found;
  const turn = quarterTurn(compose(placement, fromPdfMatrix(raster.transform)), raster);
  // An image past the budget by its dictionary is left out by pdf.js: rendered, the page is blank.
  if (turn === undefined || width * height > raster.maxImagePixels) {
    return undefined;
  }
  let header: Metadata;
  try {
    // The header alone: nothing is decoded.
    header = await sharp(jpeg, { limitInputPixels: false }).metadata();
  } catch {
    return undefined;
  }
  if ((header.width ?? 0) * (header.height ?? 0) > raster.maxImagePixels) {
    // pdf.js's decoder sizes its work by the JPEG's header, not by the dictionary (which
    // maxImageSize checks): a few KB declaring 60000 × 60000 pixels take it a minute and
    // gigabytes. Not rendered.
    throw new UnsupportedImageError(
      `the PDF page's image declares more than ${raster.maxImagePixels} pixels`,
    );
  }
  if (
    header.format !== 'jpeg' ||
    header.width !== width ||
    header.height !== height ||
    header.channels !== components
  ) {
    return undefined;
  }
  // Untrusted bytes: within the pixel budget, and corrupt data is an error, never a
  // half-decoded page.
  const untrusted = { limitInputPixels: raster.maxImagePixels, failOn: 'error' } as const;
  try {
    const [shownWidth, shownHeight] = turn % 180 === 0 ? [width, height] : [height, width];
    // Within the raster, and as fine across as down: the image's own pixels, at its resolution.
    const ownSize =
      shownWidth <= raster.width + PLACEMENT_TOLERANCE &&
      shownHeight <= raster.height + PLACEMENT_TOLERANCE &&
      Math.abs(shownWidth / raster.width - shownHeight / raster.height) <= 0.01;
    let image = sharp(jpeg, untrusted);
    if (turn !== 0) {
      image = image.rotate(turn);
    }
    const pixels = await greyPixelsOf(
      image,
      ownSize ? undefined : { width: raster.width, height: raster.height },
    );
    return { pixels, dpi: Math.max(1, Math.round((raster.dpi * pixels.width) / raster.width)) };
  } catch {
    // sharp could not read it: pdf.js's rendering decides what the page shows.
    return undefined;
  }
}

interface FullPageJpeg {
  jpeg: Buffer;
  width: number;
  height: number;
  components: number;
  /** The image's unit square to PDF user space (the CTM at its `Do`). */
  placement: Affine;
}

/** The page's only drawing, when it is one DCT-encoded image XObject; throws on malformed input. */
async function findFullPageJpeg(
  bytes: Buffer,
  { index, ref }: PageIdentity,
): Promise<FullPageJpeg | undefined> {
  // Encrypted documents are refused by pdf-lib (their streams would be ciphertext here), and so
  // is a malformed object (a scanner's file has none; pdf.js renders such a file as before).
  const document = await withoutWarnings(() =>
    PDFDocument.load(bytes, {
      parseSpeed: ParseSpeeds.Fastest,
      throwOnInvalidObject: true,
      updateMetadata: false,
    }),
  );
  // Two parsers may disagree on a malformed file: both must see the same page object.
  const found = index < document.getPageCount() ? document.getPage(index) : undefined;
  if (!found || found.ref.objectNumber !== ref?.num || found.ref.generationNumber !== ref.gen) {
    return undefined;
  }
  const page = found.node;
  // Annotations are drawn over the page by the render.
  if ((page.Annots()?.size() ?? 0) > 0) {
    return undefined;
  }
  const drawing = imageDrawing(contentBytes(page));
  const xObjects = drawing && page.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
  const stream = drawing && xObjects?.lookup(drawing.name);
  if (!drawing || !(stream instanceof PDFRawStream)) {
    return undefined;
  }
  const { dict } = stream;
  const entry = (key: string): PDFObject | undefined => dict.lookup(PDFName.of(key));
  const number = (key: string): number | undefined =>
    dict.lookupMaybe(PDFName.of(key), PDFNumber)?.asNumber();
  const filter = entry('Filter');
  const filters = filter instanceof PDFArray ? filter.asArray() : [filter];
  const colourSpace = entry('ColorSpace');
  const components = colourSpace instanceof PDFName ? COLOUR_SPACES.get(colourSpace) : undefined;
  const width = number('Width');
  const height = number('Height');
  if (
    entry('Subtype') !== PDFName.of('Image') ||
    filters.length !== 1 ||
    dict.context.lookup(filters[0]) !== PDFName.of('DCTDecode') ||
    ALTERING_ENTRIES.some((key) => dict.has(PDFName.of(key))) ||
    number('BitsPerComponent') !== 8 ||
    components === undefined ||
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width! < 1 ||
    height! < 1 ||
    stream.contents.length === 0
  ) {
    return undefined;
  }
  const { contents } = stream;
  return {
    jpeg: Buffer.from(contents.buffer, contents.byteOffset, contents.length),
    width: width!,
    height: height!,
    components,
    placement: drawing.placement,
  };
}

/**
 * Runs `work` with console.warn silenced: pdf-lib warns there of what it finds odd in a file (a
 * line per oversized number, say), and an untrusted file must not write to the service's log.
 */
/* eslint-disable no-console -- the one place console is touched: to keep pdf-lib quiet */
async function withoutWarnings<T>(work: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await work();
  } finally {
    console.warn = warn;
  }
}
/* eslint-enable no-console */

/** The page's content streams, decoded and joined, or undefined past MAX_CONTENT_BYTES. */
function contentBytes(page: PDFPageLeaf): string | undefined {
  const contents = page.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : [contents];
  let text = '';
  for (const entry of streams) {
    const stream = page.context.lookup(entry);
    if (!(stream instanceof PDFRawStream) || stream.contents.length > MAX_CONTENT_BYTES) {
      return undefined;
    }
    // Filters (Flate, LZW) inflate at most about a thousandfold: a few MB at most here.
    text += Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') + '\n';
  }
  return text;
}

/** PDF white space (not JavaScript's \s, which takes in more). */
const WHITE_SPACE = /[\0\t\n\f\r ]*/y;
/** A number, a name (written as /Name, with #xx escapes) or an operator, then a delimiter. */
const TOKEN =
  /(?:([+-]?(?:\d+\.?\d*|\.\d+))|\/([^\0\t\n\f\r ()<>[\]{}/%]+)|([A-Za-z]+))(?=[\0\t\n\f\r /]|$)/y;

/**
 * The image a content stream draws, when all it does is transform (q, Q, cm) and draw one
 * XObject (Do): the name and the transformation in force.
 */
function imageDrawing(
  content: string | undefined,
): { name: PDFName; placement: Affine } | undefined {
  if (content === undefined) {
    return undefined;
  }
  const saved: Affine[] = [];
  let current = IDENTITY;
  let drawing: { name: PDFName; placement: Affine } | undefined;
  let operators = 0;
  const numbers: number[] = [];
  const names: PDFName[] = [];
  let position = 0;
  for (;;) {
    WHITE_SPACE.lastIndex = position;
    WHITE_SPACE.exec(content);
    position = WHITE_SPACE.lastIndex;
    if (position >= content.length) {
      break;
    }
    TOKEN.lastIndex = position;
    const token = TOKEN.exec(content);
    if (!token) {
      return undefined;
    }
    position = TOKEN.lastIndex;
    const [, number, name, operator] = token;
    if (number !== undefined) {
      numbers.push(Number(number));
      continue;
    }
    if (name !== undefined) {
      names.push(PDFName.of(name));
      continue;
    }
    if (++operators > MAX_OPERATORS) {
      return undefined;
    }
    if (operator === 'q' && numbers.length + names.length === 0) {
      saved.push(current);
    } else if (operator === 'Q' && numbers.length + names.length === 0 && saved.length > 0) {
      current = saved.pop()!;
    } else if (operator === 'cm' && numbers.length === 6 && names.length === 0) {
      // The new matrix applies first, then the one in force.
      current = compose(fromPdfMatrix(numbers), current);
    } else if (operator === 'Do' && names.length === 1 && numbers.length === 0 && !drawing) {
      drawing = { name: names[0], placement: current };
    } else {
      return undefined;
    }
    numbers.length = 0;
    names.length = 0;
  }
  return numbers.length + names.length === 0 ? drawing : undefined;
}

/**
 * How far the image is turned on the raster (clockwise, in degrees), when `device` (its unit
 * square to raster pixels) covers the whole raster square to the axes; undefined when it is
 * skewed, mirrored, or leaves part of the page out or overflows it.
 */
function quarterTurn(device: Affine, raster: PageRaster): 0 | 90 | 180 | 270 | undefined {
  const corners = [
    apply(device, 0, 0),
    apply(device, 1, 0),
    apply(device, 0, 1),
    apply(device, 1, 1),
  ];
  const xs = corners.map(([x]) => x);
  const ys = corners.map(([, y]) => y);
  const covers =
    Math.abs(Math.min(...xs)) <= PLACEMENT_TOLERANCE &&
    Math.abs(Math.min(...ys)) <= PLACEMENT_TOLERANCE &&
    Math.abs(Math.max(...xs) - raster.width) <= PLACEMENT_TOLERANCE &&
    Math.abs(Math.max(...ys) - raster.height) <= PLACEMENT_TOLERANCE;
  if (!covers) {
    return undefined;
  }
  // The image's rows run along (a, d); its columns, top to bottom, along (-b, -e) (an image's
  // first row is at the top of its unit square).
  const { a, b, d, e } = device;
  const flat = (value: number): boolean => Math.abs(value) <= PLACEMENT_TOLERANCE;
  if (flat(d) && flat(b)) {
    return a > 0 && e < 0 ? 0 : a < 0 && e > 0 ? 180 : undefined;
  }
  if (flat(a) && flat(e)) {
    return d > 0 && b > 0 ? 90 : d < 0 && b < 0 ? 270 : undefined;
  }
  return undefined;
}
