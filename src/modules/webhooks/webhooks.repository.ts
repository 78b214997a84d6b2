import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import type { WebhookEventType } from './webhook-event-type.js';
import { Webhook } from './schemas/webhook.schema.js';

/** A webhook as stored (lean read). */
export type WebhookRecord = Webhook & { _id: Types.ObjectId };

export type NewWebhook = Pick<Webhook, 'url' | 'events' | 'secret' | 'description'>;

/** The only class that touches the webhooks collection. */
@Injectable()
export class WebhooksRepository implements OnModuleInit {
  constructor(@InjectModel(Webhook.name) private readonly model: Model<Webhook>) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  async create(webhook: NewWebhook): Promise<WebhookRecord> {
    const created = await this.model.create(webhook);
    return created.toObject<WebhookRecord>();
  }

  findById(id: string): Promise<WebhookRecord | null> {
    return this.model.findById(id).lean<WebhookRecord>().exec();
  }

  /** Newest first, `_id` breaking ties so that paging never skips or repeats one. */
  async list(skip: number, limit: number): Promise<{ items: WebhookRecord[]; total: number }> {
    const [items, total] = await Promise.all([
      this.model
        .find()
        .sort({ createdAt: -1, _id: -1 })
        .skip(skip)
        .limit(limit)
        .lean<WebhookRecord[]>()
        .exec(),
      this.model.countDocuments().exec(),
    ]);
    return { items, total };
  }

  /** Every webhook subscribed to `event`. */
  subscribedTo(event: WebhookEventType): Promise<WebhookRecord[]> {
    return this.model.find({ events: event }).lean<WebhookRecord[]>().exec();
  }

  /** Deletes the webhook; the deleted one, or null when there was none. */
  async delete(id: string): Promise<WebhookRecord | null> {
    const webhook = await this.findById(id);
    if (!webhook) {
      return null;
    }
    const { deletedCount } = await this.model.deleteOne({ _id: webhook._id }).exec();
    return deletedCount === 1 ? webhook : null;
  }
}
