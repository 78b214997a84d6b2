import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import { JobStatus } from '../ocr-invoice-job.enums.js';

/** How many of the job's pages are in each status (rolled up from the pages). */
@Schema({ _id: false })
export class PageCounts {
  @Prop({ required: true, default: 0 }) pending!: number;
  @Prop({ required: true, default: 0 }) processing!: number;
  @Prop({ required: true, default: 0 }) completed!: number;
  @Prop({ required: true, default: 0 }) failed!: number;
}
const PageCountsSchema = SchemaFactory.createForClass(PageCounts);

/** The MongoDB collection of jobs. */
export const OCR_INVOICE_JOBS_COLLECTION = 'ocr_invoice_jobs';

/** An OCR invoice job: one document (or a list of page URLs) whose pages make one invoice. */
@Schema({
  collection: OCR_INVOICE_JOBS_COLLECTION,
  timestamps: true,
  versionKey: false,
  minimize: false,
})
export class OcrInvoiceJob {
  @Prop() name?: string;
  /** The document the worker splits into pages; absent for a job created from page URLs. */
  @Prop() documentUrl?: string;
  /** Number of pages; null until a document's pages are counted. */
  @Prop({ type: Number, default: null }) pageCount!: number | null;
  @Prop({ type: String, enum: JobStatus, required: true, default: JobStatus.Pending })
  status!: JobStatus;
  @Prop({ type: PageCountsSchema, required: true, default: () => ({}) }) pageCounts!: PageCounts;
  @Prop({ type: MongooseSchema.Types.Mixed }) metadata?: Record<string, unknown>;
  @Prop() errorLog?: string;
  @Prop() completedAt?: Date;
  /** Incremented by every write the client can see; the job's ETag. Internal. */
  @Prop({ required: true, default: 0 }) revision!: number;

  // Internal bookkeeping, never serialized.
  /**
   * Incremented after every change to the job's pages; a roll-up writes its counts only if no
   * change happened since it read this (see OcrInvoiceJobsRepository.rollUp).
   */
  @Prop({ required: true, default: 0 }) pageChanges!: number;
  /** Splitting the document into pages: who holds it, until when, and how many tries so far. */
  @Prop() leaseOwner?: string;
  @Prop() leaseExpiresAt?: Date;
  @Prop({ required: true, default: 0 }) expansionAttempts!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export const OcrInvoiceJobSchema = SchemaFactory.createForClass(OcrInvoiceJob);

// The list's default order and its common filter.
OcrInvoiceJobSchema.index({ createdAt: -1, _id: -1 });
OcrInvoiceJobSchema.index({ status: 1, createdAt: -1, _id: -1 });
// Workers look for documents to split: pending, not yet counted.
OcrInvoiceJobSchema.index({ pageCount: 1, status: 1, leaseExpiresAt: 1 });
