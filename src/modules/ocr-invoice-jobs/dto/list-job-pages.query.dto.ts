import { SortOrder } from '../../../common/pagination/sort-order.js';
import { ListQueryDtoFor } from '../../../common/query/list-query.dto.js';
import { OCR_PAGE_QUERY_SPEC } from '../../ocr-pages/ocr-pages.query-spec.js';

/** A job's pages: the page list's parameters, in page order by default. */
export class ListJobPagesQueryDto extends ListQueryDtoFor(OCR_PAGE_QUERY_SPEC, {
  filterExample: '{"status":"failed"}',
  fieldsExample: 'pageNumber,status,qualityScore',
  searchExample: 'total',
  defaultSort: 'pageNumber',
  defaultOrder: SortOrder.Asc,
}) {}
