import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory.js';
import { ApiKeysService } from './common/auth/api-keys.service.js';
import { listenAddress } from './common/auth/open-mode.js';
import { enforceShutdownDeadline } from './common/lifecycle/shutdown-deadline.js';
import type { Environment } from './config/index.js';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  enforceShutdownDeadline(
    config.get('SHUTDOWN_TIMEOUT_MS', { infer: true }),
    new Logger('Shutdown'),
  );
  const logger = new Logger('Bootstrap');
  const port = config.get('PORT', { infer: true });
  const { host, warning } = listenAddress({
    host: config.get('HOST', { infer: true }),
    keysConfigured: app.get(ApiKeysService).enabled,
    AUTH_DISABLED: config.get('AUTH_DISABLED', { infer: true }),
  });
  if (warning) {
    logger.warn(warning);
  }
  await app.listen(port, host);
  const url = await app.getUrl();
  logger.log(`Listening on ${url} (Swagger UI at ${url}/docs)`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
