import { Injectable } from '@nestjs/common';
import { OcrPagesService } from '../ocr-pages/ocr-pages.service.js';
import { PageChanges } from '../ocr-pages/page-changes.js';
import { OcrInvoiceJobsRepository } from './ocr-invoice-jobs.repository.js';

/** A job whose document a worker is to split into pages. */
export interface DocumentToSplit {
  id: string;
  documentUrl: string;
  /** How many times a worker has taken it up, this one included. */
  attempts: number;
}

/** The `pageUrl` of page `pageNumber` of a document: the PDF open-parameters convention. */
export function documentPageUrl(documentUrl: string, pageNumber: number): string {
  return `${documentUrl.split('#', 1)[0]}#page=${pageNumber}`;
}

/**
 * What processing may do to jobs: take up a document to split, then create its pages, or fail
 * it, or try again later. Every ending applies only while `owner` still holds the job; a job
 * deleted meanwhile keeps no pages.
 */
@Injectable()
export class JobDocuments {
  constructor(
    private readonly jobs: OcrInvoiceJobsRepository,
    private readonly pages: OcrPagesService,
    private readonly changes: PageChanges,
  ) {}

  async claimNext(owner: string, leaseMs: number, now: Date): Promise<DocumentToSplit | null> {
    const job = await this.jobs.claimDocument(owner, leaseMs, now);
    if (!job?.documentUrl) {
      return null;
    }
    return { id: String(job._id), documentUrl: job.documentUrl, attempts: job.expansionAttempts };
  }

  /**
   * Creates one page per document page (`documentUrl#page=N`) and records the count. False when
   * the job was deleted or taken over meanwhile: the pages just created are removed again.
   */
  async split(document: DocumentToSplit, owner: string, pageCount: number): Promise<boolean> {
    const urls = Array.from({ length: pageCount }, (_, i) =>
      documentPageUrl(document.documentUrl, i + 1),
    );
    try {
      await this.pages.createForJob(document.id, urls);
    } catch (error) {
      await this.pages.deleteByJob(document.id);
      throw error;
    }
    if (!(await this.jobs.finishSplit(document.id, owner, pageCount))) {
      await this.pages.deleteByJob(document.id);
      return false;
    }
    // The job now has its page count: roll its pages up.
    await this.changes.announce([document.id]);
    return true;
  }

  fail(id: string, owner: string, errorLog: string): Promise<void> {
    return this.jobs.failSplit(id, owner, errorLog, new Date());
  }

  /** Taken up again by a worker once the lease runs out. */
  retryLater(id: string, owner: string, errorLog: string): Promise<void> {
    return this.jobs.retrySplit(id, owner, errorLog);
  }
}
