import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model, type UpdateQuery } from 'mongoose';
import { isDuplicateKeyError } from '../../common/database/duplicate-key.js';
import { DeliveryStatus, type WebhookEventType } from './webhook-event-type.js';
import { WebhookDelivery } from './schemas/webhook-delivery.schema.js';

/** A delivery as stored (lean read). */
export type WebhookDeliveryRecord = WebhookDelivery & { _id: Types.ObjectId };

export interface NewDelivery {
  webhook: Types.ObjectId;
  messageId: string;
  eventType: WebhookEventType;
  payload: string;
  nextAttemptAt: Date;
}

/** How an attempt ended, as the sender records it. */
export type AttemptResult =
  | { outcome: 'delivered'; statusCode: number; at: Date }
  | { outcome: 'retry'; statusCode?: number; error: string; nextAttemptAt: Date }
  | { outcome: 'failed'; statusCode?: number; error: string };

/**
 * The only class that touches the deliveries collection. Claims are one atomic conditional
 * update each, so two senders (in one process or several) never make the same attempt.
 */
@Injectable()
export class WebhookDeliveriesRepository implements OnModuleInit {
  constructor(@InjectModel(WebhookDelivery.name) private readonly model: Model<WebhookDelivery>) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  async enqueue(deliveries: NewDelivery[]): Promise<void> {
    if (deliveries.length > 0) {
      await this.model.insertMany(deliveries, { ordered: false });
    }
  }

  /**
   * Stores the deliveries whose message id is not stored yet: those already there (the same event
   * queued before) are refused by the unique index and left as they are.
   */
  async enqueueOnce(deliveries: NewDelivery[]): Promise<void> {
    try {
      await this.enqueue(deliveries);
    } catch (error) {
      if (!onlyDuplicateKeys(error)) {
        throw error;
      }
    }
  }

  /** A webhook's deliveries, newest first. */
  async listForWebhook(
    webhookId: string,
    skip: number,
    limit: number,
  ): Promise<{ items: WebhookDeliveryRecord[]; total: number }> {
    const filter = { webhook: new Types.ObjectId(webhookId) };
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip(skip)
        .limit(limit)
        .lean<WebhookDeliveryRecord[]>()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }

  /**
   * Claims the next attempt for `owner`: the oldest due pending delivery that no live lease
   * holds (a sender that died mid-attempt leaves one whose lease runs out). The attempt is
   * counted at the claim, so an attempt whose sender died still counts towards the limit.
   */
  claimNext(owner: string, leaseMs: number, now: Date): Promise<WebhookDeliveryRecord | null> {
    return this.model
      .findOneAndUpdate(
        {
          status: DeliveryStatus.Pending,
          nextAttemptAt: { $lte: now },
          $or: [{ leaseExpiresAt: { $exists: false } }, { leaseExpiresAt: { $lt: now } }],
        },
        {
          $set: {
            leaseOwner: owner,
            leaseExpiresAt: new Date(now.getTime() + leaseMs),
            lastAttemptAt: now,
          },
          $inc: { attempts: 1 },
        },
        { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
      )
      .lean<WebhookDeliveryRecord>()
      .exec();
  }

  /** Records how `owner`'s attempt ended, if it still holds the delivery. */
  async finishAttempt(id: Types.ObjectId, owner: string, result: AttemptResult): Promise<boolean> {
    const { modifiedCount } = await this.model
      .updateOne({ _id: id, leaseOwner: owner }, attemptChange(result))
      .exec();
    return modifiedCount === 1;
  }

  /** Drops a deleted webhook's deliveries, sent or not. */
  async deleteForWebhook(webhookId: Types.ObjectId): Promise<void> {
    await this.model.deleteMany({ webhook: webhookId }).exec();
  }
}

/** Whether a bulk insert failed only because some documents were there already. */
function onlyDuplicateKeys(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const errors = Array.isArray(writeErrors) ? writeErrors : [error];
  return errors.length > 0 && errors.every((item) => isDuplicateKeyError(item));
}

function attemptChange(result: AttemptResult): UpdateQuery<WebhookDelivery> {
  const release = { leaseOwner: 1, leaseExpiresAt: 1 } as const;
  switch (result.outcome) {
    case 'delivered':
      return {
        $set: {
          status: DeliveryStatus.Delivered,
          lastStatusCode: result.statusCode,
          deliveredAt: result.at,
        },
        $unset: { ...release, lastError: 1 },
      };
    case 'retry':
      return {
        $set: {
          nextAttemptAt: result.nextAttemptAt,
          lastError: result.error,
          ...(result.statusCode !== undefined && { lastStatusCode: result.statusCode }),
        },
        $unset: { ...release, ...(result.statusCode === undefined && { lastStatusCode: 1 }) },
      };
    case 'failed':
      return {
        $set: {
          status: DeliveryStatus.Failed,
          lastError: result.error,
          ...(result.statusCode !== undefined && { lastStatusCode: result.statusCode }),
        },
        $unset: { ...release, ...(result.statusCode === undefined && { lastStatusCode: 1 }) },
      };
  }
}
