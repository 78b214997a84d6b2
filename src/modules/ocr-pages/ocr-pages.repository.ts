import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  Types,
  type Model,
  type PipelineStage,
  type QueryFilter,
  type UpdateQuery,
} from 'mongoose';
import { AppError } from '../../common/http/app-error.js';
import type { BoundedListQuery } from '../../common/query/list-query.builder.js';
import type { PageWrite } from './ocr-page.changes.js';
import { PageStatus } from './ocr-page.enums.js';
import { OcrPage } from './schemas/ocr-page.schema.js';

/** A page as stored: a plain object (lean read), with its ObjectId and revision. */
export type OcrPageRecord = OcrPage & { _id: Types.ObjectId };

/** The fields a new page is stored with; everything else takes its schema default. */
export type NewOcrPage = Pick<OcrPage, 'pageNumber' | 'pageUrl'> &
  Partial<
    Pick<OcrPage, 'pageType' | 'imageProperties' | 'annotations' | 'metadata' | 'queuedAt'>
  > & {
    /** 24-hex job id; stored as an ObjectId. */
    job: string;
  };

export type OcrPageChange = UpdateQuery<OcrPage>;

/** A list query built by the query module from the page QuerySpec. */
export type OcrPageListQuery = BoundedListQuery;

/** A lease as another worker sees it: whose it is and how often it has been renewed. */
export interface HeldLease {
  id: string;
  owner: string;
  beat: number;
  /** The holder's lease period. */
  leaseMs: number;
}

/** What a run writes; cleared when a new run claims the page (`status` and timings excepted). */
const RUN_OUTPUT = {
  preprocessing: 1,
  ocrResults: 1,
  extractedFields: 1,
  tableData: 1,
  processingTime: 1,
  completedAt: 1,
  qualityScore: 1,
  extractionChecks: 1,
} as const;

/**
 * A new lease. `leaseExpiresAt` is on the claiming worker's clock and only informative: no
 * worker compares it with its own clock (see `leaseBeat`).
 */
function leaseFields(owner: string, leaseMs: number, now: Date) {
  return {
    status: PageStatus.Processing,
    leaseOwner: owner,
    leaseExpiresAt: new Date(now.getTime() + leaseMs),
    leaseBeat: 0,
    leaseMs,
    startedAt: now,
  };
}

/** MongoDB's duplicate-key error code. */
const DUPLICATE_KEY = 11000;
const DUPLICATE_PAGE_MESSAGE = 'A page with this job and pageNumber already exists';

function isDuplicateKeyError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * The only class that touches the pages collection. Reads are lean; every write bumps
 * `revision` (the ETag) and conditional writes name the revision they expect, so a
 * compare-and-set is one atomic MongoDB operation on every engine.
 */
@Injectable()
export class OcrPagesRepository implements OnModuleInit {
  constructor(@InjectModel(OcrPage.name) private readonly model: Model<OcrPage>) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  async create(page: NewOcrPage): Promise<OcrPageRecord> {
    try {
      const created = await this.model.create(page);
      return created.toObject<OcrPageRecord>();
    } catch (error) {
      throw isDuplicateKeyError(error) ? AppError.conflict(DUPLICATE_PAGE_MESSAGE) : error;
    }
  }

  findById(id: string): Promise<OcrPageRecord | null> {
    return this.model.findById(id).lean<OcrPageRecord>().exec();
  }

  /**
   * One window of pages and the size of the whole filtered set, queried concurrently, both with
   * the server-side time limit. The window is an aggregation ($match, $sort, $skip, $limit, then
   * $project) so that field selection happens in the database on every engine (jongodb ignores a
   * find's projection); MongoDB runs it on the same indexes as the equivalent find. Results are
   * plain objects (no document hydration). The filter was built from the query spec's allow-list.
   */
  async list(query: OcrPageListQuery): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    const filter = query.filter as QueryFilter<OcrPage>;
    const pipeline: PipelineStage[] = [
      { $match: filter },
      { $sort: query.sort },
      { $skip: query.skip },
      { $limit: query.limit },
      ...(query.projection ? [{ $project: query.projection }] : []),
    ];
    const [items, total] = await Promise.all([
      this.model
        .aggregate<Partial<OcrPageRecord>>(pipeline)
        .option({ maxTimeMS: query.maxTimeMS })
        .exec(),
      this.model.countDocuments(filter).maxTimeMS(query.maxTimeMS).exec(),
    ]);
    return { items, total };
  }

  /**
   * How many pages are in each status (for metrics): one count per status, concurrently, each on
   * the `status` index and with the server-side time limit.
   */
  async countByStatus(maxTimeMS: number): Promise<Record<PageStatus, number>> {
    const statuses = Object.values(PageStatus);
    const counts = await Promise.all(
      statuses.map((status) => this.model.countDocuments({ status }).maxTimeMS(maxTimeMS).exec()),
    );
    return Object.fromEntries(statuses.map((status, i) => [status, counts[i]])) as Record<
      PageStatus,
      number
    >;
  }

  /**
   * Applies a write in one atomic update per form: where the stored `pageUrl` differs from the
   * one sent, the new-image form (which clears processing output), else the same-image form.
   * `revisions` (from If-Match) restricts it to those revisions. Null when no page matched:
   * missing, at another revision, or its URL changed between the two forms.
   */
  async applyWrite(
    id: string,
    revisions: number[] | undefined,
    write: PageWrite,
  ): Promise<OcrPageRecord | null> {
    const page: QueryFilter<OcrPage> = {
      _id: id,
      ...(revisions && { revision: { $in: revisions } }),
    };
    if (write.newImage) {
      const updated = await this.updateOne(
        { ...page, pageUrl: { $ne: write.newImage.pageUrl } },
        write.newImage.change,
      );
      if (updated) {
        return updated;
      }
      return this.updateOne({ ...page, pageUrl: write.newImage.pageUrl }, write.sameImage);
    }
    return this.updateOne(page, write.sameImage);
  }

  /** Updates one page matching `filter` (the first by `sort`), bumping its revision; the page after, or null. */
  private async updateOne(
    filter: QueryFilter<OcrPage>,
    change: OcrPageChange,
    sort?: Record<string, 1 | -1>,
  ): Promise<OcrPageRecord | null> {
    try {
      return await this.model
        .findOneAndUpdate(
          filter,
          { ...change, $inc: { ...(change.$inc ?? {}), revision: 1 } },
          { returnDocument: 'after', runValidators: true, ...(sort && { sort }) },
        )
        .lean<OcrPageRecord>()
        .exec();
    } catch (error) {
      throw isDuplicateKeyError(error) ? AppError.conflict(DUPLICATE_PAGE_MESSAGE) : error;
    }
  }

  /** Deletes the page only if it is still at `revision`; false when it is not. */
  async deleteAtRevision(id: string, revision: number): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ _id: id, revision }).exec();
    return deletedCount === 1;
  }

  /**
   * Puts the page back in the queue (POST /process) unless a worker holds it. Null when no page
   * matched: missing, or processing.
   */
  requeue(id: string, now: Date): Promise<OcrPageRecord | null> {
    return this.updateOne(
      { _id: id, status: { $ne: PageStatus.Processing } },
      {
        $set: { status: PageStatus.Pending, queuedAt: now, retryCount: 0 },
        $unset: {
          errorLog: 1,
          nextAttemptAt: 1,
          leaseOwner: 1,
          leaseExpiresAt: 1,
          leaseBeat: 1,
          leaseMs: 1,
        },
      },
    );
  }

  /**
   * Claims the oldest queued page that is due for `owner`, with one atomic conditional update.
   * The claim clears the output of any earlier run: a page's output always belongs to its
   * current run. Null when there is nothing to do.
   */
  claimNext(owner: string, leaseMs: number, now: Date): Promise<OcrPageRecord | null> {
    return this.updateOne(
      {
        status: PageStatus.Pending,
        queuedAt: { $exists: true },
        $or: [{ nextAttemptAt: { $exists: false } }, { nextAttemptAt: { $lte: now } }],
      },
      { $set: leaseFields(owner, leaseMs, now), $unset: { ...RUN_OUTPUT, nextAttemptAt: 1 } },
      { queuedAt: 1 },
    );
  }

  /** The leases held right now (for spotting abandoned ones): page id, owner and beat. */
  async heldLeases(limit: number, defaultLeaseMs: number): Promise<HeldLease[]> {
    const pages = await this.model
      .find(
        { status: PageStatus.Processing, leaseOwner: { $exists: true } },
        { leaseOwner: 1, leaseBeat: 1, leaseMs: 1 },
      )
      .sort({ _id: 1 })
      .limit(limit)
      .lean<
        Array<Pick<OcrPage, 'leaseOwner' | 'leaseBeat' | 'leaseMs'> & { _id: Types.ObjectId }>
      >()
      .exec();
    return pages.map((page) => ({
      id: String(page._id),
      owner: page.leaseOwner ?? '',
      beat: page.leaseBeat ?? 0,
      leaseMs: page.leaseMs ?? defaultLeaseMs,
    }));
  }

  /**
   * Takes over a lease its worker abandoned (it stopped renewing), counted as a failed attempt:
   * only if the page is still under exactly that lease (`stale.owner`, `stale.beat`).
   */
  takeOverLease(
    stale: HeldLease,
    owner: string,
    leaseMs: number,
    now: Date,
  ): Promise<OcrPageRecord | null> {
    return this.updateOne(
      {
        _id: stale.id,
        status: PageStatus.Processing,
        leaseOwner: stale.owner,
        ...(stale.beat === 0 ? { leaseBeat: { $in: [0, null] } } : { leaseBeat: stale.beat }),
      },
      {
        $set: {
          ...leaseFields(owner, leaseMs, now),
          errorLog: 'The worker processing this page stopped before it finished',
        },
        $unset: RUN_OUTPUT,
        $inc: { retryCount: 1 },
      },
    );
  }

  /** Extends `owner`'s lease (one more beat); false when the page is no longer its to process. */
  async renewLease(id: string, owner: string, leaseMs: number, now: Date): Promise<boolean> {
    const { modifiedCount } = await this.model
      .updateOne(
        { _id: id, status: PageStatus.Processing, leaseOwner: owner },
        { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) }, $inc: { leaseBeat: 1 } },
        // Internal bookkeeping: the page as clients see it (updatedAt, ETag) does not change.
        { timestamps: false },
      )
      .exec();
    return modifiedCount === 1;
  }

  /**
   * Ends `owner`'s claim with `change` (results, a retry or a failure), if it still holds it:
   * a page given a new image or deleted meanwhile is left alone. False when it did not.
   */
  async finishClaim(id: string, owner: string, change: OcrPageChange): Promise<boolean> {
    const updated = await this.updateOne(
      { _id: id, status: PageStatus.Processing, leaseOwner: owner },
      {
        ...change,
        $unset: {
          ...(change.$unset ?? {}),
          leaseOwner: 1,
          leaseExpiresAt: 1,
          leaseBeat: 1,
          leaseMs: 1,
        },
      },
    );
    return updated !== null;
  }
}
