import { ApiProperty } from '@nestjs/swagger';
import { BoundingBoxDto } from '../../ocr-pages/dto/bounding-box.dto.js';
import { FieldSource, PageStatus } from '../../ocr-pages/ocr-page.enums.js';

/** One invoice field, as read from the page that gives it. */
export class InvoiceFieldDto {
  /** A number for amounts, `YYYY-MM-DD` for dates, otherwise a string. */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }] })
  value!: string | number;
  /** Confidence of the reading, 0..1. */
  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;
  /** `ocr` (read from the page), `e-invoice` (the PDF's embedded e-invoice) or `review` (corrected). */
  @ApiProperty({ enum: FieldSource, enumName: 'FieldSource' })
  source!: FieldSource;
  /** The page number it was read from. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;
  boundingBox?: BoundingBoxDto;
}

/** One line item, stitched across page breaks. */
export class InvoiceLineItemDto {
  description?: string;
  quantity?: number;
  unitPrice?: number;
  amount?: number;
  /** The page number the item starts on. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;
  /** Its row in that page's table (`tableData.rowIndex`; 1 is the first item row), or its place in the page's e-invoice. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  rowIndex!: number;
}

/** A check over the whole document. */
export class InvoiceCheckDto {
  @ApiProperty({
    enum: ['lineAmountsSumToSubtotal', 'subtotalPlusTaxEqualsTotal', 'dueDateNotBeforeInvoiceDate'],
  })
  name!: string;
  passed!: boolean;
  /** What was compared, e.g. "1234.56 + 123.45 = 1358.01 ≠ 1358.10", or what is missing. */
  detail!: string;
}

/** A page the invoice is assembled from. */
export class InvoicePageDto {
  @ApiProperty({ pattern: '^[0-9a-fA-F]{24}$' })
  _id!: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  pageNumber!: number;
  @ApiProperty({ enum: PageStatus, enumName: 'PageStatus' })
  status!: PageStatus;
}

/** The invoice of a job, assembled from its completed pages. */
export class OcrInvoiceResponseDto {
  /** The job's id. */
  @ApiProperty({ pattern: '^[0-9a-fA-F]{24}$' })
  jobId!: string;
  /** False while a page is pending or processing (or the document is not split yet). */
  complete!: boolean;
  /** The job's pages, in page order. */
  pages!: InvoicePageDto[];
  /**
   * Invoice fields by name (`invoiceNumber`, `totalAmount`, …): header fields from the page that
   * prints them most confidently, totals from the page with the final total.
   */
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/InvoiceFieldDto' },
  })
  fields!: Record<string, InvoiceFieldDto>;
  /** Line items in document order: repeated headers and carried-forward rows dropped. */
  lineItems!: InvoiceLineItemDto[];
  /** Σ line amounts = subtotal, subtotal + tax = total, due date ≥ invoice date. */
  checks!: InvoiceCheckDto[];
}

/** Schemas referenced by `$ref` only (registered with ApiExtraModels). */
export const INVOICE_EXTRA_MODELS = [InvoiceFieldDto];
