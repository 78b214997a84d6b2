import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppError } from '../../common/http/app-error.js';
import type { IfMatch } from '../../common/http/etag.js';
import { ListQueryBuilder } from '../../common/query/list-query.builder.js';
import type { ListQueryInput } from '../../common/query/list-query.js';
import { OcrPagesService } from '../ocr-pages/ocr-pages.service.js';
import type { OcrPageRecord } from '../ocr-pages/ocr-pages.repository.js';
import { PageChanges } from '../ocr-pages/page-changes.js';
import type { CreateOcrInvoiceJobDto } from './dto/create-ocr-invoice-job.dto.js';
import type { UpdateOcrInvoiceJobDto } from './dto/update-ocr-invoice-job.dto.js';
import { assembleInvoice, type AssembledInvoice } from './invoice-assembly.js';
import { isFinished, rollupOf } from './job-rollup.js';
import { OCR_INVOICE_JOB_QUERY_SPEC } from './ocr-invoice-jobs.query-spec.js';
import {
  OcrInvoiceJobsRepository,
  type JobRollup,
  type OcrInvoiceJobRecord,
} from './ocr-invoice-jobs.repository.js';
import { WebhookEventType } from '../webhooks/webhook-event-type.js';
import { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import { etagForRevision } from '../../common/http/etag.js';

const JOB_NOT_FOUND = 'OCR invoice job not found';
/** Bounds the retries of a delete that keeps losing a race on one job. */
const MAX_WRITE_ATTEMPTS = 5;

@Injectable()
export class OcrInvoiceJobsService implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly jobs: OcrInvoiceJobsRepository,
    private readonly pages: OcrPagesService,
    private readonly pageChanges: PageChanges,
    private readonly listQueries: ListQueryBuilder,
    private readonly events: WebhookEventsService,
  ) {}

  /** Every page change in this process (API or worker) rolls its job up. */
  onModuleInit(): void {
    this.unsubscribe = this.pageChanges.subscribe((jobIds) => this.rollUp(jobIds));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Makes each job's status and pageCounts those of its pages. Exact under concurrent page
   * changes without a transaction: every page change, after it is stored, increments the job's
   * `pageChanges` and then rolls up; the roll-up counts the pages with one aggregation and writes
   * only if `pageChanges` is still what it read. A roll-up overtaken by a later change writes
   * nothing, and that later change's roll-up, which counts after it, is the one that lands.
   */
  async rollUp(jobIds: readonly string[]): Promise<void> {
    for (const id of jobIds) {
      const changes = await this.jobs.markPagesChanged(id);
      if (changes === null) {
        continue; // Pages of a job id without a job document (created through the pages API).
      }
      const counts = await this.pages.countByStatusOfJob(id);
      const rollup = rollupOf(counts, new Date());
      const written = await this.jobs.writeRollup(id, changes, rollup);
      if (written && isFinished(rollup.status) && !isFinished(written.previousStatus)) {
        await this.announceFinished(id, rollup);
      }
    }
  }

  /**
   * `job.completed`, once per time a job's pages all finish: only the roll-up whose write moved
   * the job into a finished status (completed, failed or partial) gets here.
   */
  private announceFinished(id: string, rollup: JobRollup): Promise<void> {
    return this.events.publishSafely(WebhookEventType.JobCompleted, {
      jobId: id,
      status: rollup.status,
      pageCount: rollup.pageCount,
      completedPages: rollup.pageCounts.completed,
      failedPages: rollup.pageCounts.failed,
    });
  }

  async create(dto: CreateOcrInvoiceJobDto): Promise<OcrInvoiceJobRecord> {
    const fromPages = dto.pageUrls !== undefined;
    if (fromPages === (dto.documentUrl !== undefined)) {
      const message = 'exactly one of pageUrls and documentUrl must be sent';
      throw AppError.validation([
        { field: 'pageUrls', message },
        { field: 'documentUrl', message },
      ]);
    }
    const job = await this.jobs.create({
      name: dto.name,
      metadata: dto.metadata,
      documentUrl: dto.documentUrl,
      pageCount: dto.pageUrls?.length ?? null,
    });
    const id = String(job._id);
    if (dto.pageUrls) {
      try {
        await this.pages.createForJob(id, dto.pageUrls);
      } catch (error) {
        // Nothing half-written: the job and whatever pages were stored go.
        await this.jobs.deleteById(id);
        await this.pages.deleteByJob(id);
        throw error;
      }
    }
    return this.findById(id);
  }

  async findById(id: string): Promise<OcrInvoiceJobRecord> {
    const job = await this.jobs.findById(id);
    if (!job) {
      throw AppError.notFound(JOB_NOT_FOUND);
    }
    return job;
  }

  list(query: ListQueryInput): Promise<{ items: Partial<OcrInvoiceJobRecord>[]; total: number }> {
    return this.jobs.list(this.listQueries.build(OCR_INVOICE_JOB_QUERY_SPEC, query));
  }

  async update(
    id: string,
    dto: UpdateOcrInvoiceJobDto,
    ifMatch?: IfMatch,
  ): Promise<OcrInvoiceJobRecord> {
    const set = {
      ...(dto.name !== undefined && { name: dto.name }),
      ...(dto.metadata !== undefined && { metadata: dto.metadata }),
    };
    if (Object.keys(set).length === 0) {
      return this.currentMatching(id, ifMatch);
    }
    const updated = await this.jobs.update(id, ifMatch?.revisions(), set);
    if (updated) {
      return updated;
    }
    await this.currentMatching(id, ifMatch);
    throw AppError.preconditionFailed();
  }

  /**
   * Deletes the job (compare-and-set on the revision read), then its pages. A worker holding one
   * of them stores nothing afterwards: its update matches no page and never creates one.
   */
  async remove(id: string, ifMatch?: IfMatch): Promise<OcrInvoiceJobRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      if (await this.jobs.deleteAtRevision(id, current.revision)) {
        await this.pages.deleteByJob(id);
        return current;
      }
    }
    throw AppError.conflict('The job is being changed by other requests; try again');
  }

  async listPages(
    id: string,
    query: ListQueryInput,
  ): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    await this.findById(id);
    return this.pages.listOfJob(id, query);
  }

  /**
   * The invoice assembled from the job's pages; also for a job id that has pages but no job
   * document (pages created through the pages API). 404 when there is neither.
   */
  async invoice(id: string): Promise<AssembledInvoice> {
    const [job, pages] = await Promise.all([this.jobs.findById(id), this.pages.forInvoice(id)]);
    if (!job && pages.length === 0) {
      throw AppError.notFound(JOB_NOT_FOUND);
    }
    const invoice = assembleInvoice(pages);
    // A document not split into pages yet is not complete, whatever pages exist.
    return job && job.pageCount === null ? { ...invoice, complete: false } : invoice;
  }

  private async currentMatching(
    id: string,
    ifMatch: IfMatch | undefined,
  ): Promise<OcrInvoiceJobRecord> {
    const current = await this.findById(id);
    if (ifMatch && !ifMatch.matches(etagForRevision(current.revision))) {
      throw AppError.preconditionFailed();
    }
    return current;
  }
}
