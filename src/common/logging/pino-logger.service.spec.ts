import { Writable } from 'node:stream';
import { pino } from 'pino';
import { PinoLoggerService } from './pino-logger.service.js';

/** A Nest logger over a pino logger whose lines (parsed) land in `lines`. */
function logger(level = 'trace'): { service: PinoLoggerService; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()));
      callback();
    },
  });
  return { service: new PinoLoggerService(pino({ level }, destination)), lines };
}

describe('PinoLoggerService', () => {
  it.each<[keyof PinoLoggerService, number]>([
    ['fatal', 60],
    ['error', 50],
    ['warn', 40],
    ['log', 30],
    ['debug', 20],
    ['verbose', 10],
  ])('writes %s at pino level %i with the Nest context as a field', (method, level) => {
    const { service, lines } = logger();
    service[method]('hello', 'SomeService');
    expect(lines).toStrictEqual([
      expect.objectContaining({ level, msg: 'hello', context: 'SomeService' }),
    ]);
  });

  it('keeps the stack of an error apart from its context', () => {
    const { service, lines } = logger();
    service.error('it failed', 'Error: boom\n    at x (y.js:1:1)', 'ApiExceptionFilter');
    expect(lines[0]).toMatchObject({
      msg: 'it failed',
      stack: 'Error: boom\n    at x (y.js:1:1)',
      context: 'ApiExceptionFilter',
    });
    expect(lines[0]).not.toHaveProperty('params');
  });

  it('drops the undefined stack Nest passes for an error logged without one', () => {
    const { service, lines } = logger();
    service.error('it failed', undefined, 'Bootstrap');
    expect(lines[0]).toMatchObject({ msg: 'it failed', context: 'Bootstrap' });
    expect(lines[0]).not.toHaveProperty('stack');
    expect(lines[0]).not.toHaveProperty('params');
  });

  it('serialises an Error message with its stack', () => {
    const { service, lines } = logger();
    service.error(new Error('boom'), 'Worker');
    expect(lines[0]).toMatchObject({
      msg: 'boom',
      context: 'Worker',
      err: { type: 'Error', message: 'boom', stack: expect.stringContaining('Error: boom') },
    });
  });

  it('merges an object message into the line', () => {
    const { service, lines } = logger();
    service.log({ pageId: 'p1', durationMs: 12 }, 'ProcessingWorker');
    expect(lines[0]).toMatchObject({ pageId: 'p1', durationMs: 12, context: 'ProcessingWorker' });
  });

  it('logs without a context when none is given', () => {
    const { service, lines } = logger();
    service.log('plain');
    expect(lines[0]).toMatchObject({ msg: 'plain' });
    expect(lines[0]).not.toHaveProperty('context');
  });

  it("leaves filtering to pino's level", () => {
    const { service, lines } = logger('warn');
    service.log('hidden', 'A');
    service.debug('hidden', 'A');
    service.warn('shown', 'A');
    expect(lines.map((line) => line.msg)).toStrictEqual(['shown']);
  });
});
