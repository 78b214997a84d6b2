import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ProcessingWorker } from '../processing/processing.worker.js';

/** Up while every processing loop of this process is running. */
@Injectable()
export class ProcessingHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly worker: ProcessingWorker,
  ) {}

  isRunning<const Key extends string>(key: Key) {
    const indicator = this.indicators.check(key);
    return this.worker.running
      ? indicator.up()
      : indicator.down({ message: 'The processing worker is not running' });
  }
}
