import { Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookDispatchSignal } from './webhook-dispatch.signal.js';
import type { WebhookEventType } from './webhook-event-type.js';
import { generateMessageId, messageIdForEvent } from './webhook-signature.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** What an event says: ids and states, never invoice content. */
export type WebhookEventData = Record<string, string | number | boolean | null>;

/**
 * Where other modules announce events: each webhook subscribed to the event gets a delivery,
 * stored before this resolves, which the dispatcher then sends (and retries) on its own.
 */
@Injectable()
export class WebhookEventsService {
  private readonly logger = new Logger(WebhookEventsService.name);

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly signal: WebhookDispatchSignal,
  ) {}

  async publish(type: WebhookEventType, data: WebhookEventData, at = new Date()): Promise<void> {
    const subscribers = await this.webhooks.subscribedTo(type);
    if (subscribers.length === 0) {
      return;
    }
    const payload = JSON.stringify({ type, timestamp: at.toISOString(), data });
    await this.deliveries.enqueue(
      subscribers.map((webhook) => ({
        webhook: webhook._id,
        messageId: generateMessageId(),
        eventType: type,
        payload,
        nextAttemptAt: at,
      })),
    );
    this.signal.notify();
  }

  /**
   * Publishes an event that has its own stable id (a page event relayed from the page's outbox),
   * at most once per webhook however often it is called: the delivery's message id derives from
   * `eventId` and the webhook, and a delivery already stored for it is left as it is. A relay
   * that stopped after queuing some deliveries can so call it again safely.
   */
  async publishOnce(
    eventId: string,
    type: WebhookEventType,
    data: WebhookEventData,
    at: Date,
  ): Promise<void> {
    const subscribers = await this.webhooks.subscribedTo(type);
    if (subscribers.length === 0) {
      return;
    }
    const payload = JSON.stringify({ type, timestamp: at.toISOString(), data });
    await this.deliveries.enqueueOnce(
      subscribers.map((webhook) => ({
        webhook: webhook._id,
        messageId: messageIdForEvent(eventId, type, webhook._id.toHexString()),
        eventType: type,
        payload,
        nextAttemptAt: new Date(),
      })),
    );
    this.signal.notify();
  }

  /**
   * Publishes without letting a failure reach the caller: the work that caused the event is
   * already done, and its outcome does not depend on the webhook. The failure is logged.
   */
  async publishSafely(type: WebhookEventType, data: WebhookEventData): Promise<void> {
    try {
      await this.publish(type, data);
    } catch (error) {
      this.logger.error(
        `Could not queue ${type} deliveries: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
