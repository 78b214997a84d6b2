import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { QueryModule } from '../../common/query/query.module.js';
import { OcrPagesController } from './ocr-pages.controller.js';
import { OcrPagesRepository } from './ocr-pages.repository.js';
import { OcrPagesService } from './ocr-pages.service.js';
import { OcrPage, OcrPageSchema } from './schemas/ocr-page.schema.js';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: OcrPage.name, schema: OcrPageSchema }]),
    QueryModule,
  ],
  controllers: [OcrPagesController],
  providers: [OcrPagesService, OcrPagesRepository],
  exports: [OcrPagesService],
})
export class OcrPagesModule {}
