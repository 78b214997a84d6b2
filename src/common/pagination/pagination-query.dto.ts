import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * Query strings arrive as text. Only plain decimal integers are converted; anything else
 * (`1.5`, `1e3`, `abc`, repeated parameters) is left as it came so the validator rejects it
 * with a 400 instead of it being silently coerced or clamped.
 */
export function toQueryInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/** `limit`/`offset` windowing shared by every list endpoint. */
export class PaginationQueryDto {
  /** Maximum number of records to return. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = DEFAULT_PAGE_SIZE;

  /** Number of records to skip for pagination. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0 })
  @IsOptional()
  @Transform(toQueryInteger)
  @IsInt()
  @Min(0)
  offset: number = 0;
}
