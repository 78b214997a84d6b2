import { Injectable } from '@nestjs/common';
import { AppError } from '../../../common/http/app-error.js';
import { etagForRevision, type IfMatch } from '../../../common/http/etag.js';
import { change, pageEvent, type FieldChangeRecord } from '../history/page-event.js';
import { PageHistoryRelay } from '../history/page-history.relay.js';
import {
  PageHistoryRepository,
  type PageHistoryRecord,
} from '../history/page-history.repository.js';
import { pageWebhookEvent, WebhookEventType } from '../history/page-webhook-events.js';
import { PageEventType, PageStatus, ReviewDecision, ReviewStatus } from '../ocr-page.enums.js';
import { OcrPagesRepository, type OcrPageRecord } from '../ocr-pages.repository.js';
import type { ExtractionCheck } from '../schemas/ocr-page.schema.js';
import {
  correctedField,
  recheck,
  restoredField,
  type Corrections,
  type StoredFields,
} from './corrections.js';
import { parseFieldCorrections, type InvoiceFieldName } from './field-values.js';

const PAGE_NOT_FOUND = 'OCR invoice job page not found';
/**
 * Bounds the retries of a write that keeps losing a race on one page. Each write applies only to
 * the revision it read, so of concurrent writers one wins per round: this lets a few dozen
 * writers without If-Match all land.
 */
const MAX_WRITE_ATTEMPTS = 25;

/** What changed in the checks: each check whose outcome moved, by name. */
function checkChanges(
  before: readonly ExtractionCheck[] | undefined,
  after: readonly ExtractionCheck[],
): FieldChangeRecord[] {
  const was = new Map((before ?? []).map((check) => [check.name, check.passed]));
  return after
    .filter((check) => was.get(check.name) !== check.passed)
    .map((check) =>
      change(`extractionChecks.${check.name}.passed`, was.get(check.name), check.passed),
    );
}

/**
 * People's side of a page: corrections of its extracted fields, the review decision, and the
 * history that records them. Every change is one atomic update of the page, conditioned on the
 * revision it was computed from, that also appends its history event (see PageHistoryRelay).
 */
@Injectable()
export class PageReviewService {
  constructor(
    private readonly pages: OcrPagesRepository,
    private readonly history: PageHistoryRepository,
    private readonly relay: PageHistoryRelay,
  ) {}

  /**
   * PATCH …/fields: sets (or, with null, removes) corrections. The checks are run again on the
   * corrected values of a processed page. 400 names unknown fields and invalid values.
   */
  async correct(
    id: string,
    fields: Record<string, unknown>,
    comment: string | undefined,
    actor: string,
    ifMatch?: IfMatch,
  ): Promise<OcrPageRecord> {
    const parsed = parseFieldCorrections(fields);
    if ('problems' in parsed) {
      throw AppError.validation(parsed.problems);
    }
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      const now = new Date();
      const corrections: Corrections = { ...current.corrections };
      const extracted = { ...(current.extractedFields ?? {}) } as StoredFields;
      const changes: FieldChangeRecord[] = [];
      for (const [name, value] of Object.entries(parsed.corrections) as Array<
        [InvoiceFieldName, string | number | null]
      >) {
        const existing = extracted[name];
        if (value === null) {
          if (!corrections[name]) {
            continue;
          }
          const restored = restoredField(existing);
          changes.push(change(`extractedFields.${name}`, existing?.value, restored?.value));
          delete corrections[name];
          if (restored) {
            extracted[name] = restored;
          } else {
            delete extracted[name];
          }
        } else if (corrections[name]?.value !== value) {
          changes.push(change(`extractedFields.${name}`, existing?.value, value));
          corrections[name] = { value, correctedAt: now, correctedBy: actor };
          extracted[name] = correctedField(existing, corrections[name]);
        }
      }
      if (changes.length === 0) {
        return current;
      }
      const checks =
        current.status === PageStatus.Completed
          ? recheck(extracted, current.extractionChecks)
          : current.extractionChecks;
      if (checks) {
        changes.push(...checkChanges(current.extractionChecks, checks));
      }
      const names = changes
        .filter((item) => item.path.startsWith('extractedFields.'))
        .map((item) => item.path.slice('extractedFields.'.length));
      const event = pageEvent(PageEventType.Corrected, actor, now, changes, {
        comment,
        webhooks: [
          pageWebhookEvent(WebhookEventType.PageCorrected, current, {
            status: current.status,
            fields: names.join(','),
          }),
        ],
      });
      const hasCorrections = Object.keys(corrections).length > 0;
      const updated = await this.pages.applyChange(
        id,
        current.revision,
        {
          set: {
            extractedFields: extracted,
            correctionsVersion: (current.correctionsVersion ?? 0) + 1,
            ...(hasCorrections && { corrections }),
            ...(checks && { extractionChecks: checks }),
          },
          unset: hasCorrections ? [] : ['corrections'],
        },
        [event],
      );
      if (updated) {
        await this.relay.relayPage(id);
        return updated;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  /** POST …/review: a person approves or rejects a processed page. */
  async decide(
    id: string,
    decision: ReviewDecision,
    comment: string | undefined,
    actor: string,
    ifMatch?: IfMatch,
  ): Promise<OcrPageRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.currentMatching(id, ifMatch);
      if (!current.review) {
        throw AppError.conflict('The page has not been processed yet: there is nothing to review');
      }
      const now = new Date();
      const status =
        decision === ReviewDecision.Approve ? ReviewStatus.Approved : ReviewStatus.Rejected;
      const event = pageEvent(
        PageEventType.Reviewed,
        actor,
        now,
        [change('review.status', current.review.status, status)],
        { comment },
      );
      const updated = await this.pages.applyChange(
        id,
        current.revision,
        {
          set: {
            review: { status, reasons: current.review.reasons, reviewedAt: now, reviewedBy: actor },
          },
          unset: [],
        },
        [event],
      );
      if (updated) {
        await this.relay.relayPage(id);
        return updated;
      }
    }
    throw AppError.conflict('The page is being changed by other requests; try again');
  }

  /**
   * GET …/history: a page's events, newest first. A deleted page's history is there until its
   * retention ends; 404 when there is neither a page nor any history.
   */
  async historyOf(
    id: string,
    skip: number,
    limit: number,
  ): Promise<{ items: PageHistoryRecord[]; total: number }> {
    // Events still in the page's outbox first, so the history shows every change made so far.
    await this.relay.relayPage(id);
    const [page, window] = await Promise.all([
      this.pages.findById(id),
      this.history.list(id, new Date(), skip, limit),
    ]);
    if (!page && window.total === 0) {
      throw AppError.notFound(PAGE_NOT_FOUND);
    }
    return window;
  }

  private async currentMatching(id: string, ifMatch: IfMatch | undefined): Promise<OcrPageRecord> {
    const current = await this.pages.findById(id);
    if (!current) {
      throw AppError.notFound(PAGE_NOT_FOUND);
    }
    if (ifMatch && !ifMatch.matches(etagForRevision(current.revision))) {
      throw AppError.preconditionFailed();
    }
    return current;
  }
}
