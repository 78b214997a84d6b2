import { randomUUID } from 'node:crypto';
import type { WebhookEventType } from '../../webhooks/webhook-event-type.js';
import type { WebhookEventData } from '../../webhooks/webhook-events.service.js';
import type { PageEventType } from '../ocr-page.enums.js';

/** The actor of changes made by processing rather than by a request. */
export const SYSTEM_ACTOR = 'system';

/** One changed value: where (a dotted path in the page), what it was and what it became. */
export interface FieldChangeRecord {
  path: string;
  before: unknown;
  after: unknown;
}

/** A webhook event to queue once the page event that carries it is relayed. */
export interface QueuedWebhookEvent {
  type: WebhookEventType;
  data: WebhookEventData;
}

/**
 * One entry of a page's history. It is written into the page's `outbox` by the same update as
 * the change it records, so the two exist together or not at all; the history relay then copies
 * it into the history collection (and queues its webhook events) and removes it from the page.
 */
export interface PageEvent {
  /** Unique per event: relaying an event twice stores it once and queues its webhooks once. */
  id: string;
  at: Date;
  actor: string;
  type: PageEventType;
  changes: FieldChangeRecord[];
  comment?: string;
  webhooks?: QueuedWebhookEvent[];
}

export function pageEvent(
  type: PageEventType,
  actor: string,
  at: Date,
  changes: FieldChangeRecord[],
  extra: { comment?: string; webhooks?: QueuedWebhookEvent[] } = {},
): PageEvent {
  return {
    // Hex only: the id is a key of the page's outbox object.
    id: randomUUID().replaceAll('-', ''),
    at,
    actor,
    type,
    changes,
    ...(extra.comment !== undefined && { comment: extra.comment }),
    ...(extra.webhooks && extra.webhooks.length > 0 && { webhooks: extra.webhooks }),
  };
}

/** Values as the history shows them: dates as ISO strings, absent as null. */
function historyValue(value: unknown): unknown {
  if (value === undefined) {
    return null;
  }
  return value instanceof Date ? value.toISOString() : value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(historyValue(a)) === JSON.stringify(historyValue(b));
}

/** The changes between two versions of some fields of a page: only the values that differ. */
export function changesBetween(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  paths: readonly string[],
): FieldChangeRecord[] {
  return paths
    .filter((path) => !same(before[path], after[path]))
    .map((path) => ({
      path,
      before: historyValue(before[path]),
      after: historyValue(after[path]),
    }));
}

/** One change record, values as the history shows them. */
export function change(path: string, before: unknown, after: unknown): FieldChangeRecord {
  return { path, before: historyValue(before), after: historyValue(after) };
}
