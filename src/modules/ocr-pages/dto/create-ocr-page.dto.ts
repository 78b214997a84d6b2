import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsMongoId,
  IsObject,
  IsUrl,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { IsPlainJsonObject } from '../../../common/validation/is-plain-json-object.js';
import { ReadOnlyProperties } from '../../../common/validation/read-only-properties.js';
import { PageType } from '../ocr-page.enums.js';
import { AnnotationDto } from './annotation.dto.js';
import { ImagePropertiesDto } from './image-properties.dto.js';

/** Page properties that only the server writes; a request that sends one gets a 400 naming it. */
export const SERVER_MANAGED_PAGE_FIELDS = [
  '_id',
  'status',
  'preprocessing',
  'ocrResults',
  'extractedFields',
  'tableData',
  'processingTime',
  'startedAt',
  'completedAt',
  'errorLog',
  'retryCount',
  'qualityScore',
  'extractionChecks',
  'eInvoice',
  'createdAt',
  'updatedAt',
] as const;

export const MAX_ANNOTATIONS = 500;
export const METADATA_LIMITS = { maxBytes: 16 * 1024, maxDepth: 10, maxKeys: 100 };

/** The writable fields of a page. */
@ClosedSchema()
@ReadOnlyProperties(SERVER_MANAGED_PAGE_FIELDS)
export class CreateOcrPageDto {
  /** OCR invoice job ID this page belongs to. */
  @ApiProperty({ pattern: '^[0-9a-fA-F]{24}$', example: '60f7b1b3e4b0e8b3f8b3f8b4' })
  @IsMongoId()
  job!: string;

  /** Page number within the document. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  @IsInt()
  @Min(1)
  pageNumber!: number;

  /** URL of the page image (absolute `http` or `https`). */
  @ApiProperty({
    format: 'uri',
    maxLength: 2048,
    // What IsUrl below accepts, roughly: an absolute http(s) URL with a host.
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$',
    example: 'https://files.example.com/ocr-invoice-jobs/60f7b1b3e4b0e8b3f8b3f8b4/pages/1.png',
  })
  @MaxLength(2048)
  @IsUrl({
    protocols: ['http', 'https'],
    require_protocol: true,
    require_host: true,
    require_tld: false,
    allow_underscores: true,
  })
  pageUrl!: string;

  /** Type of page content. */
  @ApiPropertyOptional({ enum: PageType, enumName: 'PageType', default: PageType.Content })
  @IsOptionalNonNull()
  @IsEnum(PageType)
  pageType?: PageType;

  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => ImagePropertiesDto)
  imageProperties?: ImagePropertiesDto;

  /** Annotations on the page (at most 500). */
  @IsOptionalNonNull()
  @IsArray()
  @ArrayMaxSize(MAX_ANNOTATIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => AnnotationDto)
  annotations?: AnnotationDto[];

  /**
   * Additional metadata: a free JSON object, stored exactly as sent (keys must not start with `$`
   * or contain `.`; at most 16 KiB as JSON, 10 levels deep and 100 keys per object).
   */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: {} })
  // The value as the client sent it: class-transformer would rebuild it and silently skip keys
  // named like Object.prototype's members (`constructor`, `toString`, `valueOf`, …).
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.metadata, { toClassOnly: true })
  @IsOptionalNonNull()
  @IsPlainJsonObject(METADATA_LIMITS)
  metadata?: Record<string, unknown>;
}
