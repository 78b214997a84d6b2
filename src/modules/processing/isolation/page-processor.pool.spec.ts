import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { corpusFixtureByName, renderFixture } from '../../../../corpus/fixture-set.js';
import { PageProcessorCrashedError, PageTimeoutError } from './page-processor.errors.js';
import { PageProcessorPool } from './page-processor.pool.js';
import {
  childrenRunning,
  tesseractChildren,
  tesseractInstalled,
  tesserocrInstalled,
} from '../../../../test/support/tesseract.js';

const SETTINGS = {
  PROCESSING_ENABLED: true,
  PROCESSING_CONCURRENCY: 1,
  PROCESSING_PAGE_TIMEOUT_MS: 60_000,
  PROCESSING_MEMORY_LIMIT_MB: 512,
  PROCESSING_RSS_LIMIT_MB: 2048,
  PROCESSING_MAX_DOCUMENT_PAGES: 10,
  OCR_WORKER_RECYCLE_AFTER: 100,
  OCR_ENGINE: 'tesseract.js',
  OCR_LANGUAGES: [],
};

describe('PageProcessorPool', () => {
  it("gives every child the language of the pool's last page as its first guess", async () => {
    const pool = new PageProcessorPool(
      new ConfigService({ ...SETTINGS, PROCESSING_CONCURRENCY: 2, OCR_LANGUAGES: ['de'] }) as never,
    );
    const german = await renderFixture(corpusFixtureByName('de-01-left-totals-de-png-200'));
    try {
      // The first page is read with English, found German, and read again with German.
      const first = await pool.process(german.image, new AbortController().signal);
      expect(first.language).toBe('de');
      expect(first.timings.ocrReads).toBe(2);
      // Two at once: one goes to the child that has not read a page yet, and it too reads German
      // first, as the pool's last page was.
      const next = await Promise.all([
        pool.process(german.image, new AbortController().signal),
        pool.process(german.image, new AbortController().signal),
      ]);
      expect(next.map((result) => [result.language, result.timings.ocrReads])).toEqual([
        ['de', 1],
        ['de', 1],
      ]);
    } finally {
      await pool.onApplicationShutdown();
    }
  }, 240_000);

  it("reads a page first in its own job's language, whatever page the pool read last", async () => {
    const pool = new PageProcessorPool(
      new ConfigService({ ...SETTINGS, OCR_LANGUAGES: ['de'] }) as never,
    );
    const english = await renderFixture(corpusFixtureByName('en-01-letter-uk-png-200'));
    const german = await renderFixture(corpusFixtureByName('de-01-left-totals-de-png-200'));
    const read = async (fixture: typeof english, job: string): Promise<[string, number]> => {
      const result = await pool.process(fixture.image, new AbortController().signal, 1, job);
      return [result.language, result.timings.ocrReads];
    };
    try {
      // Two customers' jobs, their pages taking turns: each job's first page tells its language.
      expect(await read(english, 'job-en')).toEqual(['en', 1]);
      expect(await read(german, 'job-de')).toEqual(['de', 2]);
      // The pool's last page was German; this English job's page is still read once.
      expect(await read(english, 'job-en')).toEqual(['en', 1]);
      expect(await read(german, 'job-de')).toEqual(['de', 1]);
      // A job with no page read yet starts from the pool's last page (German), as before.
      expect(await read(english, 'job-new')).toEqual(['en', 2]);
    } finally {
      await pool.onApplicationShutdown();
    }
  }, 240_000);

  it('kills a child whose resident memory passes PROCESSING_RSS_LIMIT_MB and fails its page', async () => {
    // No child with an OCR model loaded fits in 64 MiB: the first check kills it.
    const pool = new PageProcessorPool(
      new ConfigService({ ...SETTINGS, PROCESSING_RSS_LIMIT_MB: 64 }) as never,
    );
    const page = await sharp({
      create: { width: 1240, height: 1754, channels: 3, background: '#ffffff' },
    })
      .withDensity(150)
      .png()
      .toBuffer();
    try {
      const outcome = pool.process(page, new AbortController().signal);
      await expect(outcome).rejects.toBeInstanceOf(PageProcessorCrashedError);
      await expect(outcome).rejects.toThrow('it used more than 64 MiB of memory');
    } finally {
      await pool.onApplicationShutdown();
    }
  });

  (tesseractInstalled() ? it : it.skip)(
    'starts the next tesseract ahead of its page only where a core is left idle',
    async () => {
      const page = await renderFixture(corpusFixtureByName('en-01-letter-uk-png-200'));
      const cores = availableParallelism();
      const runningAfterAPage = async (concurrency: number): Promise<number[]> => {
        const pool = new PageProcessorPool(
          new ConfigService({
            ...SETTINGS,
            OCR_ENGINE: 'tesseract-cli',
            PROCESSING_CONCURRENCY: concurrency,
          }) as never,
        );
        try {
          const result = await pool.process(page.image, new AbortController().signal);
          expect(result.language).toBe('en');
          return pool.processIds().flatMap((pid) => tesseractChildren(pid));
        } finally {
          await pool.onApplicationShutdown();
        }
      };
      // One child with a core to spare: its next run waits, model loaded.
      expect(await runningAfterAPage(1)).toHaveLength(cores >= 2 ? 1 : 0);
      // A child per core: nothing runs ahead, to take its turn from the pages.
      expect(await runningAfterAPage(cores)).toEqual([]);
    },
    240_000,
  );

  (tesseractInstalled() && tesserocrInstalled() ? it : it.skip)(
    "reads pages with OCR_ENGINE=tesseract-api; a page's deadline ends its reading server too",
    async () => {
      const page = await renderFixture(corpusFixtureByName('de-04-credit-note-de-png-300-serif'));
      const serversOf = (pool: PageProcessorPool): number[] =>
        pool.processIds().flatMap((pid) => childrenRunning('python3', pid));
      const settings = { ...SETTINGS, OCR_ENGINE: 'tesseract-api', OCR_LANGUAGES: ['de'] };
      const pool = new PageProcessorPool(new ConfigService(settings) as never);
      try {
        await pool.onModuleInit();
        const result = await pool.process(page.image, new AbortController().signal);
        expect(result.language).toBe('de');
        expect(result.extractedFields.invoiceNumber?.value).toBe(page.truth.invoiceNumber);
        expect(result.extractedFields.totalAmount?.value).toBe(page.truth.totalAmount);
        expect(serversOf(pool)).toHaveLength(1);
      } finally {
        await pool.onApplicationShutdown();
      }

      // Far less time than reading a page takes: the child is killed, with its server.
      const hurried = new PageProcessorPool(
        new ConfigService({ ...settings, PROCESSING_PAGE_TIMEOUT_MS: 300 }) as never,
      );
      try {
        hurried.warmUp();
        // The child's warm-up read starts its server.
        let servers: number[] = [];
        for (let waited = 0; servers.length === 0 && waited < 30_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          servers = serversOf(hurried);
        }
        expect(servers).toHaveLength(1);
        await expect(
          hurried.process(page.image, new AbortController().signal),
        ).rejects.toBeInstanceOf(PageTimeoutError);
        const running = (): boolean =>
          servers.some((pid) => {
            try {
              process.kill(pid, 0);
              return true;
            } catch {
              return false;
            }
          });
        // Gone a moment later, once reaped.
        for (let waited = 0; running() && waited < 5_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(running()).toBe(false);
      } finally {
        await hurried.onApplicationShutdown();
      }
    },
    240_000,
  );

  it('reports no failure for children stopped by a shutdown before they were ready', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const pool = new PageProcessorPool(
      new ConfigService({ ...SETTINGS, PROCESSING_CONCURRENCY: 2 }) as never,
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
