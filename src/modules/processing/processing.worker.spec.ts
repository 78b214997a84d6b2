import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { validateEnvironment, type Environment } from '../../config/index.js';
import type {
  CompletedPage,
  FailedPage,
  PageProcessingPort,
} from '../ocr-pages/page-processing.port.js';
import type { PageQueueSignal } from '../ocr-pages/page-queue.signal.js';
import type { JobDocuments } from '../ocr-invoice-jobs/job-documents.port.js';
import type { PageProcessorPool } from './isolation/page-processor.pool.js';
import { ProcessingWorker } from './processing.worker.js';

/** A driver error as MongoDB sends it for a document over its 16 MB limit. */
class MongoServerError extends Error {
  override name = 'MongoServerError';
  code = 10334;
}

describe('ProcessingWorker: results the database refuses', () => {
  const env = validateEnvironment({ PROCESSING_ENABLED: 'false' });
  const config = { get: (key: keyof Environment) => env[key] } as unknown as ConfigService<
    Environment,
    true
  >;
  const metrics = { observeCompleted: jest.fn(), countFailure: jest.fn() };
  const now = new Date('2026-03-01T12:00:00Z');

  function workerWith(complete: () => Promise<boolean>) {
    const pages = {
      complete: jest.fn(complete),
      fail: jest.fn((...args: [string, string, FailedPage]) => Promise.resolve(args.length > 0)),
    };
    const worker = new ProcessingWorker(
      pages as unknown as PageProcessingPort,
      {} as JobDocuments,
      {} as PageProcessorPool,
      {} as PageQueueSignal,
      config,
      metrics,
      { now: () => now },
    );
    return { worker, pages };
  }

  /** What a run would store (its content does not matter here). */
  const OUTPUT = {} as CompletedPage;

  const page = {
    _id: new Types.ObjectId(),
    retryCount: 0,
  } as unknown as Parameters<ProcessingWorker['storeResults']>[0];

  it('fails the page with a clear reason instead of leaving it to be claimed again', async () => {
    const { worker, pages } = workerWith(() =>
      Promise.reject(new MongoServerError('BSONObj size is invalid')),
    );
    const stored = await worker['storeResults'](page, 'token', OUTPUT, now);
    expect(stored).toBe(false);
    expect(pages.complete).toHaveBeenCalledTimes(1);
    expect(pages.fail).toHaveBeenCalledTimes(1);
    expect(pages.fail.mock.calls[0][2]).toMatchObject({
      errorLog: 'The results could not be stored; see the worker log',
    });
    expect(metrics.countFailure).toHaveBeenCalledWith(false);
  });

  it('leaves the page to its lease when the database is only unreachable', async () => {
    const unreachable = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
    const { worker, pages } = workerWith(() => Promise.reject(unreachable));
    const stored = await worker['storeResults'](page, 'token', OUTPUT, now);
    expect(stored).toBe(false);
    expect(pages.complete).toHaveBeenCalledTimes(1);
    expect(pages.fail).not.toHaveBeenCalled();
  });
});
