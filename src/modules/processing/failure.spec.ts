import { UnsupportedImageError } from './decode/unsupported-image.error.js';
import { FetchError } from './fetch/page-fetcher.js';
import { backoffMs, classifyFailure } from './failure.js';
import { PageProcessorCrashedError, PageTimeoutError } from './isolation/page-processor.errors.js';

describe('classifyFailure', () => {
  it.each([
    ['a 503', new FetchError('http-status', 'the server answered 503', true)],
    ['a timeout', new FetchError('timeout', 'no answer within 30 s', true)],
  ])('keeps %s transient, with the fetch message prefixed', (_name, error) => {
    expect(classifyFailure(error)).toEqual({
      message: `Fetching the page failed: ${error.message}`,
      transient: true,
    });
  });

  it.each([
    ['a 404', new FetchError('http-status', 'the server answered 404', false)],
    ['a too large body', new FetchError('too-large', 'the image is over 50 MB', false)],
  ])('keeps %s permanent, with the fetch message prefixed', (_name, error) => {
    expect(classifyFailure(error)).toEqual({
      message: `Fetching the page failed: ${error.message}`,
      transient: false,
    });
  });

  it.each<[string, FetchError, string]>([
    [
      'a blocked address',
      new FetchError('blocked-address', 'refused: a.example resolves to 10.96.0.1', false),
      'address not allowed',
    ],
    [
      'a refused connection',
      new FetchError('network', 'GET http://a.example:8080/ failed: ECONNREFUSED', true),
      'could not connect',
    ],
    [
      'a name that does not resolve',
      new FetchError('dns', 'x.internal does not resolve', false),
      'could not connect',
    ],
  ])('says only "%s" for the page, the details for the log', (_name, error, reason) => {
    expect(classifyFailure(error)).toEqual({
      message: `Fetching the page failed: ${reason}`,
      transient: error.transient,
      detail: error.message,
    });
  });

  it('fails an unreadable image permanently', () => {
    const error = new UnsupportedImageError('unsupported image format svg');
    expect(classifyFailure(error)).toEqual({
      message: 'The page could not be read: unsupported image format svg',
      transient: false,
    });
  });

  it.each([
    ['an Error', new Error('ECONNRESET mongodb://user:secret@db.internal:27017')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a thrown string', 'worker crashed: /srv/app/secret-path'],
    ['undefined', undefined],
  ])('retries %s with a generic message that leaks nothing of it', (_name, error) => {
    const failure = classifyFailure(error);
    expect(failure.transient).toBe(true);
    expect(failure.message).toBe('Processing failed unexpectedly; see the worker log');
    if (error instanceof Error) {
      expect(failure.message).not.toContain(error.message);
    }
    expect(failure.message).not.toMatch(/secret|ECONNRESET|undefined/);
  });
});

describe('backoffMs', () => {
  it('doubles the delay with each retry', () => {
    expect([1, 2, 3, 4].map((retry) => backoffMs(retry, 100))).toEqual([100, 200, 400, 800]);
  });

  it('uses the base delay for retry 0 or below', () => {
    expect(backoffMs(0, 250)).toBe(250);
    expect(backoffMs(-3, 250)).toBe(250);
  });

  it('scales with the base', () => {
    expect(backoffMs(5, 1000)).toBe(16_000);
  });
});

describe('classifyFailure: deadlines and dead page processors', () => {
  const overrun = new PageTimeoutError(60_000);
  const died = new PageProcessorCrashedError('SIGKILL');

  it.each([
    [
      overrun,
      'The page overran its time limit: processing took longer than the page time limit (60000 ms)',
    ],
    [died, 'The page processor died: the page processor stopped while reading the page (SIGKILL)'],
  ])('retries the first %s', (error, message) => {
    expect(classifyFailure(error, null)).toEqual({ message, transient: true });
    expect(classifyFailure(error, 'Fetching the page failed: the server answered 503')).toEqual({
      message,
      transient: true,
    });
  });

  it('fails a page for good when it overruns again', () => {
    const first = classifyFailure(overrun);
    expect(classifyFailure(overrun, first.message)).toEqual({
      message:
        'The page overran its time limit again: processing took longer than the page time limit (60000 ms)',
      transient: false,
    });
  });

  it('fails a page for good when its processor dies again', () => {
    const first = classifyFailure(died);
    expect(classifyFailure(died, first.message)).toMatchObject({ transient: false });
    // A different failure before does not count.
    expect(classifyFailure(died, classifyFailure(overrun).message)).toMatchObject({
      transient: true,
    });
  });
});
