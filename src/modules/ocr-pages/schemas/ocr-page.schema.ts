import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import {
  AnnotationType,
  BlockType,
  ColorSpace,
  ImageFormat,
  PageStatus,
  PageType,
  ReviewStatus,
} from '../ocr-page.enums.js';
import type { PageEvent } from '../history/page-event.js';
import type { Corrections } from '../review/corrections.js';

/*
 * The stored shape of a page. Input is validated by the DTOs before it gets here; the schema
 * types the data and declares the indexes. Sub-documents carry no `_id` of their own.
 */

@Schema({ _id: false })
export class BoundingBox {
  @Prop({ required: true }) x!: number;
  @Prop({ required: true }) y!: number;
  @Prop({ required: true }) width!: number;
  @Prop({ required: true }) height!: number;
}
const BoundingBoxSchema = SchemaFactory.createForClass(BoundingBox);

@Schema({ _id: false })
export class ImageProperties {
  @Prop() width?: number;
  @Prop() height?: number;
  @Prop() dpi?: number;
  @Prop({ type: String, enum: ColorSpace }) colorSpace?: ColorSpace;
  @Prop({ type: String, enum: ImageFormat }) format?: ImageFormat;
  @Prop() size?: number;
}
const ImagePropertiesSchema = SchemaFactory.createForClass(ImageProperties);

@Schema({ _id: false })
export class Preprocessing {
  @Prop() enhanced?: boolean;
  @Prop() deskewed?: boolean;
  @Prop() denoised?: boolean;
  @Prop() binarized?: boolean;
  @Prop() rotationAngle?: number;
}
const PreprocessingSchema = SchemaFactory.createForClass(Preprocessing);

@Schema({ _id: false })
export class OcrWord {
  @Prop({ required: true }) text!: string;
  @Prop({ required: true }) confidence!: number;
  @Prop({ type: BoundingBoxSchema }) boundingBox?: BoundingBox;
}
const OcrWordSchema = SchemaFactory.createForClass(OcrWord);

@Schema({ _id: false })
export class OcrBlock {
  @Prop({ required: true }) text!: string;
  @Prop({ required: true }) confidence!: number;
  @Prop({ type: BoundingBoxSchema }) boundingBox?: BoundingBox;
  @Prop({ type: String, enum: BlockType }) blockType?: BlockType;
}
const OcrBlockSchema = SchemaFactory.createForClass(OcrBlock);

@Schema({ _id: false })
export class OcrResults {
  @Prop() text?: string;
  @Prop() confidence?: number;
  @Prop({ type: [OcrWordSchema], default: undefined }) words?: OcrWord[];
  @Prop({ type: [OcrBlockSchema], default: undefined }) blocks?: OcrBlock[];
  /** Set when words, blocks or text were cut to the stored limits (PAGE_MAX_*). */
  @Prop() truncated?: boolean;
  /** The detected language (ISO 639-1) the page was read in. */
  @Prop() language?: string;
}
const OcrResultsSchema = SchemaFactory.createForClass(OcrResults);

@Schema({ _id: false })
export class TableCell {
  @Prop({ required: true }) rowIndex!: number;
  @Prop({ required: true }) columnIndex!: number;
  @Prop({ required: true }) cellText!: string;
  @Prop() confidence?: number;
  @Prop({ type: BoundingBoxSchema }) boundingBox?: BoundingBox;
}
const TableCellSchema = SchemaFactory.createForClass(TableCell);

@Schema({ _id: false })
export class ExtractionCheck {
  @Prop({ required: true }) name!: string;
  @Prop({ required: true }) passed!: boolean;
  @Prop({ required: true }) detail!: string;
  @Prop({ type: [String], default: undefined }) fields?: string[];
}
const ExtractionCheckSchema = SchemaFactory.createForClass(ExtractionCheck);

@Schema({ _id: false })
export class Annotation {
  @Prop({ type: String, enum: AnnotationType, required: true }) type!: AnnotationType;
  @Prop() text?: string;
  @Prop({ type: BoundingBoxSchema }) coordinates?: BoundingBox;
  @Prop() createdBy?: string;
  @Prop({ required: true }) createdAt!: Date;
}
const AnnotationSchema = SchemaFactory.createForClass(Annotation);

@Schema({ _id: false })
export class Review {
  @Prop({ type: String, enum: ReviewStatus, required: true }) status!: ReviewStatus;
  /** Why a review is needed: `lowConfidence:<field>`, `failedCheck:<check>`, `lowQuality`, … */
  @Prop({ type: [String], default: [] }) reasons!: string[];
  @Prop() reviewedAt?: Date;
  @Prop() reviewedBy?: string;
}
const ReviewSchema = SchemaFactory.createForClass(Review);

/** An embedded e-invoice as stored on a page: where it came from and its line items. */
export interface StoredEInvoice {
  fileName: string;
  syntax: 'cii' | 'ubl';
  lineItems: Array<{
    description?: string;
    quantity?: number;
    unitPrice?: number;
    amount?: number;
  }>;
}

/** The MongoDB collection of pages. */
export const OCR_PAGES_COLLECTION = 'ocr_invoice_job_pages';

@Schema({
  collection: OCR_PAGES_COLLECTION,
  timestamps: true,
  // Versions are kept in `revision`, which every write increments; it backs the ETag.
  versionKey: false,
  // Free-form sub-objects (metadata, extractedFields) are stored as given, empty ones included.
  minimize: false,
})
export class OcrPage {
  @Prop({ type: MongooseSchema.Types.ObjectId, required: true }) job!: Types.ObjectId;
  @Prop({ required: true }) pageNumber!: number;
  @Prop({ required: true }) pageUrl!: string;
  @Prop({ type: String, enum: PageStatus, required: true, default: PageStatus.Pending })
  status!: PageStatus;
  @Prop({ type: String, enum: PageType, required: true, default: PageType.Content })
  pageType!: PageType;
  @Prop({ type: ImagePropertiesSchema }) imageProperties?: ImageProperties;
  @Prop({ type: PreprocessingSchema }) preprocessing?: Preprocessing;
  @Prop({ type: OcrResultsSchema }) ocrResults?: OcrResults;
  @Prop({ type: MongooseSchema.Types.Mixed }) extractedFields?: Record<string, unknown>;
  @Prop({ type: [TableCellSchema], default: undefined }) tableData?: TableCell[];
  @Prop() processingTime?: number;
  @Prop() startedAt?: Date;
  @Prop() completedAt?: Date;
  @Prop() errorLog?: string;
  @Prop({ required: true, default: 0 }) retryCount!: number;
  @Prop() qualityScore?: number;
  /** Consistency checks of the extracted figures (sums, dates). */
  @Prop({ type: [ExtractionCheckSchema], default: undefined }) extractionChecks?: ExtractionCheck[];
  /**
   * The e-invoice embedded in the page's PDF (`{fileName, syntax, lineItems}`), stored on the
   * page that reads the document's first page. Written by processing only.
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) eInvoice?: StoredEInvoice;
  @Prop({ type: [AnnotationSchema], default: undefined }) annotations?: Annotation[];
  @Prop({ type: MongooseSchema.Types.Mixed }) metadata?: Record<string, unknown>;
  /** Set when processing completes: whether a person should look at the page, and their decision. */
  @Prop({ type: ReviewSchema }) review?: Review;

  // Review and history state. Internal: never serialized, filtered or selected.
  /**
   * People's values for extracted fields, by field name. Kept apart from the run's output (which
   * a new run replaces) and laid over it, so corrections survive reprocessing.
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) corrections?: Corrections;
  /** Counts changes to `corrections`: a run stores its fields only over the ones it read. */
  @Prop() correctionsVersion?: number;
  /**
   * History events (and the webhook events they carry) by event id, written by the same update
   * as their change, waiting for the history relay to copy them out (see PageHistoryRelay).
   */
  @Prop({ type: MongooseSchema.Types.Mixed }) outbox?: Record<string, PageEvent>;
  /** How many events `outbox` holds: the relay looks for pages where it is above 0. */
  @Prop() outboxCount?: number;
  /** A deleted page waiting for its last events to be relayed; reads treat it as gone. */
  @Prop() deletedAt?: Date;

  /** Incremented by every write; the page's ETag. Internal, never serialized. */
  @Prop({ required: true, default: 0 }) revision!: number;

  // Processing queue state. Internal: never serialized, filtered or selected.
  /** When the page was queued for processing; a pending page without it waits for /process. */
  @Prop() queuedAt?: Date;
  /** Not to be claimed before this time (backoff after a transient failure). */
  @Prop() nextAttemptAt?: Date;
  /** The worker processing the page, and until when its claim holds unless renewed. */
  @Prop() leaseOwner?: string;
  @Prop() leaseExpiresAt?: Date;
  /**
   * Counts the lease's renewals. Other workers judge a lease abandoned when this has not moved for
   * a whole lease period on their own clock, so clocks that disagree never matter.
   */
  @Prop() leaseBeat?: number;
  /** The lease period of the worker holding it (it renews every third of it). */
  @Prop() leaseMs?: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export const OcrPageSchema = SchemaFactory.createForClass(OcrPage);

// One page per (job, pageNumber): a second one is a 409.
OcrPageSchema.index({ job: 1, pageNumber: 1 }, { unique: true });
// The list's common filters in the default order (createdAt desc, _id as tie-breaker):
// everything, by status, by job and status (by job alone uses the unique index above).
OcrPageSchema.index({ createdAt: -1, _id: -1 });
OcrPageSchema.index({ status: 1, createdAt: -1, _id: -1 });
OcrPageSchema.index({ job: 1, status: 1, createdAt: -1, _id: -1 });
// Pages by review status (the list filter `review.status`), in the default order.
OcrPageSchema.index({ 'review.status': 1, createdAt: -1, _id: -1 });
// The history relay finds the pages with events to relay.
OcrPageSchema.index({ outboxCount: 1 }, { sparse: true });
// Workers claim the oldest queued page, and pages whose worker's lease ran out.
OcrPageSchema.index({ status: 1, queuedAt: 1 });
OcrPageSchema.index({ status: 1, leaseExpiresAt: 1 });
