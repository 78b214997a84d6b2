import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * Tells this process's processing workers that a page was just queued, so they start at once
 * instead of at their next poll. Workers in other processes find it by polling.
 */
@Injectable()
export class PageQueueSignal {
  private readonly emitter = new EventEmitter();

  notifyQueued(): void {
    this.emitter.emit('queued');
  }

  onQueued(listener: () => void): () => void {
    this.emitter.on('queued', listener);
    return () => this.emitter.off('queued', listener);
  }
}
