import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsObject, IsString, MaxLength, MinLength } from 'class-validator';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { PaginationQueryDto } from '../../../common/pagination/pagination-query.dto.js';
import { INVOICE_FIELD_NAMES, ReviewDecision } from '../ocr-page.enums.js';

/** Longest comment a correction or a review decision takes. */
export const MAX_COMMENT_LENGTH = 1000;

/** PATCH …/fields: corrected values for some extracted fields. */
@ClosedSchema()
export class CorrectFieldsDto {
  /**
   * Field name → corrected value, or `null` to remove the correction and restore the value read.
   * Names: `invoiceNumber`, `invoiceDate`, `dueDate`, `purchaseOrder`, `vendorName`,
   * `vendorTaxId`, `customerName`, `currency`, `subtotal`, `taxAmount`, `totalAmount`. Dates are
   * real calendar dates `YYYY-MM-DD`; amounts (`subtotal`, `taxAmount`, `totalAmount`) finite
   * numbers with at most 2 decimals; `currency` an ISO 4217 code; other fields strings of 1–200
   * characters.
   */
  @ApiProperty({
    type: 'object',
    minProperties: 1,
    maxProperties: INVOICE_FIELD_NAMES.length,
    properties: Object.fromEntries(
      INVOICE_FIELD_NAMES.map((name) => [
        name,
        ['subtotal', 'taxAmount', 'totalAmount'].includes(name)
          ? { type: 'number', nullable: true, multipleOf: 0.01 }
          : ['invoiceDate', 'dueDate'].includes(name)
            ? { type: 'string', format: 'date', nullable: true }
            : name === 'currency'
              ? { type: 'string', pattern: '^[A-Z]{3}$', nullable: true }
              : { type: 'string', minLength: 1, maxLength: 200, nullable: true },
      ]),
    ),
    additionalProperties: false,
    example: { totalAmount: 1234.5, invoiceNumber: 'INV-1', dueDate: null },
  })
  // The object as sent: class-transformer would rebuild it and skip keys named like
  // Object.prototype's members; every name is checked by the service.
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.fields, { toClassOnly: true })
  @IsObject()
  fields!: Record<string, unknown>;

  /** Why the values were corrected; kept in the page's history. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_COMMENT_LENGTH })
  @IsOptionalNonNull()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_COMMENT_LENGTH)
  comment?: string;
}

/** POST …/review: a reviewer's decision on a processed page. */
@ClosedSchema()
export class ReviewPageDto {
  /** `approve` (review.status becomes `approved`) or `reject` (`rejected`). */
  @ApiProperty({ enum: ReviewDecision, enumName: 'ReviewDecision' })
  @IsEnum(ReviewDecision)
  decision!: ReviewDecision;

  /** Why; kept in the page's history. */
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_COMMENT_LENGTH })
  @IsOptionalNonNull()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_COMMENT_LENGTH)
  comment?: string;
}

/** GET …/history: `limit` and `offset`, as every list. */
export class PageHistoryQueryDto extends PaginationQueryDto {}
