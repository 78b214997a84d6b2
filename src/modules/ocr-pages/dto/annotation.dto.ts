import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsISO8601,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { AnnotationType } from '../ocr-page.enums.js';
import { BoundingBoxDto } from './bounding-box.dto.js';

/** An annotation on the page. */
@ClosedSchema()
export class AnnotationDto {
  /** Kind of annotation. */
  @ApiProperty({ enum: AnnotationType, enumName: 'AnnotationType' })
  @IsEnum(AnnotationType)
  type!: AnnotationType;

  /** Annotation text. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(10_000)
  text?: string;

  /** Area of the page image the annotation refers to. */
  @IsOptionalNonNull()
  @IsObject()
  @ValidateNested()
  @Type(() => BoundingBoxDto)
  coordinates?: BoundingBoxDto;

  /** Who created the annotation. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(200)
  createdBy?: string;

  /** When the annotation was created (ISO-8601 UTC). Defaults to the time of the request. */
  @ApiPropertyOptional({ type: String, format: 'date-time', example: '2019-08-24T14:15:22Z' })
  @IsOptionalNonNull()
  // Calendar-checked ISO-8601 in its extended date-time form only: week dates and basic formats
  // pass the ISO check but not JavaScript's Date.
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'createdAt must be an ISO-8601 date-time such as 2026-01-31T08:00:00Z',
  })
  createdAt?: string;
}
