import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QueryModule } from '../../common/query/query.module.js';
import { OcrPagesModule } from '../ocr-pages/ocr-pages.module.js';
import { WebhooksModule } from '../webhooks/webhooks.module.js';
import { JobDocuments } from './job-documents.port.js';
import { OcrInvoiceJobsController } from './ocr-invoice-jobs.controller.js';
import { OcrInvoiceJobsRepository } from './ocr-invoice-jobs.repository.js';
import { OcrInvoiceJobsService } from './ocr-invoice-jobs.service.js';
import { OcrInvoiceJob, OcrInvoiceJobSchema } from './schemas/ocr-invoice-job.schema.js';

/**
 * Invoice jobs: a document (or a list of page URLs) whose pages make one invoice. Follows page
 * changes to keep each job's status and counts (announcing `job.completed`), and assembles the invoice from the pages.
 * Processing splits documents through JobDocuments.
 */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: OcrInvoiceJob.name, schema: OcrInvoiceJobSchema }]),
    QueryModule,
    OcrPagesModule,
    WebhooksModule,
  ],
  controllers: [OcrInvoiceJobsController],
  providers: [OcrInvoiceJobsService, OcrInvoiceJobsRepository, JobDocuments],
  exports: [JobDocuments],
})
export class OcrInvoiceJobsModule {}
