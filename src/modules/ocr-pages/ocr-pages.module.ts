import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QueryModule } from '../../common/query/query.module.js';
import { OcrPagesController } from './ocr-pages.controller.js';
import { OcrPagesRepository } from './ocr-pages.repository.js';
import { OcrPagesService } from './ocr-pages.service.js';
import { PageChanges } from './page-changes.js';
import { PageProcessingPort } from './page-processing.port.js';
import { PageQueueSignal } from './page-queue.signal.js';
import { OcrPage, OcrPageSchema } from './schemas/ocr-page.schema.js';
import { PageHistoryEvent, PageHistoryEventSchema } from './schemas/page-history.schema.js';
import { PageEventsSignal, PageHistoryRelay } from './history/page-history.relay.js';
import { PageHistoryRepository } from './history/page-history.repository.js';
import { PageReviewService } from './review/page-review.service.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: OcrPage.name, schema: OcrPageSchema },
      { name: PageHistoryEvent.name, schema: PageHistoryEventSchema },
    ]),
    QueryModule,
    // Page events reach webhooks through the history relay.
    WebhooksModule,
  ],
  controllers: [OcrPagesController],
  providers: [
    OcrPagesService,
    OcrPagesRepository,
    PageQueueSignal,
    PageChanges,
    PageProcessingPort,
    PageReviewService,
    PageHistoryRepository,
    PageHistoryRelay,
    PageEventsSignal,
  ],
  // Processing claims and finishes pages through PageProcessingPort and listens for queued pages;
  // other modules follow page changes through PageChanges.
  exports: [OcrPagesService, PageQueueSignal, PageChanges, PageProcessingPort],
})
export class OcrPagesModule {}
