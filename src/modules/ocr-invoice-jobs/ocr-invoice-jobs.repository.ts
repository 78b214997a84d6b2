import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model, type QueryFilter, type UpdateQuery } from 'mongoose';
import type { BoundedListQuery } from '../../common/query/list-query.builder.js';
import { runListQuery } from '../../common/query/run-list-query.js';
import { JobStatus } from './ocr-invoice-job.enums.js';
import { OcrInvoiceJob, type PageCounts } from './schemas/ocr-invoice-job.schema.js';

/** A job as stored: a plain object (lean read), with its ObjectId and revision. */
export type OcrInvoiceJobRecord = OcrInvoiceJob & { _id: Types.ObjectId };

/** The fields a new job is stored with. */
export type NewOcrInvoiceJob = Pick<OcrInvoiceJob, 'pageCount'> &
  Partial<Pick<OcrInvoiceJob, 'name' | 'documentUrl' | 'metadata'>> & { _id?: Types.ObjectId };

/** The job's client-visible state as rolled up from its pages. */
export interface JobRollup {
  status: JobStatus;
  pageCounts: PageCounts;
  pageCount: number;
  completedAt?: Date;
}

/**
 * The only class that touches the jobs collection. Every write the client can see bumps
 * `revision` (the ETag); conditional writes name the revision they expect.
 */
@Injectable()
export class OcrInvoiceJobsRepository implements OnModuleInit {
  constructor(@InjectModel(OcrInvoiceJob.name) private readonly model: Model<OcrInvoiceJob>) {}

  async onModuleInit(): Promise<void> {
    await this.model.createIndexes();
  }

  /** A new ObjectId for a job whose pages are written before the job itself. */
  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  async create(job: NewOcrInvoiceJob & { _id?: string }): Promise<OcrInvoiceJobRecord> {
    const created = await this.model.create(job);
    return created.toObject<OcrInvoiceJobRecord>();
  }

  findById(id: string): Promise<OcrInvoiceJobRecord | null> {
    return this.model.findById(id).lean<OcrInvoiceJobRecord>().exec();
  }

  list(query: BoundedListQuery): Promise<{ items: Partial<OcrInvoiceJobRecord>[]; total: number }> {
    return runListQuery<OcrInvoiceJob, OcrInvoiceJobRecord>(this.model, query);
  }

  /** Sets `name`/`metadata` (those sent) if the job is at one of `revisions` (any when undefined). */
  update(
    id: string,
    revisions: number[] | undefined,
    set: Partial<Pick<OcrInvoiceJob, 'name' | 'metadata'>>,
  ): Promise<OcrInvoiceJobRecord | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, ...(revisions && { revision: { $in: revisions } }) },
        { $set: set, $inc: { revision: 1 } },
        { returnDocument: 'after', runValidators: true },
      )
      .lean<OcrInvoiceJobRecord>()
      .exec();
  }

  async deleteAtRevision(id: string, revision: number): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ _id: id, revision }).exec();
    return deletedCount === 1;
  }

  async deleteById(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }

  /**
   * Records that the jobs' pages changed; the change count each job is at now (jobs that do not
   * exist are left out). Called after the page change is stored, before rolling up.
   */
  async markPagesChanged(id: string): Promise<number | null> {
    const job = await this.model
      .findOneAndUpdate(
        { _id: id },
        { $inc: { pageChanges: 1 } },
        { returnDocument: 'after', timestamps: false, projection: { pageChanges: 1 } },
      )
      .lean<Pick<OcrInvoiceJobRecord, 'pageChanges'>>()
      .exec();
    return job?.pageChanges ?? null;
  }

  /**
   * Writes a roll-up computed from the pages as they were after change number `pageChanges`,
   * only if no page changed since (else the later change's own roll-up is the one that counts)
   * and only if it differs from what is stored. A job whose document could not be split keeps
   * its failure. Answers the status the job had just before this write, or null when nothing
   * was written: of all the concurrent roll-ups of a job, only the one whose write lands learns
   * that it changed the status (the write and the read of the old status are one operation).
   */
  async writeRollup(
    id: string,
    pageChanges: number,
    rollup: JobRollup,
  ): Promise<{ previousStatus: JobStatus } | null> {
    const filter: QueryFilter<OcrInvoiceJob> = {
      _id: id,
      pageChanges,
      pageCount: { $ne: null },
      $nor: [
        {
          status: rollup.status,
          pageCount: rollup.pageCount,
          'pageCounts.pending': rollup.pageCounts.pending,
          'pageCounts.processing': rollup.pageCounts.processing,
          'pageCounts.completed': rollup.pageCounts.completed,
          'pageCounts.failed': rollup.pageCounts.failed,
        },
      ],
    };
    const update: UpdateQuery<OcrInvoiceJob> = {
      $set: {
        status: rollup.status,
        pageCounts: rollup.pageCounts,
        pageCount: rollup.pageCount,
        ...(rollup.completedAt && { completedAt: rollup.completedAt }),
      },
      ...(!rollup.completedAt && { $unset: { completedAt: 1 } }),
      $inc: { revision: 1 },
    };
    const before = await this.model
      .findOneAndUpdate(filter, update, { returnDocument: 'before', projection: { status: 1 } })
      .lean()
      .exec();
    return before ? { previousStatus: before.status } : null;
  }

  /**
   * Claims a job whose document is still to be split into pages: a pending one, or one whose
   * worker's lease ran out. Null when there is none.
   */
  claimDocument(owner: string, leaseMs: number, now: Date): Promise<OcrInvoiceJobRecord | null> {
    return this.model
      .findOneAndUpdate(
        {
          pageCount: null,
          documentUrl: { $exists: true },
          $or: [
            { status: JobStatus.Pending },
            { status: JobStatus.Processing, leaseExpiresAt: { $lt: now } },
          ],
        },
        {
          $set: {
            status: JobStatus.Processing,
            leaseOwner: owner,
            leaseExpiresAt: new Date(now.getTime() + leaseMs),
          },
          $inc: { revision: 1, expansionAttempts: 1 },
        },
        { returnDocument: 'after', sort: { createdAt: 1 } },
      )
      .lean<OcrInvoiceJobRecord>()
      .exec();
  }

  /**
   * Ends `owner`'s split of the document with its page count, if it still holds the job: false
   * when the job was deleted (or taken over) meanwhile, and its pages must then be removed.
   */
  async finishSplit(id: string, owner: string, pageCount: number): Promise<boolean> {
    const { modifiedCount } = await this.model
      .updateOne(
        { _id: id, leaseOwner: owner, pageCount: null },
        {
          $set: { pageCount, status: JobStatus.Pending },
          $unset: { leaseOwner: 1, leaseExpiresAt: 1, errorLog: 1 },
          $inc: { revision: 1, pageChanges: 1 },
        },
      )
      .exec();
    return modifiedCount === 1;
  }

  /** The document could not be split: the job fails with `errorLog`, if `owner` still holds it. */
  async failSplit(id: string, owner: string, errorLog: string, now: Date): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, leaseOwner: owner, pageCount: null },
        {
          $set: { status: JobStatus.Failed, errorLog, completedAt: now },
          $unset: { leaseOwner: 1, leaseExpiresAt: 1 },
          $inc: { revision: 1 },
        },
      )
      .exec();
  }

  /** A transient failure: back to pending for another try after the lease time. */
  async retrySplit(id: string, owner: string, errorLog: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: id, leaseOwner: owner, pageCount: null },
        { $set: { errorLog }, $inc: { revision: 1 } },
      )
      .exec();
  }
}
