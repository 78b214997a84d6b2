import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppError } from '../../common/http/app-error.js';
import type { Environment } from '../../config/index.js';
import { parseBlockedRanges } from '../processing/fetch/address-guard.js';
import type { CreateWebhookDto } from './dto/create-webhook.dto.js';
import {
  WebhookDeliveriesRepository,
  type WebhookDeliveryRecord,
} from './webhook-deliveries.repository.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { webhookUrlProblem } from './webhook-url.js';
import { WebhooksRepository, type WebhookRecord } from './webhooks.repository.js';

const NOT_FOUND = 'Webhook not found';

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async create(dto: CreateWebhookDto): Promise<WebhookRecord> {
    const problem = await webhookUrlProblem(
      dto.url,
      this.config.get('FETCH_ALLOWED_HOSTS', { infer: true }),
      parseBlockedRanges(this.config.get('FETCH_BLOCKED_RANGES', { infer: true })),
    );
    if (problem !== undefined) {
      throw AppError.validation([{ field: 'url', message: problem }]);
    }
    return this.webhooks.create({
      url: dto.url,
      events: dto.events,
      secret: generateWebhookSecret(),
      ...(dto.description !== undefined && { description: dto.description }),
    });
  }

  list(skip: number, limit: number): Promise<{ items: WebhookRecord[]; total: number }> {
    return this.webhooks.list(skip, limit);
  }

  async findById(id: string): Promise<WebhookRecord> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) {
      throw AppError.notFound(NOT_FOUND);
    }
    return webhook;
  }

  /** Deletes the webhook and its deliveries: nothing more is sent to it. */
  async remove(id: string): Promise<WebhookRecord> {
    const webhook = await this.webhooks.delete(id);
    if (!webhook) {
      throw AppError.notFound(NOT_FOUND);
    }
    await this.deliveries.deleteForWebhook(webhook._id);
    return webhook;
  }

  async listDeliveries(
    id: string,
    skip: number,
    limit: number,
  ): Promise<{ items: WebhookDeliveryRecord[]; total: number }> {
    await this.findById(id);
    return this.deliveries.listForWebhook(id, skip, limit);
  }
}
