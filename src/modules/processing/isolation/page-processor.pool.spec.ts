import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PageProcessorPool } from './page-processor.pool.js';

describe('PageProcessorPool', () => {
  it('reports no failure for children stopped by a shutdown before they were ready', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const pool = new PageProcessorPool(
      new ConfigService({
        PROCESSING_ENABLED: true,
        PROCESSING_CONCURRENCY: 2,
        PROCESSING_PAGE_TIMEOUT_MS: 60_000,
        PROCESSING_MEMORY_LIMIT_MB: 512,
        PROCESSING_MAX_DOCUMENT_PAGES: 10,
        OCR_WORKER_RECYCLE_AFTER: 100,
        OCR_ENGINE: 'tesseract.js',
        OCR_LANGUAGES: [],
      }) as never,
    );
    try {
      pool.warmUp();
      const pids = pool.processIds();
      expect(pids).toHaveLength(2);
      await pool.onApplicationShutdown();
      // The children are gone, and their early exit was expected.
      for (const pid of pids) {
        expect(() => process.kill(pid, 0)).toThrow();
      }
      await new Promise((resolve) => setImmediate(resolve));
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
