/**
 * Named invoice fixtures: a seed (→ `buildInvoice`) plus render options (→ `renderInvoice`).
 *
 * `FIXTURE_SET` is the full benchmark set: both layouts, the three DejaVu fonts, en/de number and
 * date formats, 100/150/200/300 DPI, skew, right-angle rotations, noise, blur, heavy JPEG
 * compression and every output format. `SMALL_SET` is the handful that e2e tests use; they are
 * clean enough to OCR reliably. Rendering is deterministic, so a fixture name always denotes the
 * same bytes on the same machine (font rasterisation may differ across libvips/font versions).
 */
import { buildDocument, type DocumentKind, type RegionKey } from './documents.js';
import { buildInvoice, type InvoiceTruth } from './invoice-model.js';
import { DOCUMENT_LAYOUTS, type DocumentLayout } from './layouts.js';
import { renderInvoice, type RenderedInvoice, type RenderOptions } from './render-invoice.js';
import { LANGUAGES, type Language } from './vocabulary.js';

export interface InvoiceFixture {
  /** Unique, file-name safe. */
  readonly name: string;
  readonly seed: number;
  readonly options: Readonly<RenderOptions>;
  /** A multilingual document: where it comes from and what it is (else an English invoice). */
  readonly document?: { region: RegionKey; kind: DocumentKind; language: Language };
  /** The layout the benchmark reports it under, when it is not `options.layout`. */
  readonly layoutName?: string;
}

export interface RenderedFixture extends RenderedInvoice {
  fixture: InvoiceFixture;
  truth: InvoiceTruth;
  /** `${name}.${extension}` */
  fileName: string;
}

export const FIXTURE_SET: readonly InvoiceFixture[] = [
  // Clean pages: layouts × fonts × number formats × resolutions.
  {
    name: 'classic-sans-en-png-200',
    seed: 1,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', dpi: 200 },
  },
  {
    name: 'classic-serif-en-png-300',
    seed: 2,
    options: { layout: 'classic', font: 'DejaVu Serif', numberFormat: 'en', dpi: 300 },
  },
  {
    name: 'classic-mono-en-png-150',
    seed: 3,
    options: { layout: 'classic', font: 'DejaVu Sans Mono', numberFormat: 'en', dpi: 150 },
  },
  {
    name: 'classic-sans-en-isodate-png-200',
    seed: 4,
    options: {
      layout: 'classic',
      font: 'DejaVu Sans',
      numberFormat: 'en',
      dateFormat: 'YYYY-MM-DD',
    },
  },
  {
    name: 'modern-sans-de-png-200',
    seed: 5,
    options: { layout: 'modern', font: 'DejaVu Sans', numberFormat: 'de' },
  },
  {
    name: 'modern-serif-de-jpeg-200',
    seed: 6,
    options: { layout: 'modern', font: 'DejaVu Serif', numberFormat: 'de', jpegQuality: 85 },
  },
  {
    name: 'modern-mono-en-png-200',
    seed: 7,
    options: { layout: 'modern', font: 'DejaVu Sans Mono', numberFormat: 'en' },
  },
  {
    name: 'modern-sans-en-isodate-png-300',
    seed: 8,
    options: {
      layout: 'modern',
      font: 'DejaVu Sans',
      numberFormat: 'en',
      dateFormat: 'YYYY-MM-DD',
      dpi: 300,
    },
  },
  {
    name: 'classic-sans-de-png-100-lowres',
    seed: 9,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'de', dpi: 100 },
  },
  // Geometry: skew and orientation.
  {
    name: 'classic-sans-en-skew-plus2',
    seed: 10,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', skewDegrees: 2 },
  },
  {
    name: 'modern-serif-en-skew-minus3',
    seed: 11,
    options: { layout: 'modern', font: 'DejaVu Serif', numberFormat: 'en', skewDegrees: -3 },
  },
  {
    name: 'classic-serif-de-skew-plus4',
    seed: 12,
    options: { layout: 'classic', font: 'DejaVu Serif', numberFormat: 'de', skewDegrees: 4 },
  },
  {
    name: 'classic-sans-en-rotate90',
    seed: 13,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', rotate: 90 },
  },
  {
    name: 'modern-sans-en-skew-rotate180',
    seed: 14,
    options: {
      layout: 'modern',
      font: 'DejaVu Sans',
      numberFormat: 'en',
      skewDegrees: -2,
      rotate: 180,
    },
  },
  // Degradations.
  {
    name: 'classic-sans-en-noise30',
    seed: 15,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', noise: 0.3 },
  },
  {
    name: 'modern-sans-de-noise60-blur',
    seed: 16,
    options: { layout: 'modern', font: 'DejaVu Sans', numberFormat: 'de', noise: 0.6, blur: 0.8 },
  },
  {
    name: 'classic-mono-en-blur15',
    seed: 17,
    options: { layout: 'classic', font: 'DejaVu Sans Mono', numberFormat: 'en', blur: 1.5 },
  },
  {
    name: 'classic-sans-en-jpeg-q30',
    seed: 18,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', jpegQuality: 30 },
  },
  {
    name: 'classic-serif-en-scan-jpeg-300',
    seed: 27,
    options: {
      layout: 'classic',
      font: 'DejaVu Serif',
      numberFormat: 'en',
      dpi: 300,
      skewDegrees: 1.2,
      noise: 0.35,
      blur: 0.7,
      jpegQuality: 50,
    },
  },
  // Container formats.
  {
    name: 'classic-sans-en-tiff-300',
    seed: 19,
    options: {
      layout: 'classic',
      font: 'DejaVu Sans',
      numberFormat: 'en',
      dpi: 300,
      format: 'tiff',
    },
  },
  {
    name: 'modern-serif-de-webp-200',
    seed: 20,
    options: { layout: 'modern', font: 'DejaVu Serif', numberFormat: 'de', format: 'webp' },
  },
  {
    name: 'classic-serif-en-gif-200',
    seed: 21,
    options: { layout: 'classic', font: 'DejaVu Serif', numberFormat: 'en', format: 'gif' },
  },
  {
    name: 'modern-sans-en-bmp-150',
    seed: 22,
    options: { layout: 'modern', font: 'DejaVu Sans', numberFormat: 'en', dpi: 150, format: 'bmp' },
  },
  {
    name: 'classic-en-pdf-text',
    seed: 23,
    options: { layout: 'classic', numberFormat: 'en', format: 'pdf-text' },
  },
  {
    name: 'modern-de-pdf-text-rotate90',
    seed: 24,
    options: { layout: 'modern', numberFormat: 'de', format: 'pdf-text', rotate: 90 },
  },
  {
    name: 'classic-sans-en-pdf-image-200',
    seed: 25,
    options: { layout: 'classic', font: 'DejaVu Sans', numberFormat: 'en', format: 'pdf-image' },
  },
  {
    name: 'modern-sans-de-pdf-image-scan-300',
    seed: 26,
    options: {
      layout: 'modern',
      font: 'DejaVu Sans',
      numberFormat: 'de',
      dpi: 300,
      skewDegrees: -1.5,
      noise: 0.25,
      blur: 0.6,
      jpegQuality: 60,
      format: 'pdf-image',
    },
  },
];

export function fixtureByName(name: string): InvoiceFixture {
  const fixture = FIXTURE_SET.find((candidate) => candidate.name === name);
  if (!fixture) {
    throw new RangeError(`no invoice fixture named ${name}`);
  }
  return fixture;
}

/** For e2e tests: clean PNG (en), de JPEG, skewed + upside down, born-digital PDF, TIFF. */
export const SMALL_SET: readonly InvoiceFixture[] = [
  'classic-sans-en-png-200',
  'modern-serif-de-jpeg-200',
  'modern-sans-en-skew-rotate180',
  'classic-en-pdf-text',
  'classic-sans-en-tiff-300',
].map(fixtureByName);

/** The regions whose invoices each language's documents come from. */
const REGIONS_BY_LANGUAGE: Readonly<Record<Language, readonly RegionKey[]>> = {
  en: ['uk', 'us', 'se', 'pl', 'uk', 'us'],
  de: ['de', 'at', 'ch'],
  fr: ['fr'],
  nl: ['nl', 'be'],
  es: ['es'],
  it: ['it'],
};

/** Eleven renderings per language: clean and scanned rasters, born-digital PDFs, turned pages. */
const RENDERINGS: readonly (readonly [label: string, options: RenderOptions])[] = [
  ['png-200', { font: 'DejaVu Sans' }],
  ['pdf-text', { format: 'pdf-text' }],
  ['jpeg-200', { font: 'DejaVu Serif', jpegQuality: 70 }],
  ['png-300-serif', { font: 'DejaVu Serif', dpi: 300 }],
  ['pdf-text', { format: 'pdf-text' }],
  [
    'pdf-scan-300',
    { dpi: 300, skewDegrees: 1.2, noise: 0.2, blur: 0.5, jpegQuality: 60, format: 'pdf-image' },
  ],
  ['png-150-mono', { font: 'DejaVu Sans Mono', dpi: 150 }],
  ['png-200-skew', { font: 'DejaVu Sans', skewDegrees: -2 }],
  ['tiff-300', { dpi: 300, format: 'tiff' }],
  ['jpeg-scan', { font: 'DejaVu Serif', noise: 0.3, blur: 0.6, jpegQuality: 55 }],
  ['png-200-rotate180', { font: 'DejaVu Sans', rotate: 180 }],
];

const KIND_OF_LAYOUT: Partial<Record<DocumentLayout, DocumentKind>> = {
  receipt: 'receipt',
  'credit-note': 'credit-note',
  gst: 'tax-invoice',
};

function corpusFixtures(): InvoiceFixture[] {
  return LANGUAGES.flatMap((language, languageIndex) =>
    RENDERINGS.map(([label, options], index): InvoiceFixture => {
      let layout = DOCUMENT_LAYOUTS[(index + languageIndex * 3) % DOCUMENT_LAYOUTS.length];
      // GST tax invoices are Indian and written in English.
      if (layout === 'gst' && language !== 'en') {
        layout = 'two-column';
      }
      const regions = REGIONS_BY_LANGUAGE[language];
      const region: RegionKey = layout === 'gst' ? 'in' : regions[index % regions.length];
      const kind = KIND_OF_LAYOUT[layout] ?? 'invoice';
      return {
        name: `${language}-${String(index + 1).padStart(2, '0')}-${layout}-${region}-${label}`,
        seed: 1000 + languageIndex * 100 + index,
        options: { ...options, layout },
        document: { region, kind, language },
      };
    }),
  );
}

/**
 * The multilingual corpus the OCR benchmark measures: 66 documents, eleven per language (en, de,
 * fr, nl, es, it) across eight layouts, several regions and currencies (GBP, USD, INR, SEK, PLN,
 * EUR, CHF), born-digital PDFs beside clean and degraded scans.
 */
export const CORPUS: readonly InvoiceFixture[] = corpusFixtures();

export function corpusFixtureByName(name: string): InvoiceFixture {
  const fixture = CORPUS.find((candidate) => candidate.name === name);
  if (!fixture) {
    throw new RangeError(`no corpus document named ${name}`);
  }
  return fixture;
}

export async function renderFixture(fixture: InvoiceFixture): Promise<RenderedFixture> {
  if (fixture.document !== undefined) {
    const { region, kind } = fixture.document;
    const pdfSafe = fixture.options.format === 'pdf-text';
    const { truth, style } = buildDocument(fixture.seed, region, kind, { pdfSafe });
    const rendered = await renderInvoice(truth, { ...fixture.options, style });
    return { ...rendered, fixture, truth, fileName: `${fixture.name}.${rendered.extension}` };
  }
  const truth = buildInvoice(fixture.seed);
  const rendered = await renderInvoice(truth, fixture.options);
  return { ...rendered, fixture, truth, fileName: `${fixture.name}.${rendered.extension}` };
}
