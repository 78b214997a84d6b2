import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { configModuleOptions } from './config/index.js';
import { DatabaseModule } from './database/database.module.js';
import { ProcessingModule } from './modules/processing/processing.module.js';

/**
 * A processing worker without the HTTP API: `npm run worker`. Processing brings the webhooks
 * module, so the worker also sends webhook deliveries (WEBHOOKS_ENABLED).
 */
@Module({})
export class WorkerModule {
  static forRoot(): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(configModuleOptions()), DatabaseModule, ProcessingModule],
    };
  }
}
