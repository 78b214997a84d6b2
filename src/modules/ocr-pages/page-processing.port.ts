import { Injectable } from '@nestjs/common';
import { PageStatus } from './ocr-page.enums.js';
import { PageChanges } from './page-changes.js';
import { OcrPagesRepository, type HeldLease, type OcrPageRecord } from './ocr-pages.repository.js';
import type { OcrPage } from './schemas/ocr-page.schema.js';

/** Everything a successful run writes on the page. */
export type CompletedPage = Required<
  Pick<
    OcrPage,
    | 'completedAt'
    | 'processingTime'
    | 'imageProperties'
    | 'preprocessing'
    | 'ocrResults'
    | 'extractedFields'
    | 'tableData'
    | 'qualityScore'
    | 'extractionChecks'
  >
> &
  Pick<OcrPage, 'eInvoice'>;

/** A transient failure with retries left. */
export interface RetryLater {
  errorLog: string;
  retryCount: number;
  nextAttemptAt: Date;
}

/** A permanent failure, or the last retry spent. */
export interface FailedPage {
  errorLog: string;
  retryCount: number;
  completedAt: Date;
  processingTime: number;
}

/**
 * What processing may do to pages, and nothing else: claim one, keep its lease, and end the claim
 * in one of four ways. Every ending applies only while the claim (`owner`) still holds the page,
 * so a page given a new image or deleted meanwhile is left alone (never re-created). Each change
 * is announced to PageChanges (jobs roll their counts up from it).
 */
@Injectable()
export class PageProcessingPort {
  constructor(
    private readonly pages: OcrPagesRepository,
    private readonly changes: PageChanges,
  ) {}

  async claimNext(owner: string, leaseMs: number, now: Date): Promise<OcrPageRecord | null> {
    const page = await this.pages.claimNext(owner, leaseMs, now);
    if (page) {
      await this.changes.announce([page.job]);
    }
    return page;
  }

  /** Extends `owner`'s lease (one more beat); false when the page is no longer its to process. */
  renewLease(id: string, owner: string, leaseMs: number, now: Date): Promise<boolean> {
    return this.pages.renewLease(id, owner, leaseMs, now);
  }

  /** The leases held right now, for spotting abandoned ones. */
  heldLeases(limit: number, defaultLeaseMs: number): Promise<HeldLease[]> {
    return this.pages.heldLeases(limit, defaultLeaseMs);
  }

  /** Takes over a lease its worker abandoned, if the page is still under exactly that lease. */
  async takeOverLease(
    stale: HeldLease,
    owner: string,
    leaseMs: number,
    now: Date,
  ): Promise<OcrPageRecord | null> {
    const page = await this.pages.takeOverLease(stale, owner, leaseMs, now);
    if (page) {
      await this.changes.announce([page.job]);
    }
    return page;
  }

  /** Stores the results; the page is `completed`. */
  complete(id: string, owner: string, output: CompletedPage): Promise<boolean> {
    return this.finish(id, owner, {
      set: { ...output, status: PageStatus.Completed },
      unset: ['errorLog', 'nextAttemptAt'],
    });
  }

  /** Back in the queue, due at `nextAttemptAt`. */
  retryLater(id: string, owner: string, retry: RetryLater): Promise<boolean> {
    return this.finish(id, owner, { set: { ...retry, status: PageStatus.Pending }, unset: [] });
  }

  /** The page is `failed` for good. */
  fail(id: string, owner: string, failure: FailedPage): Promise<boolean> {
    return this.finish(id, owner, {
      set: { ...failure, status: PageStatus.Failed },
      unset: ['nextAttemptAt'],
    });
  }

  /** The worker is stopping: the page goes back to the queue (still queued) for another worker. */
  release(id: string, owner: string): Promise<boolean> {
    return this.finish(id, owner, { set: { status: PageStatus.Pending }, unset: [] });
  }

  private async finish(
    id: string,
    owner: string,
    change: Parameters<OcrPagesRepository['finishClaim']>[2],
  ): Promise<boolean> {
    const page = await this.pages.finishClaim(id, owner, change);
    if (page) {
      await this.changes.announce([page.job]);
    }
    return page !== null;
  }
}
