import { getDefaultParser } from '@nestjs/config';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configModuleOptions } from './config.options.js';
import { validateEnvironment, type Environment } from './environment.js';

/**
 * The validated environment, for what is set up before the Nest app and its ConfigService exist:
 * the HTTP adapter (logger, request ids, proxy trust, timeouts). It reads what the ConfigModule
 * reads, in the same order: the process environment, then `.env` in the working directory for the
 * keys the process does not set (with the ConfigModule's own parser), `.env` ignored under
 * NODE_ENV=test. A bad key stops the start, as it would in the ConfigModule.
 */
export function loadEnvironment(): Environment {
  const envFile = resolve(process.cwd(), '.env');
  const fromFile =
    configModuleOptions().ignoreEnvFile || !existsSync(envFile)
      ? {}
      : getDefaultParser()(readFileSync(envFile));
  return validateEnvironment({ ...fromFile, ...process.env });
}
