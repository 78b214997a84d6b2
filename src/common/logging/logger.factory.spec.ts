import { Writable } from 'node:stream';
import { NodeEnv, type LogLevelName } from '../../config/index.js';
import { createRootLogger, PINO_LEVEL_OF } from './logger.factory.js';

function capture(): { destination: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { destination, lines };
}

describe('createRootLogger', () => {
  it.each<[LogLevelName, string]>([
    ['fatal', 'fatal'],
    ['error', 'error'],
    ['warn', 'warn'],
    ['log', 'info'],
    ['debug', 'debug'],
    ['verbose', 'trace'],
  ])('maps LOG_LEVEL=%s to pino level %s', (logLevel, pinoLevel) => {
    expect(PINO_LEVEL_OF[logLevel]).toBe(pinoLevel);
    const logger = createRootLogger(
      { NODE_ENV: NodeEnv.Test, LOG_LEVEL: logLevel },
      capture().destination,
    );
    expect(logger.level).toBe(pinoLevel);
  });

  it('writes JSON lines with the level name and an ISO time', () => {
    const { destination, lines } = capture();
    createRootLogger({ NODE_ENV: NodeEnv.Production, LOG_LEVEL: 'log' }, destination).info(
      { pageId: 'p1' },
      'stored',
    );
    expect(lines).toStrictEqual([
      expect.objectContaining({ level: 'info', msg: 'stored', pageId: 'p1' }),
    ]);
    expect(new Date(String(lines[0]?.time)).toISOString()).toBe(lines[0]?.time);
  });

  it('logs a request as its method and route pattern, never its URL', () => {
    const { destination, lines } = capture();
    const request = {
      method: 'GET',
      url: '/api/v1/ocr-invoice-job-pages?search=secret',
      routeOptions: { url: '/api/v1/ocr-invoice-job-pages' },
    };
    createRootLogger({ NODE_ENV: NodeEnv.Production, LOG_LEVEL: 'log' }, destination).info(
      { req: request },
      'x',
    );
    expect(lines[0]?.req).toStrictEqual({ method: 'GET', route: '/api/v1/ocr-invoice-job-pages' });
  });
});
