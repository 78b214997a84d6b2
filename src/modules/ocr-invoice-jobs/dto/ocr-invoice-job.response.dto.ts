import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JobStatus } from '../ocr-invoice-job.enums.js';

/** How many of the job's pages are in each status. */
export class PageCountsDto {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pending!: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  processing!: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  completed!: number;
  @ApiProperty({ type: 'integer', minimum: 0 })
  failed!: number;
}

/** An OCR invoice job. Fields may be missing from list items when `fields` selects others. */
export class OcrInvoiceJobResponseDto {
  /** Unique identifier (24-hex ObjectId). */
  @ApiProperty({ pattern: '^[0-9a-fA-F]{24}$' })
  _id!: string;
  /** The job's name. */
  name?: string;
  /** The document split into pages, for a job created from one. */
  @ApiPropertyOptional({ format: 'uri' })
  documentUrl?: string;
  /** Number of pages; null while a document's pages are not counted yet. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true })
  pageCount?: number | null;
  /**
   * Rolled up from the pages: `pending` (none started), `processing`, `completed` (all pages),
   * `failed` (all pages, or the document could not be split), `partial` (finished, some failed).
   */
  @ApiPropertyOptional({ enum: JobStatus, enumName: 'JobStatus' })
  status?: JobStatus;
  pageCounts?: PageCountsDto;
  /** Additional metadata. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  metadata?: Record<string, unknown>;
  /** Why the job failed (e.g. the document could not be fetched or has too many pages). */
  errorLog?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' })
  updatedAt?: string;
  /** When the last page finished. */
  @ApiPropertyOptional({ format: 'date-time' })
  completedAt?: string;
}
