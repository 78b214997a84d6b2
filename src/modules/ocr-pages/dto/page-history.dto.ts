import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageEventType } from '../ocr-page.enums.js';

/** Any JSON value, null included: what a changed value was or became. */
const ANY_VALUE = {
  anyOf: [
    { type: 'string', nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};

/** One changed value of a history event. */
export class FieldChangeDto {
  /** Where in the page, dotted, e.g. `extractedFields.totalAmount`, `status`, `pageUrl`. */
  @ApiProperty({ example: 'extractedFields.totalAmount' })
  path!: string;
  /** The value before (null when there was none). */
  @ApiProperty({ ...ANY_VALUE, example: 1243.5 })
  before!: unknown;
  /** The value after (null when the change removed it). */
  @ApiProperty({ ...ANY_VALUE, example: 1234.5 })
  after!: unknown;
}

/** One event of a page's history. Append-only: events are never changed. */
export class PageHistoryEventDto {
  /** When it happened (ISO-8601 UTC). */
  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;
  /** Who: the API key's name (or the first 8 hex of its hash), `anonymous`, or `system` (processing). */
  @ApiProperty({ example: 'alice' })
  actor!: string;
  /** What happened. */
  @ApiProperty({ enum: PageEventType, enumName: 'PageEventType' })
  type!: PageEventType;
  /** The values that changed. */
  @ApiProperty({ type: () => [FieldChangeDto] })
  changes!: FieldChangeDto[];
  /** The comment sent with a correction or a review decision. */
  @ApiPropertyOptional()
  comment?: string;
}
