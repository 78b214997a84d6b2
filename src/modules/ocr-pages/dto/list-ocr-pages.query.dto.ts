import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsString } from 'class-validator';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { SortOrder } from '../../../common/pagination/sort-order.js';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { OCR_PAGE_SORT_FIELDS } from '../ocr-pages.query-spec.js';

export class ListOcrPagesQueryDto extends PaginationQueryDto {
  /** Field to sort by. Ties break on `_id`, so paging is stable. */
  @ApiPropertyOptional({ enum: OCR_PAGE_SORT_FIELDS, default: 'createdAt' })
  @IsOptionalNonNull()
  @IsString()
  sort: string = 'createdAt';

  /** Sort order (asc or desc). */
  @ApiPropertyOptional({ enum: SortOrder, enumName: 'SortOrder', default: SortOrder.Desc })
  @IsOptionalNonNull()
  @IsEnum(SortOrder)
  order: SortOrder = SortOrder.Desc;
}
