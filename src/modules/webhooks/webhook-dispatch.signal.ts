import { Injectable } from '@nestjs/common';
import { WakeSignal } from '../../common/background/wake-signal.js';

/** Wakes this process's idle webhook senders when a delivery is queued. */
@Injectable()
export class WebhookDispatchSignal extends WakeSignal {}
