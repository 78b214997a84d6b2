import { MAX_RETRY_DELAY_MS, retryDelayMs } from './webhook-backoff.js';

describe('retryDelayMs', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [4, 80_000],
  ])('after attempt %i waits %i ms with a 10 s base', (attempt, delay) => {
    expect(retryDelayMs(attempt, 10_000)).toBe(delay);
  });

  it('never waits more than an hour', () => {
    expect(retryDelayMs(30, 10_000)).toBe(MAX_RETRY_DELAY_MS);
  });
});
