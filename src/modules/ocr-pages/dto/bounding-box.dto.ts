import { IsNumber, Min } from 'class-validator';

/** Rectangle on the page image, in non-negative pixels. */
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
