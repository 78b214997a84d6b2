import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  InjectConnection,
  MongooseModule,
  type MongooseModuleFactoryOptions,
} from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Environment } from '../config/index.js';
import { DatabasePoolMonitor } from './database-pool.monitor.js';
import { DatabaseTarget, resolveDatabaseTarget } from './database-target.js';

@Module({
  providers: [
    {
      provide: DatabaseTarget,
      inject: [ConfigService],
      useFactory: resolveDatabaseTarget,
    },
    { provide: DatabasePoolMonitor, useFactory: () => new DatabasePoolMonitor() },
  ],
  exports: [DatabaseTarget, DatabasePoolMonitor],
})
class DatabaseTargetModule {}

export function mongooseOptions(
  config: ConfigService<Environment, true>,
  target: DatabaseTarget,
  pool: DatabasePoolMonitor,
): MongooseModuleFactoryOptions {
  const maxPoolSize = target.requiresSingleConnection
    ? 1
    : config.get('MONGODB_MAX_POOL_SIZE', { infer: true });
  return {
    uri: target.uri,
    dbName: config.get('MONGODB_DB_NAME', { infer: true }),
    maxPoolSize,
    waitQueueTimeoutMS: config.get('MONGODB_WAIT_QUEUE_TIMEOUT_MS', { infer: true }),
    serverSelectionTimeoutMS: config.get('MONGODB_SERVER_SELECTION_TIMEOUT_MS', { infer: true }),
    heartbeatFrequencyMS: config.get('MONGODB_HEARTBEAT_FREQUENCY_MS', { infer: true }),
    // A write is acknowledged only once a majority of the replica set has it in its on-disk
    // journal, so an acknowledged page survives a primary failover or a crash. A standalone
    // server (and jongodb, which keeps data in memory) accepts the same concern as "applied".
    // wtimeout: a majority that cannot be reached (a member down) fails the write, instead of
    // holding the request until the client gives up.
    writeConcern: { w: 'majority', journal: true, wtimeoutMS: 10_000 },
    // Pool figures for /metrics, counted from the driver's events from the first connection on.
    onConnectionCreate: (connection) => pool.attach(connection, maxPoolSize),
    // Collections are created by their first write or by createIndexes: some engines lack `create`.
    autoCreate: false,
    // Indexes are built explicitly at startup by each repository, so a failure stops the boot.
    autoIndex: false,
    // Fail fast with 503 while the database is away instead of queueing requests in memory.
    bufferCommands: false,
  };
}

/** Closes the connection before the embedded server it talks to goes away. */
@Injectable()
class EmbeddedDatabaseShutdown implements OnApplicationShutdown {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(DatabaseTarget) private readonly target: DatabaseTarget,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.target.stopEmbedded();
  }
}

@Module({
  imports: [
    DatabaseTargetModule,
    MongooseModule.forRootAsync({
      imports: [DatabaseTargetModule],
      inject: [ConfigService, DatabaseTarget, DatabasePoolMonitor],
      useFactory: mongooseOptions,
    }),
  ],
  providers: [EmbeddedDatabaseShutdown],
  exports: [DatabaseTargetModule],
})
export class DatabaseModule {}
