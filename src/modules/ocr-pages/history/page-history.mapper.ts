import type { PageHistoryEventDto } from '../dto/page-history.dto.js';
import type { PageHistoryRecord } from './page-history.repository.js';

/** The API's view of a stored history event (its internal ids and expiry left out). */
export function toPageHistoryEvent(event: PageHistoryRecord): PageHistoryEventDto {
  return {
    at: event.at.toISOString(),
    actor: event.actor,
    type: event.type,
    changes: event.changes.map((item) => ({
      path: item.path,
      before: item.before ?? null,
      after: item.after ?? null,
    })),
    ...(event.comment !== undefined && { comment: event.comment }),
  };
}
