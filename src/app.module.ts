import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from './common/auth/auth.module.js';
import { configModuleOptions } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { OcrInvoiceJobsModule } from './modules/ocr-invoice-jobs/ocr-invoice-jobs.module.js';
import { OcrPagesModule } from './modules/ocr-pages/ocr-pages.module.js';
import { ProcessingModule } from './modules/processing/processing.module.js';
import { WebhooksModule } from './modules/webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  /** The whole app. Built on demand so that configuration is read when the app starts. */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(configModuleOptions()),
        DatabaseModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        OcrPagesModule,
        OcrInvoiceJobsModule,
        ProcessingModule,
        WebhooksModule,
      ],
    };
  }
}
