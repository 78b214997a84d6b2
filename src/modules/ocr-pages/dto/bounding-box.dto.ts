import { IsNumber, Min } from 'class-validator';
import { ClosedSchema } from '../../../common/http/closed-schema.js';

/** Rectangle on the page image, in non-negative pixels. */
@ClosedSchema()
export class BoundingBoxDto {
  /** Left edge, in pixels. */
  @IsNumber()
  @Min(0)
  x!: number;

  /** Top edge, in pixels. */
  @IsNumber()
  @Min(0)
  y!: number;

  /** Width, in pixels. */
  @IsNumber()
  @Min(0)
  width!: number;

  /** Height, in pixels. */
  @IsNumber()
  @Min(0)
  height!: number;
}
