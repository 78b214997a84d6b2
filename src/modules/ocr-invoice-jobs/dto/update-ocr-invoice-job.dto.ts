import { PickType } from '@nestjs/swagger';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { ReadOnlyProperties } from '../../../common/validation/read-only-properties.js';
import { CreateOcrInvoiceJobDto, SERVER_MANAGED_JOB_FIELDS } from './create-ocr-invoice-job.dto.js';

/** The fields of a job that may change: `name` and `metadata` (a sent object replaces the stored one). */
@ClosedSchema()
@ReadOnlyProperties([...SERVER_MANAGED_JOB_FIELDS, 'pageUrls', 'documentUrl'])
export class UpdateOcrInvoiceJobDto extends PickType(CreateOcrInvoiceJobDto, [
  'name',
  'metadata',
] as const) {}
