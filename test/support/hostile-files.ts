/**
 * Files built to knock a page pipeline over, each a few KB to about a megabyte and cheap to
 * make: the bytes are written directly (PDF objects, TIFF directories, BMP headers, PNG chunks,
 * gzip members), never by encoding a huge image.
 */
import { randomBytes } from 'node:crypto';
import { crc32, deflateSync, gzipSync } from 'node:zlib';

/** A one-page PDF from its objects (1-based numbers), with a correct cross-reference table. */
function pdf(objects: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0].length;
  objects.forEach((body, index) => {
    offsets.push(length);
    const object = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`),
      body,
      Buffer.from('\nendobj\n'),
    ]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF\n',
  ].join('\n');
  return Buffer.concat([...parts, Buffer.from(`${xref}`)]);
}

function stream(dictionary: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ]);
}

const CATALOG = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
const PAGES = Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');

/**
 * An A4 page drawing one image XObject declared 60000 × 60000 8-bit grey (3.6 GB of pixels),
 * whose Flate data is a few KB: a reader that trusts the dictionary allocates gigabytes.
 */
export function pdfWithHugeImage(): Buffer {
  return pdf([
    CATALOG,
    PAGES,
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>',
    ),
    stream('', Buffer.from('q 595 0 0 842 0 0 cm /Im1 Do Q')),
    stream(
      '/Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode',
      deflateSync(Buffer.alloc(4 * 1024 * 1024), { level: 9 }),
    ),
  ]);
}

/** An A4 page whose content stream is a million path operators (Flate, about 10 KB). */
export function pdfWithMillionOperators(): Buffer {
  // 500 000 × (moveto + lineto), then one stroke.
  const segment = Buffer.from('10 10 m 580 830 l\n');
  const content = Buffer.alloc(segment.length * 500_000 + 2);
  for (let offset = 0; offset < segment.length * 500_000; offset += segment.length) {
    segment.copy(content, offset);
  }
  content.write('S\n', segment.length * 500_000);
  return pdf([
    CATALOG,
    PAGES,
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'),
    stream('/Filter /FlateDecode', deflateSync(content, { level: 9 })),
  ]);
}

/**
 * An 8-bit RLE-compressed BMP declaring 10000 × 8000 pixels (80 MP) in a few bytes of pixel
 * data: a decoder that allocates from the header takes 320 MB before reading a pixel.
 */
export function rleBmpDeclaring80Megapixels(): Buffer {
  const palette = Buffer.alloc(256 * 4, 0xff);
  const pixels = Buffer.from([0x00, 0x01]); // RLE8: end of bitmap
  const header = Buffer.alloc(54);
  const dataOffset = 54 + palette.length;
  header.write('BM', 0, 'latin1');
  header.writeUInt32LE(dataOffset + pixels.length, 2);
  header.writeUInt32LE(dataOffset, 10);
  header.writeUInt32LE(40, 14);
  header.writeInt32LE(10_000, 18);
  header.writeInt32LE(8_000, 22);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(8, 28);
  header.writeUInt32LE(1, 30); // BI_RLE8
  header.writeUInt32LE(pixels.length, 34);
  header.writeInt32LE(11_811, 38);
  header.writeInt32LE(11_811, 42);
  header.writeUInt32LE(256, 46);
  return Buffer.concat([header, palette, pixels]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A 10000 × 8000 black-and-white noise PNG (80 MP): 24 random rows repeated down the image, so
 * that Flate, whose window spans them, keeps the file to a couple of hundred KB.
 */
export function noisePng(width = 10_000, height = 8_000): Buffer {
  const rowBytes = Math.ceil(width / 8);
  const rows = Array.from({ length: 24 }, () =>
    Buffer.concat([Buffer.from([0]), randomBytes(rowBytes)]),
  );
  const raw = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y % rows.length].copy(raw, y * (rowBytes + 1));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A little-endian TIFF of `pages` 1 × 1 grey pages, all sharing one pixel (about 1 MB). */
export function tiffWithPages(pages = 10_000): Buffer {
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, 3, 1], // ImageWidth
    [257, 3, 1], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // PhotometricInterpretation: black is zero
    [273, 4, 8], // StripOffsets: the pixel right after the header
    [277, 3, 1], // SamplesPerPixel
    [278, 3, 1], // RowsPerStrip
    [279, 4, 1], // StripByteCounts
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const firstIfd = 10; // header (8) + the pixel, padded to an even offset
  const tiff = Buffer.alloc(firstIfd + pages * ifdSize);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(firstIfd, 4);
  tiff[8] = 0x80;
  for (let page = 0; page < pages; page++) {
    let offset = firstIfd + page * ifdSize;
    tiff.writeUInt16LE(entries.length, offset);
    offset += 2;
    for (const [tag, type, value] of entries) {
      tiff.writeUInt16LE(tag, offset);
      tiff.writeUInt16LE(type, offset + 2);
      tiff.writeUInt32LE(1, offset + 4);
      if (type === 3) {
        tiff.writeUInt16LE(value, offset + 8);
      } else {
        tiff.writeUInt32LE(value, offset + 8);
      }
      offset += 12;
    }
    tiff.writeUInt32LE(page + 1 < pages ? firstIfd + (page + 1) * ifdSize : 0, offset);
  }
  return tiff;
}

/**
 * A gzip body that inflates to `gibibytes` GiB of zeros in about 1 MB per GiB: identical gzip
 * members, each 64 MiB of zeros, one after another (a valid gzip stream).
 */
export function gzipBomb(gibibytes = 2): Buffer {
  const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: gibibytes * 16 }, () => member));
}
