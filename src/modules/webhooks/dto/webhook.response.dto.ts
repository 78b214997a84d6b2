import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeliveryStatus, WebhookEventType } from '../webhook-event-type.js';

/** A webhook subscription as the API shows it: never with its secret. */
export class WebhookResponseDto {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$', example: '6650c0ffee0000000000abcd' })
  _id!: string;

  @ApiProperty({ format: 'uri', example: 'https://erp.example.com/hooks/ocr' })
  url!: string;

  @ApiProperty({ enum: WebhookEventType, enumName: 'WebhookEventType', isArray: true })
  events!: WebhookEventType[];

  description?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** The webhook just created, with the secret its deliveries are signed with. */
export class CreatedWebhookResponseDto extends WebhookResponseDto {
  /**
   * The signing secret (`whsec_<base64>`, Standard Webhooks). Shown only in this response:
   * store it now, it cannot be read again.
   */
  @ApiProperty({
    pattern: '^whsec_[A-Za-z0-9+/=]+$',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

/** One event on its way to a webhook, and how its attempts went. */
export class WebhookDeliveryResponseDto {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$' })
  _id!: string;

  @ApiProperty({ enum: WebhookEventType, enumName: 'WebhookEventType' })
  event!: WebhookEventType;

  /** The `webhook-id` header sent with every attempt of this delivery. */
  @ApiProperty({ example: 'msg_2b1c9f0e5d7a4c3b8e6f1a0d9c8b7a6e' })
  messageId!: string;

  @ApiProperty({ enum: DeliveryStatus, enumName: 'WebhookDeliveryStatus' })
  status!: DeliveryStatus;

  /** Attempts made so far. */
  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;

  /** The receiver's HTTP status on the last attempt, when it answered. */
  @ApiPropertyOptional({ type: 'integer' })
  lastStatusCode?: number;

  /** Why the last attempt failed, when it did. */
  lastError?: string;

  /** When the next attempt is due; absent once delivered or failed. */
  @ApiPropertyOptional({ format: 'date-time' })
  nextAttemptAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  lastAttemptAt?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  deliveredAt?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
