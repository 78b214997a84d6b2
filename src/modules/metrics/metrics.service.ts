import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/index.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DatabasePoolMonitor } from '../../database/database-pool.monitor.js';
import { OcrPagesService } from '../ocr-pages/ocr-pages.service.js';
import type { ProcessingMetrics } from './processing-metrics.js';

/** Content type of the Prometheus text exposition format served at /metrics. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** Server-side time limit of each page count made while scraping. */
const PAGE_COUNT_MAX_TIME_MS = 2000;
/** Mongoose's readyState for an open connection. */
const CONNECTED = 1;

const HTTP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PROCESSING_BUCKETS_S = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/**
 * The app's Prometheus metrics, in a registry of its own (not prom-client's global one), so that
 * several apps in one process (the e2e tests) never share or clash over metrics. Page counts and
 * database pool figures are read when scraped; HTTP and processing figures are recorded as they
 * happen.
 */
@Injectable()
export class MetricsService implements ProcessingMetrics {
  private readonly logger = new Logger(MetricsService.name);
  private readonly registry = new Registry();
  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its response, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS_S,
    registers: [this.registry],
  });
  private readonly processingDuration = new Histogram({
    name: 'ocr_processing_duration_seconds',
    help: 'Time from claiming a page to storing its results, for pages processed successfully.',
    buckets: PROCESSING_BUCKETS_S,
    registers: [this.registry],
  });
  private readonly processingFailures = new Counter({
    name: 'ocr_processing_failures_total',
    help: 'Failed processing attempts: transient (retried with backoff) or permanent (failed at once).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** The last page counts (or the counting in progress) and when they were asked for. */
  private pageCounts: { at: number; counts: Promise<Record<string, number>> } | undefined;
  private readonly pageCountTtlMs: number;

  constructor(
    private readonly pages: OcrPagesService,
    private readonly pool: DatabasePoolMonitor,
    config: ConfigService<Environment, true>,
  ) {
    this.pageCountTtlMs = config.get('METRICS_PAGE_COUNT_TTL_MS', { infer: true });
    collectDefaultMetrics({ register: this.registry });
    // Both kinds exist from the start, so that rate() sees the first failure.
    this.processingFailures.inc({ kind: 'transient' }, 0);
    this.processingFailures.inc({ kind: 'permanent' }, 0);
    this.registerPageCounts();
    this.registerPoolFigures();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  /** `route` is the route's pattern (`/api/v1/ocr-invoice-job-pages/:id`), never the raw URL. */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  observeCompleted(ms: number): void {
    this.processingDuration.observe(ms / 1000);
  }

  countFailure(transient: boolean): void {
    this.processingFailures.inc({ kind: transient ? 'transient' : 'permanent' });
  }

  /**
   * Pages by status, counted at most once per METRICS_PAGE_COUNT_TTL_MS however often (and however
   * many at once) scrapers ask: each count is a query on the database.
   */
  private countPages(): Promise<Record<string, number>> {
    const now = Date.now();
    if (!this.pageCounts || now - this.pageCounts.at >= this.pageCountTtlMs) {
      const counts = this.pages.countByStatus(PAGE_COUNT_MAX_TIME_MS);
      this.pageCounts = { at: now, counts };
      // A failed count is not kept: the next scrape tries again.
      counts.catch(() => {
        if (this.pageCounts?.counts === counts) {
          this.pageCounts = undefined;
        }
      });
    }
    return this.pageCounts.counts;
  }

  private registerPageCounts(): void {
    const { pool, logger } = this;
    const countPages = () => this.countPages();
    const gauge: Gauge<'status'> = new Gauge({
      name: 'ocr_pages',
      help: 'Pages stored, by status (counted when scraped, at most once per METRICS_PAGE_COUNT_TTL_MS).',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        gauge.reset();
        // While the database is away, a scrape answers at once, without page counts.
        if (pool.figures().readyState !== CONNECTED) {
          return;
        }
        try {
          const counts = await countPages();
          for (const [status, count] of Object.entries(counts)) {
            gauge.set({ status }, count);
          }
        } catch (error) {
          logger.warn(
            `Could not count pages for metrics: ${error instanceof Error ? error.name : 'error'}`,
          );
        }
      },
    });
  }

  private registerPoolFigures(): void {
    const { pool } = this;
    const connections: Gauge<'state'> = new Gauge({
      name: 'mongodb_pool_connections',
      help: 'Connections in the MongoDB driver pool: in_use (checked out by an operation) or idle.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const { open, inUse } = pool.figures();
        connections.set({ state: 'in_use' }, inUse);
        connections.set({ state: 'idle' }, Math.max(0, open - inUse));
      },
    });
    const waiting: Gauge = new Gauge({
      name: 'mongodb_pool_waiting_operations',
      help: 'Operations waiting for a connection from the MongoDB driver pool.',
      registers: [this.registry],
      collect() {
        waiting.set(pool.figures().waiting);
      },
    });
    const max: Gauge = new Gauge({
      name: 'mongodb_pool_max_connections',
      help: 'Largest number of connections the MongoDB driver pool may open.',
      registers: [this.registry],
      collect() {
        max.set(pool.figures().maxPoolSize);
      },
    });
    const cleared: Counter = new Counter({
      name: 'mongodb_pool_cleared_total',
      help: 'Times the driver cleared its pool because the database became unreachable.',
      registers: [this.registry],
      collect() {
        cleared.reset();
        cleared.inc(pool.figures().cleared);
      },
    });
    const state: Gauge = new Gauge({
      name: 'mongodb_connection_state',
      help: 'Database connection state: 0 disconnected, 1 connected, 2 connecting, 3 disconnecting.',
      registers: [this.registry],
      collect() {
        state.set(pool.figures().readyState);
      },
    });
  }
}
