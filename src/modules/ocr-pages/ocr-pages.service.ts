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
import { newPageFrom, patchWrite, replaceWrite, type PageWrite } from './ocr-page.changes.js';
import type { PageStatus } from './ocr-page.enums.js';
import { OCR_PAGE_QUERY_SPEC } from './ocr-pages.query-spec.js';
import { PageChanges } from './page-changes.js';
import { PageQueueSignal } from './page-queue.signal.js';
import { OcrPagesRepository, type OcrPageRecord } from './ocr-pages.repository.js';

const PAGE_NOT_FOUND = 'OCR invoice job page not found';
/** Bounds the retries of a write that keeps losing a race on one page. */
const MAX_WRITE_ATTEMPTS = 5;

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
    config: ConfigService<Environment, true>,
  ) {
    this.queueOnCreate = config.get('PROCESSING_QUEUE_ON_CREATE', { infer: true });
  }

  async create(dto: CreateOcrPageDto): Promise<OcrPageRecord> {
    const page = await this.pages.create(newPageFrom(dto, new Date(), this.queueOnCreate));
    await this.changes.announce([page.job]);
    if (page.queuedAt) {
      this.queue.notify();
    }
    return page;
  }

  /** POST /process: queues the page again; 409 while a worker is processing it. */
  async requeue(id: string): Promise<OcrPageRecord> {
    const page = await this.pages.requeue(id, new Date());
    if (!page) {
      await this.findById(id);
      throw AppError.conflict('Page is already processing');
    }
    await this.changes.announce([page.job]);
    this.queue.notify();
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
      pageUrls.map((pageUrl, index) =>
        newPageFrom({ job, pageNumber: index + 1, pageUrl }, now, this.queueOnCreate),
      ),
    );
    await this.changes.announce([job]);
    if (this.queueOnCreate) {
      this.queue.notify();
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

  /** Deletes a job's pages (a worker processing one stores nothing: see PageProcessingPort). */
  deleteByJob(job: string): Promise<number> {
    return this.pages.deleteByJob(job);
  }

  /** How many pages are in each status (for metrics). */
  countByStatus(maxTimeMS: number): ReturnType<OcrPagesRepository['countByStatus']> {
    return this.pages.countByStatus(maxTimeMS);
  }

  replace(id: string, dto: CreateOcrPageDto, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    return this.write(id, ifMatch, replaceWrite(dto, new Date(), this.queueOnCreate));
  }

  async update(id: string, dto: UpdateOcrPageDto, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    const write = patchWrite(dto, new Date(), this.queueOnCreate);
    // Nothing to change: answer with the page as it is, still honouring If-Match.
    return write ? this.write(id, ifMatch, write) : this.currentMatching(id, ifMatch);
  }

  /**
   * Deletes with a compare-and-set on the revision read, so that the page returned is exactly
   * the one deleted. A write landing in between makes it start over (with If-Match: 412).
   */
  async remove(id: string, ifMatch?: IfMatch): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      if (await this.pages.deleteAtRevision(id, current.revision)) {
        await this.changes.announce([current.job]);
        return current;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  /**
   * One atomic conditional update (see OcrPagesRepository.applyWrite). When nothing matched, the
   * page is missing (404), its ETag moved (412), or, rarely, its pageUrl changed between the
   * two forms of the write, which is then tried again.
   */
  private async write(
    id: string,
    ifMatch: IfMatch | undefined,
    write: PageWrite,
  ): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      // A write that moves the page to another job changes two jobs' pages.
      const before = write.sameImage.set.job === undefined ? null : await this.pages.findById(id);
      const updated = await this.pages.applyWrite(id, ifMatch?.revisions(), write);
      if (updated) {
        await this.changes.announce(before ? [before.job, updated.job] : [updated.job]);
        if (write.newImage && updated.queuedAt) {
          this.queue.notify();
        }
        return updated;
      }
      await this.currentMatching(id, ifMatch);
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
