import { pino, type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { NodeEnv, type Environment, type LogLevelName } from '../../config/index.js';

/** LOG_LEVEL (Nest's level names) as pino levels. */
export const PINO_LEVEL_OF: Record<LogLevelName, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** What a logged request may show: its method and route pattern, never its URL (query strings). */
interface LoggableRequest {
  method?: string;
  routeOptions?: { url?: string };
}

/**
 * The process's one logger: Fastify logs through it (with each request's id as `reqId`) and so
 * does Nest (see PinoLoggerService). JSON lines on stdout, except in development, where they are
 * pretty-printed. `destination` replaces stdout (tests read the lines from it), always JSON.
 *
 * Lines are written synchronously: pino's default stdout stream is asynchronous and is ended in
 * the first `exit` handler, which would drop lines logged at exit (the shutdown summary) or just
 * before `process.exit()`; a pino-pretty transport (a worker thread) would drop them too, so in
 * development pino-pretty runs as a stream in this thread.
 */
export function createRootLogger(
  env: Pick<Environment, 'NODE_ENV' | 'LOG_LEVEL'>,
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: PINO_LEVEL_OF[env.LOG_LEVEL],
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: {
      // Replaces Fastify's, which would log the URL with its query string.
      req: (request: LoggableRequest) => ({
        method: request.method,
        route: request.routeOptions?.url ?? null,
      }),
    },
  };
  if (destination) {
    return pino(options, destination);
  }
  if (env.NODE_ENV === NodeEnv.Development) {
    return pino(
      options,
      pinoPretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }),
    );
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}
