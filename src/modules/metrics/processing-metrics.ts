/**
 * What the processing worker reports about its work. The metrics module provides it under
 * PROCESSING_METRICS, so that processing depends on this small interface, not on prom-client.
 */
export interface ProcessingMetrics {
  /** A page was processed and its results stored, `ms` after its processing started. */
  observeCompleted(ms: number): void;
  /** An attempt failed: `transient` (retried, or retries exhausted) or permanent (failed at once). */
  countFailure(transient: boolean): void;
}

export const PROCESSING_METRICS = Symbol('PROCESSING_METRICS');
