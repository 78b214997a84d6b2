import { PageStatus } from '../ocr-pages/ocr-page.enums.js';
import { JobStatus } from './ocr-invoice-job.enums.js';
import type { JobRollup } from './ocr-invoice-jobs.repository.js';

/**
 * A job's status from how many of its pages are in each status: `pending` until a page starts,
 * `processing` while any is running or some are done and others wait, then `completed` (all
 * pages), `failed` (all pages) or `partial` (some of each).
 */
export function rollupOf(counts: Record<PageStatus, number>, now: Date): JobRollup {
  const pageCounts = {
    pending: counts[PageStatus.Pending],
    processing: counts[PageStatus.Processing],
    completed: counts[PageStatus.Completed],
    failed: counts[PageStatus.Failed],
  };
  const total =
    pageCounts.pending + pageCounts.processing + pageCounts.completed + pageCounts.failed;
  const finished = pageCounts.completed + pageCounts.failed;
  let status: JobStatus;
  if (total === 0 || pageCounts.pending === total) {
    status = JobStatus.Pending;
  } else if (finished < total) {
    status = JobStatus.Processing;
  } else if (pageCounts.failed === 0) {
    status = JobStatus.Completed;
  } else if (pageCounts.completed === 0) {
    status = JobStatus.Failed;
  } else {
    status = JobStatus.Partial;
  }
  const done = total > 0 && finished === total;
  return { status, pageCounts, pageCount: total, ...(done && { completedAt: now }) };
}

/** Whether every page of a job with this status has finished. */
export function isFinished(status: JobStatus): boolean {
  return (
    status === JobStatus.Completed || status === JobStatus.Failed || status === JobStatus.Partial
  );
}
