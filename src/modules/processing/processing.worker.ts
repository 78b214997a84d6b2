import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IdleWaits } from '../../common/background/idle-waits.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Environment } from '../../config/index.js';
import { PROCESSING_METRICS, type ProcessingMetrics } from '../metrics/processing-metrics.js';
import type { OcrPageRecord } from '../ocr-pages/ocr-pages.repository.js';
import {
  PageProcessingPort,
  type CompletedPage,
  type FailedPage,
} from '../ocr-pages/page-processing.port.js';
import { PageQueueSignal } from '../ocr-pages/page-queue.signal.js';
import { PROCESSING_CLOCK, type Clock } from './claim/clock.js';
import { LeaseWatch } from './claim/lease-watch.js';
import { parseBlockedRanges } from './fetch/address-guard.js';
import { fetchPage, type FetchLimits } from './fetch/page-fetcher.js';
import { JobDocuments, type DocumentToSplit } from '../ocr-invoice-jobs/job-documents.port.js';
import { countPages } from './decode/decode-page.js';
import { UnsupportedImageError } from './decode/unsupported-image.error.js';
import { DocumentCache, documentPageOf } from './fetch/document-cache.js';
import { FetchError } from './fetch/page-fetcher.js';
import { PageProcessorPool } from './isolation/page-processor.pool.js';
import { backoffMs, classifyFailure } from './failure.js';
import {
  completedOutcome,
  failedOutcome,
  retryOutcome,
  type StoredOutputLimits,
} from './store/result-changes.js';

/** Leases looked at per claim when looking for abandoned ones. */
const MAX_WATCHED_LEASES = 500;

/** A driver error that says the database could not be reached (not that it refused the write). */
function isUnreachable(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return /Network|ServerSelection|PoolCleared|Timeout|NotConnected|Interrupted/i.test(name);
}

/** Why a page's processing was cut short by the worker itself. */
class Interrupted extends Error {
  constructor(readonly reason: 'lease-lost' | 'stopping') {
    super(reason);
  }
}

/**
 * Processes queued pages: claim (an atomic conditional update in MongoDB, with a lease renewed
 * while working) → fetch → page processor (a child process, see isolation/) → store. Runs
 * PROCESSING_CONCURRENCY loops in this process; any number of processes (the API, `npm run
 * worker`) can run it against one database, since a claim is one atomic operation and an
 * expired lease makes a crashed worker's page claimable.
 */
@Injectable()
export class ProcessingWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProcessingWorker.name);
  /** Identifies this worker's leases in the database. */
  readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly limits: FetchLimits;
  private readonly outputLimits: StoredOutputLimits;
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];
  /** Loops that have started and not ended (a loop ends only when stopping, or by a bug). */
  private runningLoops = 0;
  /** The loops' idle waits, ended early when a page is queued in this process or we stop. */
  private readonly idleWaits = new IdleWaits();
  private unsubscribe: (() => void) | undefined;
  private readonly leases = new LeaseWatch();
  /** Documents whose pages are read here (`#page=N`): fetched once, not once per page. */
  private readonly documents: DocumentCache;

  constructor(
    private readonly pages: PageProcessingPort,
    private readonly jobDocuments: JobDocuments,
    private readonly processors: PageProcessorPool,
    private readonly queue: PageQueueSignal,
    private readonly config: ConfigService<Environment, true>,
    @Inject(PROCESSING_METRICS) private readonly metrics: ProcessingMetrics,
    @Inject(PROCESSING_CLOCK) private readonly clock: Clock,
  ) {
    this.limits = {
      maxBytes: config.get('FETCH_MAX_BYTES', { infer: true }),
      timeoutMs: config.get('FETCH_TIMEOUT_MS', { infer: true }),
      maxRedirects: config.get('FETCH_MAX_REDIRECTS', { infer: true }),
      allowedHosts: config.get('FETCH_ALLOWED_HOSTS', { infer: true }),
      blockedRanges: parseBlockedRanges(config.get('FETCH_BLOCKED_RANGES', { infer: true })),
    };
    this.outputLimits = {
      maxWords: config.get('PAGE_MAX_WORDS', { infer: true }),
      maxBlocks: config.get('PAGE_MAX_BLOCKS', { infer: true }),
      maxTableCells: config.get('PAGE_MAX_TABLE_CELLS', { infer: true }),
      maxTextChars: config.get('PAGE_MAX_TEXT_CHARS', { infer: true }),
    };
    // Room for two documents at the largest size a fetch accepts, kept for one lease period.
    this.documents = new DocumentCache(
      2 * this.limits.maxBytes,
      config.get('PROCESSING_LEASE_MS', { infer: true }),
    );
  }

  private setting<K extends keyof Environment>(key: K): Environment[K] {
    return this.config.get(key, { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.setting('PROCESSING_ENABLED')) {
      return;
    }
    this.start();
  }

  /** Starts the loops (the API does at boot when PROCESSING_ENABLED; tests and workers call it). */
  start(): void {
    if (this.loops.length > 0) {
      return;
    }
    this.unsubscribe = this.queue.subscribe(() => this.idleWaits.wakeAll());
    this.processors.warmUp();
    const concurrency = this.setting('PROCESSING_CONCURRENCY');
    for (let slot = 0; slot < concurrency; slot++) {
      this.loops.push(this.loop());
    }
    this.logger.log(`Processing worker ${this.id} started (${concurrency} at a time)`);
  }

  /** Whether every loop started in this process is still running (for readiness). */
  get running(): boolean {
    return (
      this.loops.length > 0 &&
      this.runningLoops === this.loops.length &&
      !this.stopping.signal.aborted
    );
  }

  /**
   * Stops taking pages and interrupts the ones in progress at their next step; those are put
   * back in the queue for another worker. Runs before the OCR engine and database close.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    this.idleWaits.wakeAll();
    this.unsubscribe?.();
    // A page stops at its next step, but a step (a slow download, an OCR run) can take a while:
    // wait at most half the shutdown deadline, so that HTTP still drains and the database closes
    // in time. A page not handed back by then is taken up again when its lease expires.
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.setting('SHUTDOWN_TIMEOUT_MS') / 2);
    });
    await Promise.race([Promise.allSettled(this.loops), patience]);
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    this.runningLoops++;
    try {
      await this.work();
    } catch (error) {
      this.logger.error(
        'A processing loop stopped unexpectedly',
        error instanceof Error ? error.stack : String(error),
      );
    } finally {
      this.runningLoops--;
    }
  }

  private async work(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      if (await this.splitNextDocument()) {
        continue;
      }
      let page: OcrPageRecord | null = null;
      // Each claim has its own lease token, so two loops of this process never mistake one
      // claim of a page for another.
      const token = `${this.id}:${randomUUID().slice(0, 8)}`;
      try {
        page = await this.claim(token);
      } catch (error) {
        this.logger.warn(
          `Could not claim a page: ${error instanceof Error ? error.name : 'error'}`,
        );
      }
      if (page && this.stopping.signal.aborted) {
        // Claimed while shutting down: hand it straight back.
        await this.finish(String(page._id), token, (id, owner) => this.pages.release(id, owner));
      } else if (page) {
        await this.processClaimed(page, token);
      } else {
        await this.idle(this.setting('PROCESSING_POLL_INTERVAL_MS'));
      }
    }
  }

  /** A whole document, from this process's cache when another of its pages was just read. */
  private fetchDocument(url: string): ReturnType<typeof fetchPage> {
    const documentUrl = url.split('#', 1)[0];
    return this.documents.get(documentUrl, () => fetchPage(documentUrl, this.limits));
  }

  /**
   * Takes up one job whose document is still to be split into pages, if there is one: fetches
   * it (same guard and limits as a page), counts its pages (at most JOB_MAX_PAGES) and creates
   * one page per document page. True when there was one.
   */
  private async splitNextDocument(): Promise<boolean> {
    const owner = `${this.id}:${randomUUID().slice(0, 8)}`;
    let document: DocumentToSplit | null = null;
    try {
      document = await this.jobDocuments.claimNext(
        owner,
        this.setting('PROCESSING_LEASE_MS'),
        this.clock.now(),
      );
    } catch (error) {
      this.logger.warn(
        `Could not look for documents: ${error instanceof Error ? error.name : 'error'}`,
      );
    }
    if (!document) {
      return false;
    }
    try {
      const fetched = await this.fetchDocument(document.documentUrl);
      const pageCount = await countPages(fetched.body);
      const maxPages = this.setting('JOB_MAX_PAGES');
      if (pageCount > maxPages) {
        await this.jobDocuments.fail(
          document.id,
          owner,
          `The document has ${pageCount} pages, more than the ${maxPages} allowed (JOB_MAX_PAGES)`,
        );
      } else if (await this.jobDocuments.split(document, owner, pageCount)) {
        this.logger.log(`Job ${document.id}: document split into ${pageCount} page(s)`);
      }
    } catch (error) {
      const { message, transient } = documentFailure(error);
      if (transient && document.attempts <= this.setting('PROCESSING_MAX_RETRIES')) {
        this.logger.warn(`Job ${document.id}: ${message}; will try again`);
        await this.jobDocuments.retryLater(document.id, owner, message).catch(() => undefined);
      } else {
        this.logger.warn(`Job ${document.id} failed: ${message}`);
        await this.jobDocuments.fail(document.id, owner, message).catch(() => undefined);
      }
    }
    return true;
  }

  /**
   * A page whose worker stopped (its lease stood still for a whole lease period on this worker's
   * clock), else the oldest queued page that is due.
   */
  private async claim(token: string): Promise<OcrPageRecord | null> {
    const leaseMs = this.setting('PROCESSING_LEASE_MS');
    const now = this.clock.now();
    const held = await this.pages.heldLeases(MAX_WATCHED_LEASES, leaseMs);
    for (const stale of this.leases.abandoned(held, now.getTime())) {
      const taken = await this.pages.takeOverLease(stale, token, leaseMs, now);
      if (taken) {
        return taken;
      }
    }
    return this.pages.claimNext(token, leaseMs, now);
  }

  /** Waits for the poll interval, or less when a page is queued in this process or we stop. */
  private idle(ms: number): Promise<void> {
    return this.stopping.signal.aborted ? Promise.resolve() : this.idleWaits.wait(ms);
  }

  private async processClaimed(page: OcrPageRecord, token: string): Promise<void> {
    const id = String(page._id);
    const startedAt = page.startedAt ?? this.clock.now();
    const maxRetries = this.setting('PROCESSING_MAX_RETRIES');
    if (page.retryCount > maxRetries) {
      // Reclaimed after its worker died too often: a page that keeps killing workers.
      const failure = {
        message: `Gave up after ${maxRetries} retries: ${page.errorLog ?? 'worker stopped'}`,
        transient: false,
      };
      this.metrics.countFailure(false);
      await this.fail(
        page,
        token,
        failedOutcome(failure, startedAt, this.clock.now(), page.retryCount),
      );
      return;
    }
    const attempt = new AbortController();
    const leaseMs = this.setting('PROCESSING_LEASE_MS');
    const renewal = setInterval(
      () => {
        this.pages.renewLease(id, token, leaseMs, this.clock.now()).then(
          (held) => {
            if (!held) {
              attempt.abort(new Interrupted('lease-lost'));
            }
          },
          () => undefined,
        );
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    const onStop = (): void => attempt.abort(new Interrupted('stopping'));
    this.stopping.signal.addEventListener('abort', onStop);
    try {
      // A lost lease or a shutdown aborts a page's own download at once. A document shared by
      // its pages (`#page=N`) is not aborted for one of them: its time limit bounds it.
      const pageInDocument = documentPageOf(page.pageUrl);
      const fetched =
        pageInDocument === undefined
          ? await fetchPage(page.pageUrl, this.limits, { signal: attempt.signal })
          : await this.fetchDocument(page.pageUrl);
      attempt.signal.throwIfAborted();
      const result = await this.processors.process(
        fetched.body,
        attempt.signal,
        pageInDocument,
        String(page.job),
      );
      attempt.signal.throwIfAborted();
      const completedAt = this.clock.now();
      const stored = await this.storeResults(
        page,
        token,
        completedOutcome(result, startedAt, completedAt, this.outputLimits),
        startedAt,
      );
      if (stored) {
        const ms = completedAt.getTime() - startedAt.getTime();
        this.metrics.observeCompleted(ms);
        this.logger.log(`Page ${id} completed in ${ms} ms`);
      }
    } catch (error) {
      await this.handleFailure(
        page,
        token,
        startedAt,
        attempt.signal.aborted ? attempt.signal.reason : error,
      );
    } finally {
      clearInterval(renewal);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  private async handleFailure(
    page: OcrPageRecord,
    token: string,
    startedAt: Date,
    error: unknown,
  ): Promise<void> {
    const id = String(page._id);
    if (error instanceof Interrupted) {
      if (error.reason === 'stopping') {
        await this.finish(id, token, (pageId, owner) => this.pages.release(pageId, owner));
      }
      // A lost lease means the page changed hands or content: nothing of ours to store.
      return;
    }
    const failure = classifyFailure(error, page.errorLog);
    if (failure.detail !== undefined) {
      // The errorLog names a reference that finds these details in the log.
      const ref = randomUUID().slice(0, 8);
      this.logger.warn(`Page ${id} [ref ${ref}]: ${failure.detail}`);
      failure.message = `${failure.message} (ref ${ref})`;
    }
    this.metrics.countFailure(failure.transient);
    const retries = page.retryCount + 1;
    if (failure.transient && retries <= this.setting('PROCESSING_MAX_RETRIES')) {
      const delay = backoffMs(retries, this.setting('PROCESSING_RETRY_BASE_MS'));
      this.logger.warn(`Page ${id} failed (${failure.message}); retry ${retries} in ${delay} ms`);
      const retry = retryOutcome(failure, retries, new Date(this.clock.now().getTime() + delay));
      await this.finish(id, token, (pageId, owner) => this.pages.retryLater(pageId, owner, retry));
      return;
    }
    if (!(error instanceof Error) || failure.transient) {
      this.logger.error(
        `Page ${id} failed for good`,
        error instanceof Error ? error.stack : String(error),
      );
    } else {
      this.logger.warn(`Page ${id} failed: ${failure.message}`);
    }
    await this.fail(
      page,
      token,
      failedOutcome(failure, startedAt, this.clock.now(), page.retryCount),
    );
  }

  /**
   * Fails the page for good, if this claim still holds it (page.failed is written with it, see
   * PageProcessingPort).
   */
  private async fail(page: OcrPageRecord, token: string, failed: FailedPage): Promise<void> {
    await this.finish(String(page._id), token, (pageId, owner) =>
      this.pages.fail(pageId, owner, failed),
    );
  }

  /**
   * Stores a run's results. If the database refuses them (a document too large, a value it will
   * not take), the page fails with that reason at once: otherwise its lease would run out and it
   * would be claimed, processed and refused again and again.
   */
  private async storeResults(
    page: OcrPageRecord,
    token: string,
    output: CompletedPage,
    startedAt: Date,
  ): Promise<boolean> {
    const id = String(page._id);
    try {
      return await this.pages.complete(id, token, output);
    } catch (error) {
      if (isUnreachable(error)) {
        this.logger.warn(`Could not store the results of page ${id}: database unreachable`);
        return false;
      }
      this.logger.error(
        `The database refused the results of page ${id}`,
        error instanceof Error ? error.stack : String(error),
      );
      this.metrics.countFailure(false);
      const failure = {
        message: 'The results could not be stored; see the worker log',
        transient: false,
      };
      await this.fail(
        page,
        token,
        failedOutcome(failure, startedAt, this.clock.now(), page.retryCount),
      );
      return false;
    }
  }

  /** Ends the claim (`token`) with `end`, which stores only while the claim holds the lease. */
  private async finish(
    id: string,
    token: string,
    end: (id: string, owner: string) => Promise<boolean>,
  ): Promise<boolean> {
    try {
      return await end(id, token);
    } catch (error) {
      // The lease will expire and another worker will take the page up again.
      this.logger.warn(
        `Could not store the outcome of page ${id}: ${error instanceof Error ? error.name : 'error'}`,
      );
      return false;
    }
  }
}

/** Why a document could not be split, for the job's errorLog, and whether to try again. */
function documentFailure(error: unknown): { message: string; transient: boolean } {
  if (error instanceof FetchError) {
    return {
      message: `Fetching the document failed: ${error.message}`,
      transient: error.transient,
    };
  }
  if (error instanceof UnsupportedImageError) {
    return { message: `The document could not be read: ${error.message}`, transient: false };
  }
  return {
    message: 'Splitting the document failed unexpectedly; see the worker log',
    transient: true,
  };
}
