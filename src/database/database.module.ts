import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  InjectConnection,
  MongooseModule,
  type MongooseModuleFactoryOptions,
} from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Environment } from '../config/index.js';
import { DatabaseTarget, resolveDatabaseTarget } from './database-target.js';

@Module({
  providers: [
    {
      provide: DatabaseTarget,
      inject: [ConfigService],
      useFactory: resolveDatabaseTarget,
    },
  ],
  exports: [DatabaseTarget],
})
class DatabaseTargetModule {}

export function mongooseOptions(
  config: ConfigService<Environment, true>,
  target: DatabaseTarget,
): MongooseModuleFactoryOptions {
  return {
    uri: target.uri,
    dbName: config.get('MONGODB_DB_NAME', { infer: true }),
    maxPoolSize: target.requiresSingleConnection
      ? 1
      : config.get('MONGODB_MAX_POOL_SIZE', { infer: true }),
    serverSelectionTimeoutMS: config.get('MONGODB_SERVER_SELECTION_TIMEOUT_MS', { infer: true }),
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
      inject: [ConfigService, DatabaseTarget],
      useFactory: mongooseOptions,
    }),
  ],
  providers: [EmbeddedDatabaseShutdown],
  exports: [DatabaseTargetModule],
})
export class DatabaseModule {}
