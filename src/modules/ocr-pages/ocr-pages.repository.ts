import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model, type QueryFilter, type UpdateQuery } from 'mongoose';
import { conflictOnDuplicateKey } from '../../common/database/duplicate-key.js';
import type { BoundedListQuery } from '../../common/query/list-query.builder.js';
import { runListQuery } from '../../common/query/run-list-query.js';
import type { PageEvent } from './history/page-event.js';
import type { NewOcrPage, PageFieldChange } from './ocr-page.changes.js';
import { PageStatus } from './ocr-page.enums.js';
import { OcrPage } from './schemas/ocr-page.schema.js';

/**
 * Pages that exist for clients. A deleted page stays (marked `deletedAt`) only until the history
 * relay has copied its last events out; every read and write here passes it by.
 */
const LIVE = { deletedAt: { $exists: false } } as const;

/**
 * The update that adds `events` to a page's outbox, in the same update as their change. The
 * outbox is an object keyed by event id, so adding and removing an event are a `$set` and an
 * `$unset` of its key (operators every engine has), and `outboxCount` says how many are there.
 */
function pushEvents(events: readonly PageEvent[]): UpdateQuery<OcrPage> {
  return events.length === 0
    ? {}
    : {
        $set: Object.fromEntries(events.map((event) => [`outbox.${event.id}`, event])),
        $inc: { outboxCount: events.length },
      };
}

/** A new page's outbox: its `created` event. */
function outboxOf(event: PageEvent): Pick<OcrPage, 'outbox' | 'outboxCount'> {
  return { outbox: { [event.id]: event }, outboxCount: 1 };
}

/** Two update documents merged (their `$set`s and `$unset`s together). */
function merged(a: UpdateQuery<OcrPage>, b: UpdateQuery<OcrPage>): UpdateQuery<OcrPage> {
  const result: UpdateQuery<OcrPage> = { ...a, ...b };
  if (a.$set && b.$set) {
    result.$set = { ...a.$set, ...b.$set };
  }
  if (a.$unset && b.$unset) {
    result.$unset = { ...(a.$unset as object), ...(b.$unset as object) };
  }
  if (a.$inc && b.$inc) {
    result.$inc = { ...a.$inc, ...b.$inc };
  }
  return result;
}

/** A page as stored: a plain object (lean read), with its ObjectId and revision. */
export type OcrPageRecord = OcrPage & { _id: Types.ObjectId };

/** A lease as another worker sees it: whose it is and how often it has been renewed. */
export interface HeldLease {
  id: string;
  owner: string;
  beat: number;
  /** The holder's lease period. */
  leaseMs: number;
}

/** What the assembly of a job's invoice reads of each page. */
type InvoicePageField =
  '_id' | 'pageNumber' | 'status' | 'extractedFields' | 'tableData' | 'eInvoice';

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
  review: 1,
  eInvoice: 1,
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
const DUPLICATE_PAGE_MESSAGE = 'A page with this job and pageNumber already exists';

/** The MongoDB update document for a change: its fields set and cleared. */
function toUpdate({ set, unset }: PageFieldChange): UpdateQuery<OcrPage> {
  return {
    ...(Object.keys(set).length > 0 && { $set: set }),
    ...(unset.length > 0 && { $unset: Object.fromEntries(unset.map((field) => [field, 1])) }),
  };
}

/**
 * The only class that touches the pages collection, and the only one that builds MongoDB update
 * documents for it. Reads are lean; every write bumps `revision` (the ETag) and conditional
 * writes name the revision they expect, so a compare-and-set is one atomic MongoDB operation on
 * every engine.
 */
@Injectable()
export class OcrPagesRepository implements OnModuleInit {
  constructor(@InjectModel(OcrPage.name) private readonly model: Model<OcrPage>) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  /** Stores a new page with its `created` event. */
  async create(page: NewOcrPage, event: PageEvent): Promise<OcrPageRecord> {
    const created = await conflictOnDuplicateKey(
      () => this.model.create({ ...page, ...outboxOf(event) }),
      DUPLICATE_PAGE_MESSAGE,
    );
    return created.toObject<OcrPageRecord>();
  }

  findById(id: string): Promise<OcrPageRecord | null> {
    return this.model
      .findOne({ _id: id, ...LIVE })
      .lean<OcrPageRecord>()
      .exec();
  }

  /**
   * Creates a job's pages with one insert. Without a transaction a failure can leave some of
   * them stored: the caller, which knows whose pages they are, removes them (deleteByJob).
   */
  async createMany(pages: Array<{ page: NewOcrPage; event: PageEvent }>): Promise<void> {
    await conflictOnDuplicateKey(
      () =>
        this.model.insertMany(
          pages.map(({ page, event }) => ({ ...page, ...outboxOf(event) })),
          { ordered: true },
        ),
      DUPLICATE_PAGE_MESSAGE,
    );
  }

  /** One window of pages and the size of the filtered set (see runListQuery). */
  list(query: BoundedListQuery): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    return runListQuery<OcrPage, OcrPageRecord>(this.model, query, { ...LIVE });
  }

  /** The same, within one job's pages. */
  listOfJob(
    job: string,
    query: BoundedListQuery,
  ): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    return runListQuery<OcrPage, OcrPageRecord>(this.model, query, {
      job: new Types.ObjectId(job),
      ...LIVE,
    });
  }

  /** A job's pages with what an assembled invoice needs, in page order. */
  findForInvoice(
    job: string,
    maxTimeMS: number,
  ): Promise<Array<Pick<OcrPageRecord, InvoicePageField>>> {
    return this.model
      .find(
        { job: new Types.ObjectId(job), ...LIVE },
        { pageNumber: 1, status: 1, extractedFields: 1, tableData: 1, eInvoice: 1 },
      )
      .sort({ pageNumber: 1 })
      .maxTimeMS(maxTimeMS)
      .lean<Array<Pick<OcrPageRecord, InvoicePageField>>>()
      .exec();
  }

  /** How many of a job's pages are in each status: one aggregation over the job's pages. */
  async countByStatusOfJob(job: string): Promise<Record<PageStatus, number>> {
    const groups = await this.model
      .aggregate<{ _id: PageStatus; count: number }>([
        { $match: { job: new Types.ObjectId(job), ...LIVE } },
        { $group: { _id: '$status', count: { $sum: 1 } } },
      ])
      .exec();
    const counts = Object.fromEntries(Object.values(PageStatus).map((status) => [status, 0]));
    for (const group of groups) {
      counts[group._id] = group.count;
    }
    return counts as Record<PageStatus, number>;
  }

  /**
   * Deletes every page of a job, each with `event` (one update per page, the event and the mark
   * together); the history relay then removes them. How many there were.
   */
  async softDeleteByJob(job: string, event: PageEvent, now: Date): Promise<number> {
    const { modifiedCount } = await this.model
      .updateMany(
        { job: new Types.ObjectId(job), ...LIVE },
        merged({ $set: { deletedAt: now } }, pushEvents([event])),
      )
      .exec();
    return modifiedCount;
  }

  /**
   * How many pages are in each status (for metrics): one count per status, concurrently, each on
   * the `status` index and with the server-side time limit.
   */
  async countByStatus(maxTimeMS: number): Promise<Record<PageStatus, number>> {
    const statuses = Object.values(PageStatus);
    const counts = await Promise.all(
      statuses.map((status) =>
        this.model
          .countDocuments({ status, ...LIVE })
          .maxTimeMS(maxTimeMS)
          .exec(),
      ),
    );
    return Object.fromEntries(statuses.map((status, i) => [status, counts[i]])) as Record<
      PageStatus,
      number
    >;
  }

  /**
   * Applies `change` and appends `events` in one atomic update, only to the page at `revision`
   * (the one the change was computed from). Null when no page matched: missing, or changed since.
   */
  applyChange(
    id: string,
    revision: number,
    change: PageFieldChange,
    events: readonly PageEvent[],
  ): Promise<OcrPageRecord | null> {
    return this.updateOne(
      { _id: id, revision, ...LIVE },
      merged(toUpdate(change), pushEvents(events)),
    );
  }

  /** Updates one page matching `filter` (the first by `sort`), bumping its revision; the page after, or null. */
  private updateOne(
    filter: QueryFilter<OcrPage>,
    update: UpdateQuery<OcrPage>,
    sort?: Record<string, 1 | -1>,
  ): Promise<OcrPageRecord | null> {
    return conflictOnDuplicateKey(
      () =>
        this.model
          .findOneAndUpdate(
            filter,
            { ...update, $inc: { ...(update.$inc ?? {}), revision: 1 } },
            { returnDocument: 'after', runValidators: true, ...(sort && { sort }) },
          )
          .lean<OcrPageRecord>()
          .exec(),
      DUPLICATE_PAGE_MESSAGE,
    );
  }

  /**
   * Deletes the page, only if it is still at `revision`, with its `deleted` event: one update
   * marks it deleted and appends the event; the history relay then removes the page. False when
   * the page is not at `revision`.
   */
  async softDeleteAtRevision(
    id: string,
    revision: number,
    event: PageEvent,
    now: Date,
  ): Promise<boolean> {
    const { modifiedCount } = await this.model
      .updateOne(
        { _id: id, revision, ...LIVE },
        merged({ $set: { deletedAt: now } }, pushEvents([event])),
      )
      .exec();
    return modifiedCount === 1;
  }

  /**
   * Puts the page back in the queue (POST /process) unless a worker holds it. Null when no page
   * matched: missing, or processing.
   */
  requeue(id: string, now: Date, event: PageEvent): Promise<OcrPageRecord | null> {
    return this.updateOne(
      { _id: id, status: { $ne: PageStatus.Processing }, ...LIVE },
      merged(pushEvents([event]), {
        $set: { status: PageStatus.Pending, queuedAt: now, retryCount: 0 },
        $unset: {
          errorLog: 1,
          nextAttemptAt: 1,
          leaseOwner: 1,
          leaseExpiresAt: 1,
          leaseBeat: 1,
          leaseMs: 1,
        },
      }),
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
        ...LIVE,
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
        { status: PageStatus.Processing, leaseOwner: { $exists: true }, ...LIVE },
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
        ...LIVE,
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
        { _id: id, status: PageStatus.Processing, leaseOwner: owner, ...LIVE },
        { $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) }, $inc: { leaseBeat: 1 } },
        // Internal bookkeeping: the page as clients see it (updatedAt, ETag) does not change.
        { timestamps: false },
      )
      .exec();
    return modifiedCount === 1;
  }

  /**
   * Ends `owner`'s claim with `change` (results, a retry or a failure), if it still holds it:
   * a page given a new image or deleted meanwhile is left alone (an update never re-creates a
   * document). The page after, or null when the claim was no longer held.
   */
  finishClaim(
    id: string,
    owner: string,
    change: PageFieldChange,
    events: readonly PageEvent[] = [],
    correctionsVersion?: number,
  ): Promise<OcrPageRecord | null> {
    return this.updateOne(
      {
        _id: id,
        status: PageStatus.Processing,
        leaseOwner: owner,
        ...LIVE,
        // A run's fields are laid over the corrections it read: if they changed, nothing matches.
        ...(correctionsVersion !== undefined && {
          correctionsVersion: correctionsVersion === 0 ? { $in: [0, null] } : correctionsVersion,
        }),
      },
      merged(
        toUpdate({
          set: change.set,
          unset: [...change.unset, 'leaseOwner', 'leaseExpiresAt', 'leaseBeat', 'leaseMs'],
        }),
        pushEvents(events),
      ),
    );
  }

  /** The page `owner` is processing, or null when it no longer holds it. */
  findClaimed(id: string, owner: string): Promise<OcrPageRecord | null> {
    return this.model
      .findOne({ _id: id, status: PageStatus.Processing, leaseOwner: owner, ...LIVE })
      .lean<OcrPageRecord>()
      .exec();
  }

  // The history relay's side: pages with events to relay, deleted pages included.

  /**
   * Pages whose outbox holds events (deleted ones too), at most `limit`; `scope` narrows to one
   * page or one job's pages.
   */
  withPendingEvents(
    limit: number,
    scope: { id?: string; job?: string } = {},
  ): Promise<OcrPageRecord[]> {
    return this.model
      .find({
        outboxCount: { $gt: 0 },
        ...(scope.id !== undefined && { _id: scope.id }),
        ...(scope.job !== undefined && { job: new Types.ObjectId(scope.job) }),
      })
      .limit(limit)
      .lean<OcrPageRecord[]>()
      .exec();
  }

  /**
   * Removes a relayed event from a page's outbox, once however many relays do it (the update
   * applies only while the event is there). Internal bookkeeping: the page's revision and
   * updatedAt do not change.
   */
  async removeRelayed(id: Types.ObjectId, eventId: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, [`outbox.${eventId}`]: { $exists: true } },
        { $unset: { [`outbox.${eventId}`]: 1 }, $inc: { outboxCount: -1 } },
        { timestamps: false },
      )
      .exec();
  }

  /** Removes a deleted page whose events have all been relayed; false if it still has some. */
  async purgeDeleted(id: Types.ObjectId): Promise<boolean> {
    const { deletedCount } = await this.model
      .deleteOne({ _id: id, deletedAt: { $exists: true }, outboxCount: { $lte: 0 } })
      .exec();
    return deletedCount === 1;
  }
}
