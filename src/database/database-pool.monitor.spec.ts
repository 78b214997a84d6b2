import { EventEmitter } from 'node:events';
import type { Connection } from 'mongoose';
import { DatabasePoolMonitor } from './database-pool.monitor.js';

function attached(): { monitor: DatabasePoolMonitor; client: EventEmitter } {
  const client = new EventEmitter();
  const connection = { getClient: () => client, readyState: 1 } as unknown as Connection;
  const monitor = new DatabasePoolMonitor();
  monitor.attach(connection, 10);
  return { monitor, client };
}

function emit(client: EventEmitter, event: string, times = 1): void {
  for (let i = 0; i < times; i++) {
    client.emit(event, {});
  }
}

describe('DatabasePoolMonitor', () => {
  it('reports a disconnected, empty pool before it is attached', () => {
    expect(new DatabasePoolMonitor().figures()).toEqual({
      open: 0,
      inUse: 0,
      waiting: 0,
      maxPoolSize: 0,
      cleared: 0,
      readyState: 0,
    });
  });

  it('counts open, checked-out and waiting connections from the driver pool events', () => {
    const { monitor, client } = attached();
    emit(client, 'connectionCreated', 3);
    emit(client, 'connectionClosed');
    emit(client, 'connectionCheckOutStarted', 5);
    emit(client, 'connectionCheckedOut', 3);
    emit(client, 'connectionCheckOutFailed');
    emit(client, 'connectionCheckedIn', 2);
    emit(client, 'connectionPoolCleared');
    expect(monitor.figures()).toEqual({
      open: 2,
      inUse: 1,
      waiting: 1,
      maxPoolSize: 10,
      cleared: 1,
      readyState: 1,
    });
  });
});
