import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp } from './app.setup.js';

/** Creates the configured, not yet listening app: used by `main.ts` and by the e2e tests. */
export async function createApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(),
    new FastifyAdapter(),
    {
      // The JSON parser is registered by configureApp (JSON only, depth-limited).
      bodyParser: false,
      bufferLogs: true,
    },
  );
  return configureApp(app);
}
