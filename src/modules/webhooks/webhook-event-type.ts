/** The events a webhook can subscribe to. */
export enum WebhookEventType {
  /** A page was read and its results stored. */
  PageCompleted = 'page.completed',
  /** A page failed for good (a permanent error, or its retries ran out). */
  PageFailed = 'page.failed',
  /** A processed page needs a person to look at it. */
  PageReviewRequired = 'page.review_required',
  /** A person corrected a page's fields. */
  PageCorrected = 'page.corrected',
  /** Every page of a job has finished. */
  JobCompleted = 'job.completed',
}

export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

/** Where a delivery stands. */
export enum DeliveryStatus {
  /** Waiting for its first or next attempt. */
  Pending = 'pending',
  /** The receiver answered 2xx. */
  Delivered = 'delivered',
  /** Every attempt failed; no more are made. */
  Failed = 'failed',
}
