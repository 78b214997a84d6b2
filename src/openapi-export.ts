import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppModule } from './app.module.js';
import { buildOpenApiDocument, configureRouting } from './app.setup.js';

/**
 * `npm run openapi:export [file]`: writes the OpenAPI document generated from the decorators,
 * without a database or a listening port (Nest's preview mode builds the module graph only).
 */
async function exportDocument(file: string): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(),
    new FastifyAdapter(),
    {
      preview: true,
      logger: ['error'],
    },
  );
  configureRouting(app);
  const document = buildOpenApiDocument(app);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
}

exportDocument(resolve(process.argv[2] ?? 'openapi/openapi.json')).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
