import type { ConfigModuleOptions } from '@nestjs/config';
import { validateEnvironment } from './environment.js';

/**
 * Options for the global ConfigModule, read when the app module is built (not at import), so that
 * each app built in a process sees the environment of its time. Tests run on the environment they
 * are given and ignore a developer's `.env`, which could point them at a real database.
 */
export function configModuleOptions(): ConfigModuleOptions {
  return {
    isGlobal: true,
    cache: true,
    ignoreEnvFile: process.env.NODE_ENV === 'test',
    validate: validateEnvironment,
  };
}
