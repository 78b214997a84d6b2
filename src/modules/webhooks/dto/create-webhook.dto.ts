import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ClosedSchema } from '../../../common/http/closed-schema.js';
import { IsOptionalNonNull } from '../../../common/validation/is-optional-non-null.js';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-event-type.js';

/** A new webhook subscription. */
@ClosedSchema()
export class CreateWebhookDto {
  /**
   * Where deliveries are POSTed: an absolute `http` or `https` URL whose host is a public address
   * (hosts in `FETCH_ALLOWED_HOSTS` excepted), checked when registering and again on every attempt.
   */
  @ApiProperty({
    format: 'uri',
    maxLength: 2048,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$',
    example: 'https://erp.example.com/hooks/ocr',
  })
  @MaxLength(2048)
  @IsUrl({
    protocols: ['http', 'https'],
    require_protocol: true,
    require_host: true,
    require_tld: false,
    allow_underscores: true,
  })
  url!: string;

  /** The events to deliver (at least one, each once). */
  @ApiProperty({
    enum: WebhookEventType,
    enumName: 'WebhookEventType',
    isArray: true,
    minItems: 1,
    maxItems: WEBHOOK_EVENT_TYPES.length,
    uniqueItems: true,
    example: [WebhookEventType.PageCompleted, WebhookEventType.PageFailed],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsEnum(WebhookEventType, { each: true })
  events!: WebhookEventType[];

  /** A note for people: what the webhook is for (1–500 characters). */
  @ApiPropertyOptional({ minLength: 1, maxLength: 500, example: 'ERP import' })
  @IsOptionalNonNull()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description?: string;
}
