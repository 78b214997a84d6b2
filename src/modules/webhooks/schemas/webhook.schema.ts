import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { WebhookEventType } from '../webhook-event-type.js';

/** A subscription: where to send which events, and the secret they are signed with. */
@Schema({ collection: 'webhooks', timestamps: true, versionKey: false })
export class Webhook {
  @Prop({ required: true }) url!: string;
  @Prop({ type: [String], enum: WebhookEventType, required: true }) events!: WebhookEventType[];
  @Prop() description?: string;
  /**
   * `whsec_<base64>` (Standard Webhooks). Kept to sign every delivery; shown once, when the
   * webhook is created, and never serialized again.
   */
  @Prop({ required: true }) secret!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export const WebhookSchema = SchemaFactory.createForClass(Webhook);

// The list's order (newest first, _id as tie-breaker), and who subscribes to an event.
WebhookSchema.index({ createdAt: -1, _id: -1 });
WebhookSchema.index({ events: 1 });
