import type { LoggerService } from '@nestjs/common';
import type { BaseLogger, Level } from 'pino';

/** The part of a pino logger (or of Fastify's, which is one) that Nest's lines need. */
export type PinoSink = Pick<BaseLogger, Level>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Nest's `Logger` written through pino, so that `new Logger(SomeClass.name)` lines share the
 * stream, format and level of Fastify's request lines. The Nest context becomes the `context`
 * field; `log` is pino's `info` and `verbose` its `trace`.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: PinoSink) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest calls `(message, ...params, context)`, the context last when there is one, and
   * `error(message, stack, context)` for errors (stack possibly undefined), as its ConsoleLogger
   * reads them.
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest.at(-1) === 'string') {
      fields.context = rest.pop();
    }
    if (level === 'error' || level === 'fatal') {
      const stack = rest[0];
      if (typeof stack === 'string' || (stack === undefined && rest.length > 0)) {
        rest.shift();
        if (stack !== undefined) {
          fields.stack = stack;
        }
      }
    }
    if (rest.length > 0) {
      fields.params = rest;
    }
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (isRecord(message)) {
      this.logger[level]({ ...message, ...fields });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
