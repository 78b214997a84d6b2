import { PageStatus } from '../ocr-pages/ocr-page.enums.js';
import { isFinished, rollupOf } from './job-rollup.js';
import { JobStatus } from './ocr-invoice-job.enums.js';

const counts = (pending: number, processing: number, completed: number, failed: number) => ({
  [PageStatus.Pending]: pending,
  [PageStatus.Processing]: processing,
  [PageStatus.Completed]: completed,
  [PageStatus.Failed]: failed,
});
const NOW = new Date('2026-03-01T00:00:00Z');

describe('rollupOf', () => {
  it.each([
    ['no pages', counts(0, 0, 0, 0), 'pending', false],
    ['all pending', counts(3, 0, 0, 0), 'pending', false],
    ['one processing', counts(2, 1, 0, 0), 'processing', false],
    ['some done, some waiting', counts(1, 0, 2, 0), 'processing', false],
    ['all completed', counts(0, 0, 3, 0), 'completed', true],
    ['all failed', counts(0, 0, 0, 3), 'failed', true],
    ['finished with failures', counts(0, 0, 2, 1), 'partial', true],
  ])('%s → %s', (_, given, status, done) => {
    const rollup = rollupOf(given, NOW);
    expect(rollup.status).toBe(status);
    expect(rollup.completedAt).toEqual(done ? NOW : undefined);
    expect(rollup.pageCount).toBe(Object.values(given).reduce((a, b) => a + b, 0));
  });
});

describe('isFinished', () => {
  it.each([
    [JobStatus.Pending, false],
    [JobStatus.Processing, false],
    [JobStatus.Completed, true],
    [JobStatus.Failed, true],
    [JobStatus.Partial, true],
  ])('%s → %s', (status, finished) => {
    expect(isFinished(status)).toBe(finished);
  });
});
