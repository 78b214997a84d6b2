import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  BlockType,
  FieldSource,
  INVOICE_FIELD_NAMES,
  PageStatus,
  PageType,
  ReviewStatus,
} from '../ocr-page.enums.js';
import { AnnotationDto } from './annotation.dto.js';
import { BoundingBoxDto } from './bounding-box.dto.js';
import { ImagePropertiesDto } from './image-properties.dto.js';

/** Preprocessing steps applied to the image before OCR. Server-managed. */
export class PreprocessingDto {
  /** Contrast/brightness enhancement applied. */
  enhanced?: boolean;
  /** Skew correction applied. */
  deskewed?: boolean;
  /** Noise removal applied. */
  denoised?: boolean;
  /** Converted to black and white. */
  binarized?: boolean;
  /** Rotation applied, in degrees. */
  rotationAngle?: number;
}

/** A word recognized by OCR. */
export class OcrWordDto {
  /** Recognized text of the word. */
  text!: string;
  /** Recognition confidence, 0..1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;
  boundingBox?: BoundingBoxDto;
}

/** A block (region) recognized by OCR. */
export class OcrBlockDto {
  /** Recognized text of the block. */
  text!: string;
  /** Recognition confidence, 0..1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;
  boundingBox?: BoundingBoxDto;
  /** Kind of block. */
  @ApiPropertyOptional({ enum: BlockType, enumName: 'BlockType' })
  blockType?: BlockType;
}

/** OCR output for the page. Server-managed. */
export class OcrResultsDto {
  /** Full recognized text of the page. */
  text?: string;
  /** Overall recognition confidence, 0..1. */
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  confidence?: number;
  /** Recognized words. */
  words?: OcrWordDto[];
  /** Recognized blocks. */
  blocks?: OcrBlockDto[];
  /**
   * `true` when the page held more than is stored (words, blocks, text or table cells beyond the
   * server's limits) and the rest was cut; absent otherwise.
   */
  truncated?: boolean;
  /** The page's language (ISO 639-1), detected by the server; the OCR model it was read with. */
  @ApiPropertyOptional({ enum: ['en', 'de', 'fr', 'nl', 'es', 'it'], example: 'de' })
  language?: string;
}

/** A table cell extracted from the page. */
export class TableCellDto {
  /** Zero-based row index. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  rowIndex!: number;
  /** Zero-based column index. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  columnIndex!: number;
  /** Text of the cell. */
  cellText!: string;
  /** Extraction confidence, 0..1. */
  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  confidence?: number;
  boundingBox?: BoundingBoxDto;
}

/** An invoice field extracted from the page. Amounts are numbers, dates are `YYYY-MM-DD` strings. */
export class ExtractedFieldDto {
  /** Extracted value: a number for amounts, a `YYYY-MM-DD` string for dates, otherwise a string. */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], example: 'INV-2023-0042' })
  value!: string | number;
  /** Extraction confidence, 0..1. */
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.97 })
  confidence!: number;
  boundingBox?: BoundingBoxDto;
  /**
   * Where the value comes from: `ocr` (read from the image), `e-invoice` (an e-invoice embedded in
   * the document) or `review` (a person's correction, confidence 1).
   */
  @ApiPropertyOptional({ enum: FieldSource, enumName: 'FieldSource', example: FieldSource.Ocr })
  source?: FieldSource;
  /** Of a corrected field: the value as read (null when the page did not yield one). */
  @ApiPropertyOptional({
    anyOf: [{ type: 'string', nullable: true }, { type: 'number' }],
    example: 'INV-2023-0O42',
  })
  ocrValue?: string | number | null;
  /** Of a corrected field: when it was corrected (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  correctedAt?: string;
  /** Of a corrected field: who corrected it (the API key's name or hash prefix, or `anonymous`). */
  @ApiPropertyOptional({ example: 'alice' })
  correctedBy?: string;
}

/** Whether a processed page needs a person to look at it, and their decision. Server-managed. */
export class PageReviewDto {
  /** `needed` after processing when a key field is uncertain, a check failed or quality is low. */
  @ApiProperty({ enum: ReviewStatus, enumName: 'ReviewStatus', example: ReviewStatus.Needed })
  status!: ReviewStatus;
  /**
   * Why a review is needed: `missingField:<field>`, `lowConfidence:<field>`,
   * `failedCheck:<total|subtotal|dueDate>`, `lowQuality`.
   */
  @ApiProperty({ type: [String], example: ['lowConfidence:totalAmount', 'failedCheck:total'] })
  reasons!: string[];
  /** When a person approved or rejected the page (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  reviewedAt?: string;
  /** Who approved or rejected it. */
  reviewedBy?: string;
}

/** A line item of an embedded e-invoice. */
export class EInvoiceLineItemDto {
  description?: string;
  quantity?: number;
  unitPrice?: number;
  amount?: number;
}

/** The e-invoice embedded in the page's PDF (Factur-X, ZUGFeRD, XRechnung), read on the document's first page. */
export class PageEInvoiceDto {
  /** The attachment's name, e.g. `factur-x.xml`. */
  fileName!: string;
  /** `cii` (UN/CEFACT Cross Industry Invoice) or `ubl` (UBL 2.1 Invoice). */
  @ApiProperty({ enum: ['cii', 'ubl'] })
  syntax!: 'cii' | 'ubl';
  lineItems!: EInvoiceLineItemDto[];
}

/** One consistency check of the extracted invoice figures. */
export class ExtractionCheckDto {
  /**
   * `subtotalPlusTaxEqualsTotal`, `lineAmountsSumToSubtotal`, `dueDateNotBeforeInvoiceDate`;
   * with an embedded e-invoice `eInvoiceMatchesPage` (the reading agrees with it) or
   * `eInvoiceRead` (failed: the e-invoice could not be read, and why).
   */
  name!: string;
  /** Whether the figures agree. */
  passed!: boolean;
  /** What was compared, e.g. `1234.56 + 123.45 = 1358.01`. */
  detail!: string;
  /** Fields whose confidence was lowered because the check failed. */
  fields?: string[];
}

/**
 * An OCR invoice job page as returned by the API. Optional fields that are not set are omitted;
 * list items requested with `fields` carry only the selected fields plus `_id`.
 */
@ApiExtraModels(ExtractedFieldDto)
export class OcrPageResponseDto {
  /** OCR invoice job page ID (24-hex ObjectId). */
  @ApiProperty({ pattern: '^[0-9a-fA-F]{24}$', example: '60f7b1b3e4b0e8b3f8b3f8b3' })
  _id!: string;

  /** OCR invoice job ID this page belongs to. */
  @ApiPropertyOptional({ pattern: '^[0-9a-fA-F]{24}$', example: '60f7b1b3e4b0e8b3f8b3f8b4' })
  job?: string;

  /** Page number within the document. */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 1 })
  pageNumber?: number;

  /** URL of the page image. */
  @ApiPropertyOptional({ format: 'uri', maxLength: 2048 })
  pageUrl?: string;

  /** Processing status of the page. */
  @ApiPropertyOptional({ enum: PageStatus, enumName: 'PageStatus', default: PageStatus.Pending })
  status?: PageStatus;

  /** Type of page content. */
  @ApiPropertyOptional({ enum: PageType, enumName: 'PageType', default: PageType.Content })
  pageType?: PageType;

  @ApiPropertyOptional({ type: () => ImagePropertiesDto, nullable: true })
  imageProperties?: ImagePropertiesDto | null;

  @ApiPropertyOptional({ type: () => PreprocessingDto, nullable: true })
  preprocessing?: PreprocessingDto | null;

  @ApiPropertyOptional({ type: () => OcrResultsDto, nullable: true })
  ocrResults?: OcrResultsDto | null;

  /**
   * Invoice fields extracted from the page, keyed by field name (`invoiceNumber`, `invoiceDate`,
   * `dueDate`, `purchaseOrder`, `vendorName`, `vendorTaxId`, `customerName`, `currency`,
   * `subtotal`, `taxAmount`, `totalAmount`); only the fields found are present.
   */
  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    properties: Object.fromEntries(
      INVOICE_FIELD_NAMES.map((name) => [
        name,
        { allOf: [{ $ref: getSchemaPath(ExtractedFieldDto) }] },
      ]),
    ),
    additionalProperties: { $ref: getSchemaPath(ExtractedFieldDto) },
    example: {},
  })
  extractedFields?: Record<string, ExtractedFieldDto> | null;

  /** Table cells extracted from the page. */
  @ApiPropertyOptional({ type: () => [TableCellDto], nullable: true })
  tableData?: TableCellDto[] | null;

  /** Processing time in milliseconds. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true })
  processingTime?: number | null;

  /** When processing started (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  startedAt?: string | null;

  /** When processing completed (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  completedAt?: string | null;

  /** Error message of the last failed processing attempt. */
  @ApiPropertyOptional({ type: String, nullable: true })
  errorLog?: string | null;

  /** Number of processing retries. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  retryCount?: number;

  /** Overall quality score of the page, 0..1. */
  @ApiPropertyOptional({ type: Number, minimum: 0, maximum: 1, nullable: true })
  qualityScore?: number | null;

  /**
   * Consistency checks of the extracted figures (subtotal + tax = total, line amounts = subtotal,
   * due date not before invoice date). A failed check lowers the confidence of its fields.
   */
  extractionChecks?: ExtractionCheckDto[];

  /** Set when processing completes: whether the page needs review, and the reviewer's decision. */
  review?: PageReviewDto;

  /** Present when the page's PDF embeds an e-invoice (its fields are in `extractedFields`, `source: "e-invoice"`). */
  eInvoice?: PageEInvoiceDto;

  /** Annotations on the page. */
  @ApiPropertyOptional({ type: () => [AnnotationDto], nullable: true })
  annotations?: AnnotationDto[] | null;

  /** Additional metadata. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: {} })
  metadata?: Record<string, unknown> | null;

  /** Creation time (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  createdAt?: string;

  /** Last update time (ISO-8601 UTC). */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  updatedAt?: string;
}
