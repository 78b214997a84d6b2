import { WebhookEventType } from '../../webhooks/webhook-event-type.js';
import type { OcrPageRecord } from '../ocr-pages.repository.js';
import type { QueuedWebhookEvent } from './page-event.js';

/** What a page event tells a webhook: which page, of which job, in which state. */
export function pageWebhookEvent(
  type: WebhookEventType,
  page: Pick<OcrPageRecord, '_id' | 'job' | 'pageNumber'>,
  extra: Record<string, string | number | boolean | null> = {},
): QueuedWebhookEvent {
  return {
    type,
    data: {
      pageId: String(page._id),
      jobId: String(page.job),
      pageNumber: page.pageNumber,
      ...extra,
    },
  };
}

export { WebhookEventType };
