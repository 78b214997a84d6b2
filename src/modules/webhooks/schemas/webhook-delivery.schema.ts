import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';
import { DeliveryStatus, WebhookEventType } from '../webhook-event-type.js';

/**
 * One event on its way to one webhook: the exact body every attempt sends, and the state of the
 * attempts. Deliveries are claimed with a lease, like pages, so that one process sends each
 * attempt and a crashed sender's delivery is taken up again.
 */
@Schema({ collection: 'webhook_deliveries', timestamps: true, versionKey: false })
export class WebhookDelivery {
  @Prop({ type: Types.ObjectId, required: true }) webhook!: Types.ObjectId;
  /** The `webhook-id` header: the same on every attempt, so receivers can drop duplicates. */
  @Prop({ required: true }) messageId!: string;
  @Prop({ type: String, enum: WebhookEventType, required: true }) eventType!: WebhookEventType;
  /** The JSON body, serialized once so that every attempt signs and sends the same bytes. */
  @Prop({ required: true }) payload!: string;
  @Prop({ type: String, enum: DeliveryStatus, required: true, default: DeliveryStatus.Pending })
  status!: DeliveryStatus;
  /** Attempts made (a claimed attempt counts even if its sender died). */
  @Prop({ required: true, default: 0 }) attempts!: number;
  /** Not to be sent before this time. */
  @Prop({ required: true }) nextAttemptAt!: Date;
  @Prop() lastAttemptAt?: Date;
  /** The receiver's HTTP status on the last attempt, when it answered. */
  @Prop() lastStatusCode?: number;
  /** Why the last attempt failed (a generic reason: never the receiver's body). */
  @Prop() lastError?: string;
  @Prop() deliveredAt?: Date;
  // Internal: the sender holding the current attempt, and until when.
  @Prop() leaseOwner?: string;
  @Prop() leaseExpiresAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const WebhookDeliverySchema = SchemaFactory.createForClass(WebhookDelivery);

// Senders claim the oldest due delivery, and deliveries whose sender's lease ran out.
WebhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
// One delivery per message id: an event relayed twice is queued once.
WebhookDeliverySchema.index({ messageId: 1 }, { unique: true });
// A webhook's deliveries, newest first.
WebhookDeliverySchema.index({ webhook: 1, createdAt: -1, _id: -1 });
