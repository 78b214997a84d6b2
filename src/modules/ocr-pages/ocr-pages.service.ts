import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/index.js';
import { AppError } from '../../common/http/app-error.js';
import { etagForRevision, type IfMatch } from '../../common/http/etag.js';
import { ListQueryBuilder } from '../../common/query/list-query.builder.js';
import type { ListQueryInput } from '../../common/query/list-query.js';
import type { CreateOcrPageDto } from './dto/create-ocr-page.dto.js';
import type { ListOcrPagesQueryDto } from './dto/list-ocr-pages.query.dto.js';
import type { UpdateOcrPageDto } from './dto/update-ocr-page.dto.js';
import {
  newPageFrom,
  patchWrite,
  replaceWrite,
  WRITABLE_FIELDS,
  type NewOcrPage,
  type PageFieldChange,
  type PageWrite,
} from './ocr-page.changes.js';
import { PageEventType, PageStatus } from './ocr-page.enums.js';
import { change, changesBetween, pageEvent, SYSTEM_ACTOR } from './history/page-event.js';
import { PageHistoryRelay } from './history/page-history.relay.js';
import { OCR_PAGE_QUERY_SPEC } from './ocr-pages.query-spec.js';
import { PageChanges } from './page-changes.js';
import { PageQueueSignal } from './page-queue.signal.js';
import { OcrPagesRepository, type OcrPageRecord } from './ocr-pages.repository.js';

const PAGE_NOT_FOUND = 'OCR invoice job page not found';
/**
 * Bounds the retries of a write that keeps losing a race on one page. Each write applies only to
 * the revision it read, so of concurrent writers one wins per round: this lets a few dozen
 * writers without If-Match all land.
 */
const MAX_WRITE_ATTEMPTS = 25;

export function etagOf(page: Pick<OcrPageRecord, 'revision'>): string {
  return etagForRevision(page.revision);
}

@Injectable()
export class OcrPagesService {
  private readonly queueOnCreate: boolean;

  constructor(
    private readonly pages: OcrPagesRepository,
    private readonly listQueries: ListQueryBuilder,
    private readonly queue: PageQueueSignal,
    private readonly changes: PageChanges,
    private readonly relay: PageHistoryRelay,
    config: ConfigService<Environment, true>,
  ) {
    this.queueOnCreate = config.get('PROCESSING_QUEUE_ON_CREATE', { infer: true });
  }

  async create(dto: CreateOcrPageDto, actor: string): Promise<OcrPageRecord> {
    const now = new Date();
    const fresh = newPageFrom(dto, now, this.queueOnCreate);
    const page = await this.pages.create(fresh, createdEvent(fresh, actor, now));
    await this.relay.relayPage(String(page._id));
    await this.changes.announce([page.job]);
    if (page.queuedAt) {
      this.queue.notifyQueued();
    }
    return page;
  }

  /** POST /process: queues the page again; 409 while a worker is processing it. */
  async requeue(id: string, actor: string): Promise<OcrPageRecord> {
    const now = new Date();
    const page = await this.pages.requeue(
      id,
      now,
      pageEvent(PageEventType.Updated, actor, now, [change('status', null, PageStatus.Pending)]),
    );
    if (!page) {
      await this.findById(id);
      throw AppError.conflict('Page is already processing');
    }
    await this.relay.relayPage(id);
    await this.changes.announce([page.job]);
    this.queue.notifyQueued();
    return page;
  }

  async findById(id: string): Promise<OcrPageRecord> {
    const page = await this.pages.findById(id);
    if (!page) {
      throw AppError.notFound(PAGE_NOT_FOUND);
    }
    return page;
  }

  list(query: ListOcrPagesQueryDto): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    return this.pages.list(this.listQueries.build(OCR_PAGE_QUERY_SPEC, query));
  }

  /**
   * Creates a job's pages from its page URLs, numbered from 1, queued like any new page. On a
   * failure some may be stored: the caller removes them with deleteByJob.
   */
  async createForJob(job: string, pageUrls: readonly string[]): Promise<void> {
    const now = new Date();
    await this.pages.createMany(
      pageUrls.map((pageUrl, index) => {
        const page = newPageFrom({ job, pageNumber: index + 1, pageUrl }, now, this.queueOnCreate);
        return { page, event: createdEvent(page, SYSTEM_ACTOR, now) };
      }),
    );
    this.relay.notify();
    await this.changes.announce([job]);
    if (this.queueOnCreate) {
      this.queue.notifyQueued();
    }
  }

  listOfJob(
    job: string,
    query: ListQueryInput,
  ): Promise<{ items: Partial<OcrPageRecord>[]; total: number }> {
    return this.pages.listOfJob(job, this.listQueries.build(OCR_PAGE_QUERY_SPEC, query));
  }

  /** The pages an invoice is assembled from, in page order. */
  forInvoice(job: string): ReturnType<OcrPagesRepository['findForInvoice']> {
    return this.pages.findForInvoice(job, this.listQueries.maxTimeMS);
  }

  countByStatusOfJob(job: string): Promise<Record<PageStatus, number>> {
    return this.pages.countByStatusOfJob(job);
  }

  /**
   * Deletes a job's pages, each with its `deleted` event (a worker processing one stores
   * nothing: see PageProcessingPort); the history relay then removes them.
   */
  async deleteByJob(job: string): Promise<number> {
    const now = new Date();
    const deleted = await this.pages.softDeleteByJob(
      job,
      pageEvent(PageEventType.Deleted, SYSTEM_ACTOR, now, [change('job', job, null)]),
      now,
    );
    await this.relay.relayJob(job);
    return deleted;
  }

  /** How many pages are in each status (for metrics). */
  countByStatus(maxTimeMS: number): ReturnType<OcrPagesRepository['countByStatus']> {
    return this.pages.countByStatus(maxTimeMS);
  }

  replace(
    id: string,
    dto: CreateOcrPageDto,
    actor: string,
    ifMatch?: IfMatch,
  ): Promise<OcrPageRecord> {
    return this.write(id, ifMatch, actor, replaceWrite(dto, new Date(), this.queueOnCreate));
  }

  async update(
    id: string,
    dto: UpdateOcrPageDto,
    actor: string,
    ifMatch?: IfMatch,
  ): Promise<OcrPageRecord> {
    const write = patchWrite(dto, new Date(), this.queueOnCreate);
    // Nothing to change: answer with the page as it is, still honouring If-Match.
    return write ? this.write(id, ifMatch, actor, write) : this.currentMatching(id, ifMatch);
  }

  /**
   * Deletes with a compare-and-set on the revision read, so that the page returned is exactly
   * the one deleted. A write landing in between makes it start over (with If-Match: 412).
   */
  async remove(id: string, actor: string, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      const now = new Date();
      const event = pageEvent(PageEventType.Deleted, actor, now, []);
      if (await this.pages.softDeleteAtRevision(id, current.revision, event, now)) {
        // Relayed at once: the page is gone (and its job + pageNumber free) when this answers.
        await this.relay.relayPage(id);
        await this.changes.announce([current.job]);
        return current;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  /**
   * Reads the page, picks the write's form for its `pageUrl` and applies it with its `updated`
   * event in one atomic update conditioned on the revision read. A write landing in between makes
   * it start over (with If-Match: 412 once the ETag moved).
   */
  private async write(
    id: string,
    ifMatch: IfMatch | undefined,
    actor: string,
    write: PageWrite,
  ): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      const newImage = write.newImage && write.newImage.pageUrl !== current.pageUrl;
      const fieldChange = newImage ? write.newImage!.change : write.sameImage;
      const event = pageEvent(
        PageEventType.Updated,
        actor,
        new Date(),
        updateChanges(current, fieldChange),
      );
      const updated = await this.pages.applyChange(id, current.revision, fieldChange, [event]);
      if (updated) {
        await this.relay.relayPage(id);
        await this.changes.announce([current.job, updated.job]);
        if (newImage && updated.queuedAt) {
          this.queue.notifyQueued();
        }
        return updated;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  private async currentMatching(id: string, ifMatch: IfMatch | undefined): Promise<OcrPageRecord> {
    const current = await this.findById(id);
    if (ifMatch && !ifMatch.matches(etagOf(current))) {
      throw AppError.preconditionFailed();
    }
    return current;
  }
}

/** A page's fields as history shows them: ids as hex strings. */
function historyView(page: Record<string, unknown>): Record<string, unknown> {
  const job = page.job as string | { toHexString(): string } | undefined;
  return {
    ...page,
    ...(job !== undefined && { job: typeof job === 'string' ? job : job.toHexString() }),
  };
}

/** The `created` event of a new page: every writable field it was created with. */
function createdEvent(page: NewOcrPage, actor: string, at: Date) {
  return pageEvent(
    PageEventType.Created,
    actor,
    at,
    changesBetween({}, historyView(page), WRITABLE_FIELDS),
  );
}

/**
 * What an update changes: the writable fields that differ, the status, and, for a new image, every
 * correction it drops (the corrected values were of the old image).
 */
function updateChanges(current: OcrPageRecord, fieldChange: PageFieldChange) {
  const before = historyView(current as unknown as Record<string, unknown>);
  const after: Record<string, unknown> = { ...before, ...historyView(fieldChange.set) };
  for (const field of fieldChange.unset) {
    delete after[field];
  }
  const dropped = fieldChange.unset.includes('corrections')
    ? Object.entries(current.corrections ?? {}).map(([name, correction]) =>
        change(`corrections.${name}`, correction?.value, null),
      )
    : [];
  return [...changesBetween(before, after, [...WRITABLE_FIELDS, 'status']), ...dropped];
}
