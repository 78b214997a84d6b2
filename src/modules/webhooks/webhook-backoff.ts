/** The longest wait between two attempts, whatever the attempt count. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/**
 * Exponential backoff: the wait after failed attempt `attempt` (1-based) is
 * `baseMs × 2^(attempt−1)`, at most an hour. With the default base of 10 s the retries come after
 * 10 s, 20 s, 40 s, … so the first retry is within 30 s.
 */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}
