import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { IdleWaits } from '../../common/background/idle-waits.js';
import type { Environment } from '../../config/index.js';
import { parseBlockedRanges, type Cidr } from '../processing/fetch/address-guard.js';
import { retryDelayMs } from './webhook-backoff.js';
import {
  WebhookDeliveriesRepository,
  type AttemptResult,
  type WebhookDeliveryRecord,
} from './webhook-deliveries.repository.js';
import { WebhookDispatchSignal } from './webhook-dispatch.signal.js';
import { sendWebhook, type SendOutcome } from './webhook-sender.js';
import { signDelivery } from './webhook-signature.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Sends stored deliveries: claim the next due attempt (an atomic update with a lease, so each
 * attempt is made by one sender across every process), sign it, POST it, record the outcome.
 * A non-2xx answer, a timeout or a refused address is retried with exponential backoff until
 * WEBHOOK_MAX_ATTEMPTS; a sender that dies mid-attempt leaves a lease that runs out, and the
 * delivery is taken up again. Deliveries are stored, so they survive restarts.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly idle = new IdleWaits();
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private unsubscribe: (() => void) | undefined;
  private readonly blockedRanges: Cidr[];

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly signal: WebhookDispatchSignal,
    private readonly config: ConfigService<Environment, true>,
  ) {
    this.blockedRanges = parseBlockedRanges(config.get('FETCH_BLOCKED_RANGES', { infer: true }));
  }

  private setting<K extends keyof Environment>(key: K): Environment[K] {
    return this.config.get(key, { infer: true });
  }

  onApplicationBootstrap(): void {
    if (this.setting('WEBHOOKS_ENABLED')) {
      this.start();
    }
  }

  /** Starts the senders (at boot when WEBHOOKS_ENABLED; stand-alone workers call it too). */
  start(): void {
    if (this.loops.length > 0) {
      return;
    }
    this.unsubscribe = this.signal.subscribe(() => this.idle.wakeAll());
    for (let slot = 0; slot < this.setting('WEBHOOK_CONCURRENCY'); slot++) {
      this.loops.push(this.loop());
    }
  }

  /** Stops claiming; attempts in progress end within WEBHOOK_TIMEOUT_MS (or their lease runs out). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.idle.wakeAll();
    await Promise.allSettled(this.loops);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const token = `${this.id}:${randomUUID().slice(0, 8)}`;
      let delivery: WebhookDeliveryRecord | null = null;
      try {
        delivery = await this.deliveries.claimNext(token, this.leaseMs(), new Date());
      } catch (error) {
        this.logger.warn(`Could not claim a delivery: ${errorName(error)}`);
      }
      if (delivery) {
        await this.attempt(delivery, token);
      } else if (!this.stopping) {
        await this.idle.wait(this.setting('WEBHOOK_POLL_INTERVAL_MS'));
      }
    }
  }

  /** An attempt's lease outlives its time limit, so a live sender never loses its claim. */
  private leaseMs(): number {
    return this.setting('WEBHOOK_TIMEOUT_MS') * 2 + 5000;
  }

  private async attempt(delivery: WebhookDeliveryRecord, token: string): Promise<void> {
    try {
      const webhook = await this.webhooks.findById(delivery.webhook.toHexString());
      const outcome: SendOutcome = webhook
        ? await sendWebhook(
            webhook.url,
            { ...signDelivery(webhook.secret, delivery.messageId, new Date(), delivery.payload) },
            delivery.payload,
            {
              timeoutMs: this.setting('WEBHOOK_TIMEOUT_MS'),
              allowedHosts: this.setting('FETCH_ALLOWED_HOSTS'),
              blockedRanges: this.blockedRanges,
            },
          )
        : { error: 'webhook deleted' };
      const result = this.resultOf(delivery, outcome, webhook !== null);
      await this.deliveries.finishAttempt(delivery._id, token, result);
      if (result.outcome !== 'delivered') {
        this.logger.warn(
          `Delivery ${delivery._id.toHexString()} attempt ${delivery.attempts} failed: ${result.error}`,
        );
      }
    } catch (error) {
      // The lease runs out and the attempt is made again.
      this.logger.warn(
        `Could not record delivery ${delivery._id.toHexString()}: ${errorName(error)}`,
      );
    }
  }

  private resultOf(
    delivery: WebhookDeliveryRecord,
    outcome: SendOutcome,
    webhookExists: boolean,
  ): AttemptResult {
    const now = new Date();
    if ('statusCode' in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300) {
      return { outcome: 'delivered', statusCode: outcome.statusCode, at: now };
    }
    const statusCode = 'statusCode' in outcome ? outcome.statusCode : undefined;
    const error =
      'error' in outcome ? outcome.error : `receiver answered ${String(outcome.statusCode)}`;
    if (!webhookExists || delivery.attempts >= this.setting('WEBHOOK_MAX_ATTEMPTS')) {
      return { outcome: 'failed', statusCode, error };
    }
    const delay = retryDelayMs(delivery.attempts, this.setting('WEBHOOK_RETRY_BASE_MS'));
    return {
      outcome: 'retry',
      statusCode,
      error,
      nextAttemptAt: new Date(now.getTime() + delay),
    };
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'error';
}
