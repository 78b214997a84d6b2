import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';

/** The forms an assembled invoice is answered in. */
export enum InvoiceFormat {
  Json = 'json',
  Csv = 'csv',
  Ubl = 'ubl',
}

export class InvoiceExportQueryDto {
  /**
   * `json` (default): the envelope with fields, line items and checks; `csv`: RFC 4180, a header
   * row then one row per line item with the invoice's fields repeated; `ubl`: a UBL 2.1 `Invoice`
   * (EN 16931 terms it could not fill listed in `X-Missing-Business-Terms`). This parameter
   * decides the form; `Accept` is not consulted.
   */
  @ApiPropertyOptional({ enum: InvoiceFormat, default: InvoiceFormat.Json })
  @IsOptionalNonNull()
  @IsEnum(InvoiceFormat)
  format: InvoiceFormat = InvoiceFormat.Json;
}
