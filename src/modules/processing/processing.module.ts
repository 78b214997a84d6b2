import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OcrInvoiceJobsModule } from '../ocr-invoice-jobs/ocr-invoice-jobs.module.js';
import { OcrPagesModule } from '../ocr-pages/ocr-pages.module.js';
import { PROCESSING_CLOCK, systemClock } from './claim/clock.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { PageProcessorPool } from './isolation/page-processor.pool.js';
import { ProcessingWorker } from './processing.worker.js';

/**
 * Reads pages: workers claim queued pages from MongoDB, fetch their image, and hand the bytes to
 * a page-processor child process (decode, preprocess, OCR, extract, with a deadline); the results
 * are stored on the page. The OCR engine is chosen by OCR_ENGINE (see recognize/).
 */
@Module({
  imports: [OcrPagesModule, OcrInvoiceJobsModule, MetricsModule, WebhooksModule],
  providers: [
    PageProcessorPool,
    ProcessingWorker,
    { provide: PROCESSING_CLOCK, useValue: systemClock },
  ],
  exports: [ProcessingWorker, PageProcessorPool],
})
export class ProcessingModule {}
