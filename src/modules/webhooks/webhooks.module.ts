import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookDispatchSignal } from './webhook-dispatch.signal.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEventsService } from './webhook-events.service.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';
import { WebhookDelivery, WebhookDeliverySchema } from './schemas/webhook-delivery.schema.js';
import { Webhook, WebhookSchema } from './schemas/webhook.schema.js';

/**
 * Webhook subscriptions (admin API), their stored deliveries and the dispatcher that sends them.
 * Other modules announce events through the exported WebhookEventsService.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Webhook.name, schema: WebhookSchema },
      { name: WebhookDelivery.name, schema: WebhookDeliverySchema },
    ]),
  ],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhookDispatchSignal,
    WebhookDispatcher,
    WebhookEventsService,
  ],
  exports: [WebhookEventsService, WebhookDispatcher],
})
export class WebhooksModule {}
