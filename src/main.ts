import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory.js';
import { enforceShutdownDeadline } from './common/lifecycle/shutdown-deadline.js';
import type { Environment } from './config/index.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  enforceShutdownDeadline(
    config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }),
    new Logger('Shutdown'),
  );
  const port = config.get('PORT', { infer: true });
  const host = config.get('HOST', { infer: true });
  await app.listen(port, host);
  const url = await app.getUrl();
  new Logger('Bootstrap').log(`Listening on ${url} (Swagger UI at ${url}/docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
