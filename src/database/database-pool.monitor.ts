import { STATES, type Connection } from 'mongoose';

/** The database connection as seen by the app, for metrics. */
export interface DatabasePoolFigures {
  /** Pool connections open to the database (in use or idle). */
  open: number;
  /** Pool connections checked out by an operation right now. */
  inUse: number;
  /** Operations waiting for a pool connection. */
  waiting: number;
  /** The largest pool the driver may open (1 on jongodb, else MONGODB_MAX_POOL_SIZE). */
  maxPoolSize: number;
  /** Times the driver cleared the pool because the server became unreachable. */
  cleared: number;
  /** Mongoose's readyState: 0 disconnected, 1 connected, 2 connecting, 3 disconnecting. */
  readyState: number;
}

/**
 * Counts the driver's connection pool events (CMAP: created/closed, checked out/in, check-out
 * started/failed, cleared), which the MongoDB driver emits on its client. Attached when the
 * connection is created, before the client connects, so no event is missed.
 * https://www.mongodb.com/docs/drivers/node/current/monitoring-and-logging/monitoring/#connection-pool-events
 */
export class DatabasePoolMonitor {
  private connection: Connection | undefined;
  private maxPoolSize = 0;
  private created = 0;
  private closed = 0;
  private checkedOut = 0;
  private checkedIn = 0;
  private checkOutsStarted = 0;
  private checkOutsFailed = 0;
  private clearings = 0;

  /** Follows `connection`'s client; a new connection (a retried connect) starts from zero. */
  attach(connection: Connection, maxPoolSize: number): void {
    this.created = this.closed = this.checkedOut = this.checkedIn = 0;
    this.checkOutsStarted = this.checkOutsFailed = this.clearings = 0;
    this.connection = connection;
    this.maxPoolSize = maxPoolSize;
    const client = connection.getClient();
    client.on('connectionCreated', () => this.created++);
    client.on('connectionClosed', () => this.closed++);
    client.on('connectionCheckOutStarted', () => this.checkOutsStarted++);
    client.on('connectionCheckOutFailed', () => this.checkOutsFailed++);
    client.on('connectionCheckedOut', () => this.checkedOut++);
    client.on('connectionCheckedIn', () => this.checkedIn++);
    client.on('connectionPoolCleared', () => this.clearings++);
  }

  figures(): DatabasePoolFigures {
    return {
      open: Math.max(0, this.created - this.closed),
      inUse: Math.max(0, this.checkedOut - this.checkedIn),
      waiting: Math.max(0, this.checkOutsStarted - this.checkedOut - this.checkOutsFailed),
      maxPoolSize: this.maxPoolSize,
      cleared: this.clearings,
      readyState: this.connection?.readyState ?? STATES.disconnected,
    };
  }
}
