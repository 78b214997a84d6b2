import type { Type } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString, MaxLength, MinLength } from 'class-validator';
import { PaginationQueryDto } from '../pagination/pagination-query.dto.js';
import { SortOrder } from '../pagination/sort-order.js';
import { IsOptionalNonNull } from '../validation/is-optional-non-null.js';
import { QUERY_LIMITS } from './query-limits.js';
import { sortableFields, type QuerySpec } from './query-spec.js';

/**
 * Query parameters of every list endpoint. A resource's DTO extends `ListQueryDtoFor(spec, …)`,
 * which documents the `sort` values and `fields` names of its QuerySpec; what each parameter
 * may name is checked against that spec when the query is built.
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
  @ApiPropertyOptional({ maxLength: QUERY_LIMITS.maxFilterBytes })
  @IsOptionalNonNull()
  @IsString()
  filter?: string;

  /** Search term: case-insensitive substring match over the text fields; regex characters are literal. */
  @ApiPropertyOptional({ minLength: 1, maxLength: QUERY_LIMITS.maxSearchLength })
  @IsOptionalNonNull()
  @IsString()
  @MinLength(1)
  @MaxLength(QUERY_LIMITS.maxSearchLength)
  search?: string;

  /** Comma-separated list of top-level fields to return (`_id` is always included). */
  @IsOptionalNonNull()
  @IsString()
  fields?: string;
}

/** What a resource's list documents beyond its QuerySpec: examples, and its default order. */
export interface ListQueryDocs {
  /** A filter that makes sense for the resource, e.g. `{"status":"failed"}`. */
  filterExample: string;
  /** A `fields` selection, e.g. `pageNumber,status`. */
  fieldsExample: string;
  searchExample: string;
  /** The sort field when the request names none (default: the spec's `defaultSort`). */
  defaultSort?: string;
  /** The order when the request names none (default: `desc`). */
  defaultOrder?: SortOrder;
}

/**
 * ListQueryDto documented with one resource's QuerySpec: `sort` lists its sortable fields,
 * `fields` its selectable ones (as a pattern), and the examples are the resource's own.
 */
export function ListQueryDtoFor(spec: QuerySpec, docs: ListQueryDocs): Type<ListQueryDto> {
  const selectable = spec.selectable.join('|');
  const defaultSort = docs.defaultSort ?? spec.defaultSort;
  const defaultOrder = docs.defaultOrder ?? SortOrder.Desc;

  class ResourceListQueryDto extends ListQueryDto {
    /** Field to sort by. Ties break on `_id`, so paging is stable. Others get 400 `INVALID_FILTER`. */
    @ApiPropertyOptional({ enum: sortableFields(spec), default: defaultSort })
    @IsOptionalNonNull()
    @IsString()
    override sort?: string = docs.defaultSort;

    /** Sort order (asc or desc). */
    @ApiPropertyOptional({ enum: SortOrder, default: defaultOrder })
    @IsOptionalNonNull()
    @IsEnum(SortOrder)
    override order: SortOrder = defaultOrder;

    /**
     * Filter conditions in JSON format: a MongoDB-style JSON object of fields mapped to values or
     * to operator objects (`$eq $ne $gt $gte $lt $lte $in $nin $exists`), combined with `$and`,
     * `$or`, `$nor`. Unknown fields or operators, nesting deeper than 6, more than 50 conditions
     * or a filter longer than 4 KiB get 400 `INVALID_FILTER`.
     */
    @ApiPropertyOptional({
      maxLength: QUERY_LIMITS.maxFilterBytes,
      example: docs.filterExample,
    })
    @IsOptionalNonNull()
    @IsString()
    override filter?: string = undefined;

    /** Search term: case-insensitive substring match over the text fields; regex characters are literal. */
    @ApiPropertyOptional({
      minLength: 1,
      maxLength: QUERY_LIMITS.maxSearchLength,
      example: docs.searchExample,
    })
    @IsOptionalNonNull()
    @IsString()
    @MinLength(1)
    @MaxLength(QUERY_LIMITS.maxSearchLength)
    override search?: string = undefined;

    /**
     * Comma-separated list of top-level fields to return (`_id` is always included).
     * Unknown fields get 400 `INVALID_FILTER`.
     */
    @ApiPropertyOptional({
      pattern: `^(?:${selectable})(?:,(?:${selectable}))*$`,
      example: docs.fieldsExample,
    })
    @IsOptionalNonNull()
    @IsString()
    override fields?: string = undefined;
  }
  return ResourceListQueryDto;
}
