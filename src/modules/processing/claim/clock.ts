/**
 * The worker's clock: wall time for what it records (startedAt, retry times) and for measuring
 * how long a lease has stood still. Bound to PROCESSING_CLOCK so a worker can be given another
 * (e.g. one that runs ahead, to show that clock skew between workers does not matter).
 */
export interface Clock {
  now(): Date;
}

export const PROCESSING_CLOCK = Symbol('PROCESSING_CLOCK');

export const systemClock: Clock = { now: () => new Date() };
