import type { WebhookDeliveryRecord } from './webhook-deliveries.repository.js';
import { DeliveryStatus } from './webhook-event-type.js';
import type { WebhookRecord } from './webhooks.repository.js';
import type {
  CreatedWebhookResponseDto,
  WebhookDeliveryResponseDto,
  WebhookResponseDto,
} from './dto/webhook.response.dto.js';

export function toWebhookResponse(webhook: WebhookRecord): WebhookResponseDto {
  return {
    _id: webhook._id.toHexString(),
    url: webhook.url,
    events: webhook.events,
    ...(webhook.description !== undefined && { description: webhook.description }),
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

/** The only place the secret is serialized: the answer to the request that created it. */
export function toCreatedWebhookResponse(webhook: WebhookRecord): CreatedWebhookResponseDto {
  return { ...toWebhookResponse(webhook), secret: webhook.secret };
}

export function toDeliveryResponse(delivery: WebhookDeliveryRecord): WebhookDeliveryResponseDto {
  return {
    _id: delivery._id.toHexString(),
    event: delivery.eventType,
    messageId: delivery.messageId,
    status: delivery.status,
    attempts: delivery.attempts,
    ...(delivery.lastStatusCode !== undefined && { lastStatusCode: delivery.lastStatusCode }),
    ...(delivery.lastError !== undefined && { lastError: delivery.lastError }),
    ...(delivery.status === DeliveryStatus.Pending && {
      nextAttemptAt: delivery.nextAttemptAt.toISOString(),
    }),
    ...(delivery.lastAttemptAt && { lastAttemptAt: delivery.lastAttemptAt.toISOString() }),
    ...(delivery.deliveredAt && { deliveredAt: delivery.deliveredAt.toISOString() }),
    createdAt: delivery.createdAt.toISOString(),
  };
}
