import { ListQueryDtoFor } from '../../../common/query/list-query.dto.js';
import { OCR_PAGE_QUERY_SPEC } from '../ocr-pages.query-spec.js';

/** The page list's query: ListQueryDto, documented with the page fields it accepts. */
export class ListOcrPagesQueryDto extends ListQueryDtoFor(OCR_PAGE_QUERY_SPEC, {
  filterExample: '{"status":{"$in":["pending","failed"]},"qualityScore":{"$lt":0.8}}',
  fieldsExample: 'pageNumber,status,qualityScore',
  searchExample: 'invoice',
}) {}
