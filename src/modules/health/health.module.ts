import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ProcessingModule } from '../processing/processing.module.js';
import { HealthController } from './health.controller.js';
import { ProcessingHealthIndicator } from './processing.health.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }), ProcessingModule],
  controllers: [HealthController],
  providers: [ProcessingHealthIndicator],
})
export class HealthModule {}
