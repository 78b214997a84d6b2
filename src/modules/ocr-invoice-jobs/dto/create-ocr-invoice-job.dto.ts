import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, IsUrl, MaxLength } from 'class-validator';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { IsPlainJsonObject } from '../../../common/validation/is-plain-json-object.js';
import { ReadOnlyProperties } from '../../../common/validation/read-only-properties.js';
import { METADATA_LIMITS } from '../../ocr-pages/dto/create-ocr-page.dto.js';

/** Job properties that only the server writes; a request that sends one gets a 400 naming it. */
export const SERVER_MANAGED_JOB_FIELDS = [
  '_id',
  'pageCount',
  'status',
  'pageCounts',
  'errorLog',
  'createdAt',
  'updatedAt',
  'completedAt',
] as const;

export const MAX_PAGE_URLS = 500;
export const MAX_JOB_NAME_LENGTH = 200;

/** Absolute http(s) URLs, as for a page's `pageUrl`. */
const HTTP_URL = {
  protocols: ['http', 'https'],
  require_protocol: true,
  require_host: true,
  require_tld: false,
  allow_underscores: true,
};
const HTTP_URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$';

/** A new job: exactly one of `pageUrls` and `documentUrl`. */
@ClosedSchema()
@ReadOnlyProperties(SERVER_MANAGED_JOB_FIELDS)
export class CreateOcrInvoiceJobDto {
  /** A name for the job (at most 200 characters). */
  @ApiPropertyOptional({ maxLength: MAX_JOB_NAME_LENGTH, example: 'ACME invoice 2026-0042' })
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(MAX_JOB_NAME_LENGTH)
  name?: string;

  /**
   * The page images of the document, in order (1 to 500 absolute http(s) URLs): the job's
   * pages are created with it, numbered from 1. Not with `documentUrl`.
   */
  @ApiPropertyOptional({
    type: [String],
    minItems: 1,
    maxItems: MAX_PAGE_URLS,
    items: { type: 'string', format: 'uri', maxLength: 2048, pattern: HTTP_URL_PATTERN },
    example: ['https://files.example.com/invoices/42/page-1.png'],
  })
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAGE_URLS)
  @MaxLength(2048, { each: true })
  @IsUrl(HTTP_URL, { each: true })
  pageUrls?: string[];

  /**
   * A PDF, a multi-page TIFF or a single image (absolute http(s) URL). A worker fetches it, counts
   * its pages and creates one page per document page, with `pageUrl` = `documentUrl#page=N`.
   * Not with `pageUrls`.
   */
  @ApiPropertyOptional({
    format: 'uri',
    maxLength: 2048,
    pattern: HTTP_URL_PATTERN,
    example: 'https://files.example.com/invoices/42.pdf',
  })
  @IsOptionalNonNull()
  @MaxLength(2048)
  @IsUrl(HTTP_URL)
  documentUrl?: string;

  /**
   * Additional metadata: a free JSON object (keys must not start with `$` or contain `.`;
   * at most 16 KiB).
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  @IsOptionalNonNull()
  @IsPlainJsonObject(METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}
