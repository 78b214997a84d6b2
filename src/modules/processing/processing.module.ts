import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { OcrPagesModule } from '../ocr-pages/ocr-pages.module.js';
import { PROCESSING_CLOCK, systemClock } from './claim/clock.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { PagePipeline } from './pipeline/page-pipeline.js';
import { ProcessingWorker } from './processing.worker.js';
import { OCR_ENGINE } from './recognize/ocr-engine.js';
import { TesseractOcrEngine } from './recognize/tesseract-ocr.engine.js';

/**
 * Reads pages: workers claim queued pages from MongoDB, fetch their image, preprocess it, run OCR,
 * extract invoice fields and line items, and store the results on the page. The OCR engine is
 * bound to the OCR_ENGINE token: provide another OcrEngine there to swap tesseract.js out.
 */
@Module({
  imports: [OcrPagesModule, MetricsModule, WebhooksModule],
  providers: [
    { provide: OCR_ENGINE, useClass: TesseractOcrEngine },
    PagePipeline,
    ProcessingWorker,
    { provide: PROCESSING_CLOCK, useValue: systemClock },
  ],
  exports: [ProcessingWorker],
})
export class ProcessingModule {}
