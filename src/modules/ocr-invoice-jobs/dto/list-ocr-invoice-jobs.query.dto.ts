import { ListQueryDtoFor } from '../../../common/query/list-query.dto.js';
import { OCR_INVOICE_JOB_QUERY_SPEC } from '../ocr-invoice-jobs.query-spec.js';

/** The job list's query: ListQueryDto, documented with the job fields it accepts. */
export class ListOcrInvoiceJobsQueryDto extends ListQueryDtoFor(OCR_INVOICE_JOB_QUERY_SPEC, {
  filterExample: '{"status":{"$in":["failed","partial"]}}',
  fieldsExample: 'name,status,pageCounts',
  searchExample: 'acme',
}) {}
