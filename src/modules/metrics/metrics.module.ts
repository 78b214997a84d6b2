import { Module } from '@nestjs/common';
import { DatabaseModule } from '../../database/database.module.js';
import { OcrPagesModule } from '../ocr-pages/ocr-pages.module.js';
import { HttpMetricsHook } from './http-metrics.hook.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { PROCESSING_METRICS } from './processing-metrics.js';

/**
 * Prometheus metrics at GET /metrics. Processing reports through PROCESSING_METRICS (the small
 * ProcessingMetrics interface), so this module depends on the pages, never on processing.
 */
@Module({
  imports: [DatabaseModule, OcrPagesModule],
  controllers: [MetricsController],
  providers: [
    MetricsService,
    HttpMetricsHook,
    { provide: PROCESSING_METRICS, useExisting: MetricsService },
  ],
  exports: [MetricsService, PROCESSING_METRICS],
})
export class MetricsModule {}
