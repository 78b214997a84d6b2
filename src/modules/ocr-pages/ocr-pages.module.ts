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

@Module({
  imports: [
    MongooseModule.forFeature([{ name: OcrPage.name, schema: OcrPageSchema }]),
    QueryModule,
  ],
  controllers: [OcrPagesController],
  providers: [
    OcrPagesService,
    OcrPagesRepository,
    PageQueueSignal,
    PageChanges,
    PageProcessingPort,
  ],
  // Processing claims and finishes pages through PageProcessingPort and listens for queued pages;
  // other modules follow page changes through PageChanges.
  exports: [OcrPagesService, PageQueueSignal, PageChanges, PageProcessingPort],
})
export class OcrPagesModule {}
