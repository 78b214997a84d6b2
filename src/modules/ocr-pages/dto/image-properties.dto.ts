import { ApiPropertyOptional } from '@nestjs/swagger';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { IsEnum, IsInt, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { ColorSpace, ImageFormat } from '../ocr-page.enums.js';

/** Properties of the page image (measured by the pipeline when the page is processed). */
@ClosedSchema()
export class ImagePropertiesDto {
  /** Image width in pixels. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  width?: number;

  /** Image height in pixels. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  height?: number;

  /** Resolution in dots per inch. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  dpi?: number;

  /** Color space of the image. */
  @ApiPropertyOptional({ enum: ColorSpace, enumName: 'ColorSpace' })
  @IsOptionalNonNull()
  @IsEnum(ColorSpace)
  colorSpace?: ColorSpace;

  /** Image file format. */
  @ApiPropertyOptional({ enum: ImageFormat, enumName: 'ImageFormat' })
  @IsOptionalNonNull()
  @IsEnum(ImageFormat)
  format?: ImageFormat;

  /** File size in bytes. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptionalNonNull()
  @IsInt()
  @Min(0)
  size?: number;
}
