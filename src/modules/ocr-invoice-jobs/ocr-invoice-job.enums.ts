export enum JobStatus {
  Pending = 'pending',
  Processing = 'processing',
  Completed = 'completed',
  Failed = 'failed',
  /** Finished, with some pages completed and some failed. */
  Partial = 'partial',
}
