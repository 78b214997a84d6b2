import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { PaginationQueryDto } from '../pagination/pagination-query.dto.js';
import { SortOrder } from '../pagination/sort-order.js';
import { IsOptionalNonNull } from '../validation/is-optional-non-null.js';
import { QUERY_LIMITS } from './query-limits.js';

/**
 * Query parameters of every list endpoint. A resource's DTO extends it and documents its own
 * `sort` values; what each parameter may name is checked against the resource's QuerySpec.
 */
export class ListQueryDto extends PaginationQueryDto {
  /** Field to sort by. Ties break on `_id`, so paging is stable. */
  @IsOptionalNonNull()
  @IsString()
  sort?: string;

  /** Sort order (asc or desc). */
  // Inline (no enumName): a $ref'd enum schema would lose the `default`.
  @ApiPropertyOptional({ enum: SortOrder, default: SortOrder.Desc })
  @IsOptionalNonNull()
  @IsEnum(SortOrder)
  order: SortOrder = SortOrder.Desc;

  /**
   * Filter conditions in JSON format: a MongoDB-style JSON object of fields mapped to values or to
   * operator objects (`$eq $ne $gt $gte $lt $lte $in $nin $exists`), combined with `$and`, `$or`,
   * `$nor`. Unknown fields or operators, nesting deeper than 6, more than 50 conditions or a filter
   * longer than 4 KiB get 400 `INVALID_FILTER`.
   */
  @ApiPropertyOptional({
    maxLength: QUERY_LIMITS.maxFilterBytes,
    example: '{"status":{"$in":["pending","failed"]},"qualityScore":{"$lt":0.8}}',
  })
  @IsOptionalNonNull()
  @IsString()
  filter?: string;

  /** Search term: case-insensitive substring match over the text fields; regex characters are literal. */
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: QUERY_LIMITS.maxSearchLength,
    example: 'invoice',
  })
  @IsOptionalNonNull()
  @IsString()
  @MinLength(1)
  @MaxLength(QUERY_LIMITS.maxSearchLength)
  search?: string;

  /** Comma-separated list of top-level fields to return (`_id` is always included). */
  @ApiPropertyOptional({ example: 'pageNumber,status,qualityScore' })
  @IsOptionalNonNull()
  @IsString()
  fields?: string;
}
