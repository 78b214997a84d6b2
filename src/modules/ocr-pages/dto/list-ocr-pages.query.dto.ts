import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { ListQueryDto } from '../../../common/query/list-query.dto.js';
import { sortableFields } from '../../../common/query/query-spec.js';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { OCR_PAGE_QUERY_SPEC } from '../ocr-pages.query-spec.js';

const SELECTABLE = OCR_PAGE_QUERY_SPEC.selectable.join('|');

/** The page list's query: ListQueryDto, documented with the page fields it accepts. */
export class ListOcrPagesQueryDto extends ListQueryDto {
  /** Field to sort by. Ties break on `_id`, so paging is stable. Others get 400 `INVALID_FILTER`. */
  @ApiPropertyOptional({
    enum: sortableFields(OCR_PAGE_QUERY_SPEC),
    default: OCR_PAGE_QUERY_SPEC.defaultSort,
  })
  @IsOptionalNonNull()
  @IsString()
  override sort?: string = undefined;

  /**
   * Comma-separated list of top-level page fields to return (`_id` is always included).
   * Unknown fields get 400 `INVALID_FILTER`.
   */
  @ApiPropertyOptional({
    pattern: `^(?:${SELECTABLE})(?:,(?:${SELECTABLE}))*$`,
    example: 'pageNumber,status,qualityScore',
  })
  @IsOptionalNonNull()
  @IsString()
  override fields?: string = undefined;
}
