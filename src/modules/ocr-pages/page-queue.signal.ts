import { Injectable } from '@nestjs/common';
import { WakeSignal } from '../../common/background/wake-signal.js';

/**
 * Tells this process's processing workers that a page was just queued, so they start at once
 * instead of at their next poll. Workers in other processes find it by polling.
 */
@Injectable()
export class PageQueueSignal extends WakeSignal {}
