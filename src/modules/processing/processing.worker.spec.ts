import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { Types } from 'mongoose';
import { validateEnvironment, type Environment } from '../../config/index.js';
import type { OcrPageChange, OcrPagesRepository } from '../ocr-pages/ocr-pages.repository.js';
import { PageStatus } from '../ocr-pages/ocr-page.enums.js';
import type { PageQueueSignal } from '../ocr-pages/page-queue.signal.js';
import type { WebhookEventsService } from '../webhooks/webhook-events.service.js';
import type { PagePipeline } from './pipeline/page-pipeline.js';
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
  const events = { publishSafely: jest.fn() } as unknown as WebhookEventsService;
  const now = new Date('2026-03-01T12:00:00Z');

  function workerWith(
    finishClaim: (id: string, owner: string, change: OcrPageChange) => Promise<boolean>,
  ) {
    const pages: Partial<OcrPagesRepository> = { finishClaim: jest.fn(finishClaim) };
    const worker = new ProcessingWorker(
      pages as OcrPagesRepository,
      {} as PagePipeline,
      {} as PageQueueSignal,
      config,
      metrics,
      events,
      { now: () => now },
    );
    return { worker, finishClaim: pages.finishClaim as jest.Mock };
  }

  const page = {
    _id: new Types.ObjectId(),
    retryCount: 0,
  } as unknown as Parameters<ProcessingWorker['storeResults']>[0];

  it('fails the page with a clear reason instead of leaving it to be claimed again', async () => {
    const { worker, finishClaim } = workerWith((_id, _owner, change) =>
      change.$set?.status === PageStatus.Completed
        ? Promise.reject(new MongoServerError('BSONObj size is invalid'))
        : Promise.resolve(true),
    );
    const stored = await worker['storeResults'](
      page,
      'token',
      { $set: { status: PageStatus.Completed } },
      now,
    );
    expect(stored).toBe(false);
    expect(finishClaim).toHaveBeenCalledTimes(2);
    const failed = finishClaim.mock.calls[1][2] as OcrPageChange;
    expect(failed.$set).toMatchObject({
      status: PageStatus.Failed,
      errorLog: 'The results could not be stored; see the worker log',
    });
    expect(metrics.countFailure).toHaveBeenCalledWith(false);
  });

  it('leaves the page to its lease when the database is only unreachable', async () => {
    const unreachable = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
    const { worker, finishClaim } = workerWith(() => Promise.reject(unreachable));
    const stored = await worker['storeResults'](
      page,
      'token',
      { $set: { status: PageStatus.Completed } },
      now,
    );
    expect(stored).toBe(false);
    expect(finishClaim).toHaveBeenCalledTimes(1);
  });
});
