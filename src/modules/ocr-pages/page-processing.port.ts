import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/index.js';
import { change, pageEvent, SYSTEM_ACTOR, type PageEvent } from './history/page-event.js';
import { PageHistoryRelay } from './history/page-history.relay.js';
import { pageWebhookEvent, WebhookEventType } from './history/page-webhook-events.js';
import { PageEventType, PageStatus, ReviewStatus } from './ocr-page.enums.js';
import { recheck, withCorrections, type StoredFields } from './review/corrections.js';
import { reviewOf, type ReviewThresholds } from './review/review.js';
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

/** Bounds the retries of a completion that keeps meeting new corrections. */
const MAX_COMPLETE_ATTEMPTS = 5;

/**
 * What processing may do to pages, and nothing else: claim one, keep its lease, and end the claim
 * in one of four ways. Every ending applies only while the claim (`owner`) still holds the page,
 * so a page given a new image or deleted meanwhile is left alone (never re-created). Each change
 * is announced to PageChanges (jobs roll their counts up from it).
 */
@Injectable()
export class PageProcessingPort {
  private readonly thresholds: ReviewThresholds;

  constructor(
    private readonly pages: OcrPagesRepository,
    private readonly changes: PageChanges,
    private readonly relay: PageHistoryRelay,
    config: ConfigService<Environment, true>,
  ) {
    this.thresholds = {
      confidence: config.get('REVIEW_CONFIDENCE_THRESHOLD', { infer: true }),
      quality: config.get('REVIEW_QUALITY_THRESHOLD', { infer: true }),
    };
  }

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

  /**
   * Stores the results; the page is `completed`, with its review status. The page's corrections
   * are laid over the fields read (the corrected values win, `ocrValue` is what this run read)
   * and the checks run on the result. The `processed` event, `page.completed` and, when a review
   * is needed, `page.review_required` are written with it. Should the corrections change
   * meanwhile, the store is made again over the new ones.
   */
  async complete(id: string, owner: string, output: CompletedPage): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_COMPLETE_ATTEMPTS; attempt++) {
      const page = await this.pages.findClaimed(id, owner);
      if (!page) {
        return false;
      }
      const corrected = Object.keys(page.corrections ?? {}).length > 0;
      const fields = withCorrections(output.extractedFields as StoredFields, page.corrections);
      const checks = corrected ? recheck(fields, output.extractionChecks) : output.extractionChecks;
      const review = reviewOf(fields, checks, output.qualityScore, this.thresholds);
      const event = pageEvent(
        PageEventType.Processed,
        SYSTEM_ACTOR,
        output.completedAt,
        [
          change('status', page.status, PageStatus.Completed),
          change('review.status', null, review.status),
        ],
        {
          webhooks: [
            pageWebhookEvent(WebhookEventType.PageCompleted, page, { status: 'completed' }),
            ...(review.status === ReviewStatus.Needed
              ? [
                  pageWebhookEvent(WebhookEventType.PageReviewRequired, page, {
                    status: 'completed',
                    reasons: review.reasons.join(','),
                  }),
                ]
              : []),
          ],
        },
      );
      const stored = await this.pages.finishClaim(
        id,
        owner,
        {
          set: {
            ...output,
            extractedFields: fields,
            extractionChecks: checks,
            review,
            status: PageStatus.Completed,
          },
          unset: ['errorLog', 'nextAttemptAt'],
        },
        [event],
        page.correctionsVersion ?? 0,
      );
      if (stored) {
        await this.relay.relayPage(id);
        await this.changes.announce([stored.job]);
        return true;
      }
    }
    return false;
  }

  /** Back in the queue, due at `nextAttemptAt`. */
  retryLater(id: string, owner: string, retry: RetryLater): Promise<boolean> {
    return this.finish(id, owner, { set: { ...retry, status: PageStatus.Pending }, unset: [] });
  }

  /** The page is `failed` for good: its `failed` event and `page.failed` are written with it. */
  async fail(id: string, owner: string, failure: FailedPage): Promise<boolean> {
    const page = await this.pages.findClaimed(id, owner);
    if (!page) {
      return false;
    }
    const event = pageEvent(
      PageEventType.Failed,
      SYSTEM_ACTOR,
      failure.completedAt,
      [
        change('status', page.status, PageStatus.Failed),
        change('errorLog', null, failure.errorLog),
      ],
      { webhooks: [pageWebhookEvent(WebhookEventType.PageFailed, page, { status: 'failed' })] },
    );
    return this.finish(
      id,
      owner,
      { set: { ...failure, status: PageStatus.Failed }, unset: ['nextAttemptAt'] },
      [event],
    );
  }

  /** The worker is stopping: the page goes back to the queue (still queued) for another worker. */
  release(id: string, owner: string): Promise<boolean> {
    return this.finish(id, owner, { set: { status: PageStatus.Pending }, unset: [] });
  }

  private async finish(
    id: string,
    owner: string,
    fieldChange: Parameters<OcrPagesRepository['finishClaim']>[2],
    events: PageEvent[] = [],
  ): Promise<boolean> {
    const page = await this.pages.finishClaim(id, owner, fieldChange, events);
    if (page) {
      if (events.length > 0) {
        await this.relay.relayPage(id);
      }
      await this.changes.announce([page.job]);
    }
    return page !== null;
  }
}
