import { defineQuerySpec } from '../../common/query/query-spec.js';
import { JobStatus } from './ocr-invoice-job.enums.js';

/** What the job list lets clients filter, search, sort and select. */
export const OCR_INVOICE_JOB_QUERY_SPEC = defineQuerySpec({
  fields: {
    status: { type: 'enum', values: Object.values(JobStatus), filter: true, sort: true },
    name: { type: 'string', filter: true, sort: true, search: true },
    documentUrl: { type: 'string', search: true },
    pageCount: { type: 'integer', filter: true, sort: true },
    createdAt: { type: 'date', filter: true, sort: true },
    updatedAt: { type: 'date', filter: true, sort: true },
    completedAt: { type: 'date', filter: true, sort: true },
  },
  openMaps: ['metadata'],
  selectable: [
    '_id',
    'name',
    'documentUrl',
    'pageCount',
    'status',
    'pageCounts',
    'metadata',
    'errorLog',
    'createdAt',
    'updatedAt',
    'completedAt',
  ],
  defaultSort: 'createdAt',
});
