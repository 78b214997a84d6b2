import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model, type QueryFilter } from 'mongoose';
import { PageHistoryEvent } from '../schemas/page-history.schema.js';
import type { PageEvent } from './page-event.js';

export type PageHistoryRecord = PageHistoryEvent;

/** The only class that touches the history collection. */
@Injectable()
export class PageHistoryRepository implements OnModuleInit {
  constructor(
    @InjectModel(PageHistoryEvent.name) private readonly model: Model<PageHistoryEvent>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  /** Stores a page's events; an event stored before (same id) is written again unchanged. */
  async store(pageId: string, events: readonly PageEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await this.model.bulkWrite(
      events.map((event) => ({
        replaceOne: {
          filter: { _id: `${pageId}:${event.id}` },
          replacement: {
            _id: `${pageId}:${event.id}`,
            page: new Types.ObjectId(pageId),
            at: event.at,
            actor: event.actor,
            type: event.type,
            changes: event.changes,
            ...(event.comment !== undefined && { comment: event.comment }),
          },
          upsert: true,
        },
      })),
      { ordered: true },
    );
  }

  /** Marks a deleted page's events to be dropped at `expiresAt`. */
  async expire(pageId: string, expiresAt: Date): Promise<void> {
    await this.model
      .updateMany({ page: new Types.ObjectId(pageId) }, { $set: { expiresAt } })
      .exec();
  }

  /** One window of a page's events, newest first, and how many there are (expired ones aside). */
  async list(
    pageId: string,
    now: Date,
    skip: number,
    limit: number,
  ): Promise<{ items: PageHistoryRecord[]; total: number }> {
    const filter: QueryFilter<PageHistoryEvent> = {
      page: new Types.ObjectId(pageId),
      $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }],
    };
    const [items, total] = await Promise.all([
      this.model
        .find(filter)
        .sort({ at: -1, _id: -1 })
        .skip(skip)
        .limit(limit)
        .lean<PageHistoryRecord[]>()
        .exec(),
      this.model.countDocuments(filter).exec(),
    ]);
    return { items, total };
  }
}
