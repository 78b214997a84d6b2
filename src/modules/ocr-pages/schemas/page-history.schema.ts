import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { PageEventType } from '../ocr-page.enums.js';

/** The MongoDB collection of page history events. */
export const PAGE_HISTORY_COLLECTION = 'page_history';

/**
 * One event of a page's history, as relayed from the page's outbox. `_id` is the page id and the
 * event id, so relaying an event again overwrites it with itself. Append-only: nothing changes an
 * event but `expiresAt`, set on every event of a page when the page is deleted.
 */
@Schema({ collection: PAGE_HISTORY_COLLECTION, versionKey: false, minimize: false })
export class PageHistoryEvent {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) page!: Types.ObjectId;
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) actor!: string;
  @Prop({ type: String, enum: PageEventType, required: true }) type!: PageEventType;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) changes!: Array<{
    path: string;
    before: unknown;
    after: unknown;
  }>;
  @Prop() comment?: string;
  /** When the history of a deleted page is dropped (HISTORY_RETENTION_DAYS after deletion). */
  @Prop() expiresAt?: Date;
}

export const PageHistoryEventSchema = SchemaFactory.createForClass(PageHistoryEvent);

// A page's history, newest first.
PageHistoryEventSchema.index({ page: 1, at: -1, _id: -1 });
// MongoDB removes a deleted page's events once `expiresAt` has passed (reads also skip them).
PageHistoryEventSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
