import { compact, isoDate } from '../../common/http/response-mapping.js';
import type { OcrInvoiceJobResponseDto } from './dto/ocr-invoice-job.response.dto.js';
import type { OcrInvoiceJobRecord } from './ocr-invoice-jobs.repository.js';

/**
 * The API's view of a stored job: internal fields (revision, lease, change count) never leak,
 * ids and dates become strings, absent fields are omitted (`pageCount` is null until known).
 * Works on partial records (a `fields` selection) as well as whole ones.
 */
export function toOcrInvoiceJobResponse(
  job: Partial<OcrInvoiceJobRecord>,
): OcrInvoiceJobResponseDto {
  return compact({
    _id: String(job._id),
    name: job.name,
    documentUrl: job.documentUrl,
    pageCount: job.pageCount,
    status: job.status,
    pageCounts: job.pageCounts && {
      pending: job.pageCounts.pending,
      processing: job.pageCounts.processing,
      completed: job.pageCounts.completed,
      failed: job.pageCounts.failed,
    },
    metadata: job.metadata,
    errorLog: job.errorLog,
    createdAt: isoDate(job.createdAt),
    updatedAt: isoDate(job.updatedAt),
    completedAt: isoDate(job.completedAt),
  });
}
