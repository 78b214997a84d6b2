import { PartialType } from '@nestjs/swagger';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { ReadOnlyProperties } from '../../../common/validation/read-only-properties.js';
import { CreateOcrPageDto, SERVER_MANAGED_PAGE_FIELDS } from './create-ocr-page.dto.js';

/** Any subset of the writable fields; fields not sent are left unchanged. */
@ClosedSchema()
@ReadOnlyProperties(SERVER_MANAGED_PAGE_FIELDS)
export class UpdateOcrPageDto extends PartialType(CreateOcrPageDto, {
  skipNullProperties: false,
}) {}
