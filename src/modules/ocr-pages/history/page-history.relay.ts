import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IdleWaits } from '../../../common/background/idle-waits.js';
import { WakeSignal } from '../../../common/background/wake-signal.js';
import type { Environment } from '../../../config/index.js';
import { WebhookEventsService } from '../../webhooks/webhook-events.service.js';
import { OcrPagesRepository, type OcrPageRecord } from '../ocr-pages.repository.js';
import { PageHistoryRepository } from './page-history.repository.js';

/** Pages relayed per round. */
const BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Tells this process's relay that a page has events to relay. */
@Injectable()
export class PageEventsSignal extends WakeSignal {}

/**
 * Moves page events from the pages' outboxes into the history collection, queues the webhook
 * events they carry, then removes them from the page; a deleted page is removed once its last
 * events are out, and its history is set to expire after HISTORY_RETENTION_DAYS.
 *
 * Every step can be repeated after a crash without harm: history events are upserted by their
 * id, webhook deliveries are queued once per event id (WebhookEventsService.publishOnce), and an
 * event leaves the outbox only after both. Any number of processes may relay the same page.
 * Requests relay their page at once (so a page's history reads its own writes); the loop here
 * picks up the rest: events of other processes, or left by a crash.
 */
@Injectable()
export class PageHistoryRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PageHistoryRelay.name);
  private readonly idle = new IdleWaits();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly pages: OcrPagesRepository,
    private readonly history: PageHistoryRepository,
    private readonly webhooks: WebhookEventsService,
    private readonly signal: PageEventsSignal,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.signal.subscribe(() => this.idle.wakeAll());
    this.loop = this.run();
  }

  /** Stops the loop after its current round; events left are relayed by the next start. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.idle.wakeAll();
    await this.loop;
  }

  /** Wakes the loop: events were written that no request relays itself. */
  notify(): void {
    this.signal.notify();
  }

  /**
   * Relays one page's events now (a request that changed it). A failure is logged, not thrown:
   * the change and its events are stored, and the loop relays them later.
   */
  async relayPage(id: string): Promise<void> {
    try {
      for (const page of await this.pages.withPendingEvents(1, { id })) {
        await this.relay(page);
      }
    } catch (error) {
      this.logger.warn(`Could not relay the events of page ${id}: ${errorName(error)}`);
      this.signal.notify();
    }
  }

  /**
   * Relays the events of a job's pages now (its pages were just deleted: removed at once, their
   * page numbers are free for the job's pages created next). A failure is logged, not thrown.
   */
  async relayJob(job: string): Promise<void> {
    try {
      for (;;) {
        const pages = await this.pages.withPendingEvents(BATCH, { job });
        for (const page of pages) {
          await this.relay(page);
        }
        if (pages.length < BATCH) {
          return;
        }
      }
    } catch (error) {
      this.logger.warn(`Could not relay the events of job ${job}'s pages: ${errorName(error)}`);
      this.signal.notify();
    }
  }

  /** Relays every page with events, BATCH at a time; how many pages it relayed. */
  async relayAll(): Promise<number> {
    let relayed = 0;
    for (;;) {
      const pages = await this.pages.withPendingEvents(BATCH);
      for (const page of pages) {
        await this.relay(page);
      }
      relayed += pages.length;
      if (pages.length < BATCH || this.stopping) {
        return relayed;
      }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.relayAll();
      } catch (error) {
        this.logger.warn(`Could not relay page events: ${errorName(error)}`);
      }
      if (!this.stopping) {
        await this.idle.wait(this.config.get('HISTORY_RELAY_INTERVAL_MS', { infer: true }));
      }
    }
  }

  private async relay(page: OcrPageRecord): Promise<void> {
    const id = String(page._id);
    const events = Object.values(page.outbox ?? {}).sort((a, b) => a.at.getTime() - b.at.getTime());
    await this.history.store(id, events);
    for (const event of events) {
      for (const webhook of event.webhooks ?? []) {
        await this.webhooks.publishOnce(event.id, webhook.type, webhook.data, event.at);
      }
    }
    if (page.deletedAt) {
      const retentionDays = this.config.get('HISTORY_RETENTION_DAYS', { infer: true });
      await this.history.expire(id, new Date(page.deletedAt.getTime() + retentionDays * DAY_MS));
    }
    for (const event of events) {
      await this.pages.removeRelayed(page._id, event.id);
    }
    if (page.deletedAt) {
      await this.pages.purgeDeleted(page._id);
    }
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}
