import { expectError } from '../support/expect-error.js';
import { useTestApp } from '../support/test-app.js';
import { http } from '../support/http.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';

describe('HTTP errors in the contract envelope', () => {
  const { testApp, api } = useTestApp();

  it.each([
    ['GET', '/nope'],
    ['GET', '/api/v1/unknown-resource'],
    ['GET', '/api/v2/ocr-invoice-job-pages'],
    ['POST', '/api/v1/ocr-invoice-job-pages/60f7b1b3e4b0e8b3f8b3f8b3/unknown'],
  ])('answers %s %s with 404 NOT_FOUND', async (method, path) => {
    const res = await http(testApp.baseUrl, method, path);
    expectError(res, 404, 'NOT_FOUND');
  });

  it.each([
    ['truncated JSON', '{"job": "60f7b1b3e4b0e8b3f8b3f8b4",'],
    ['a bare word', 'hello'],
    ['a prototype-poisoning key', '{"__proto__": {"polluted": true}, "pageNumber": 1}'],
    ['a constructor.prototype key', '{"constructor": {"prototype": {"polluted": true}}}'],
  ])(
    'answers a body with %s with 400 VALIDATION_ERROR and quotes nothing back',
    async (_n, raw) => {
      const res = await api.post(PAGES, undefined, {
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.message).toBe('Malformed JSON body');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('answers a JSON content type with an empty body with 400', async () => {
    const res = await api.post(PAGES, undefined, {
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'VALIDATION_ERROR');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/xml',
    'multipart/form-data; boundary=x',
  ])('answers a %s body with 415 UNSUPPORTED_MEDIA_TYPE', async (type) => {
    const res = await api.post(PAGES, undefined, {
      rawBody: 'job=60f7b1b3e4b0e8b3f8b3f8b4&pageNumber=1',
      headers: { 'content-type': type },
    });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a body over 1 MiB with 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const dto = buildCreatePageDto({ metadata: { blob: 'x'.repeat(1024 * 1024) } });
    const res = await api.post(PAGES, dto);
    expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    const list = await api.get(`${PAGES}?limit=100`);
    expect(list.body.data.some((p: { job: string }) => p.job === dto.job)).toBe(false);
  });

  it('answers a body nested deeper than 32 levels with 400, not a crash', async () => {
    const deep = `{"metadata":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await api.post(PAGES, undefined, {
      rawBody: deep,
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'VALIDATION_ERROR');
    expect((await api.get('/health')).status).toBe(200);
  });

  it('answers a JSON body that is not an object with 400', async () => {
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const res = await api.post(PAGES, undefined, {
        rawBody: raw,
        headers: { 'content-type': 'application/json' },
      });
      expectError(res, 400, 'VALIDATION_ERROR');
    }
  });

  it('does not quote the unknown URL, whose query string may hold a token', async () => {
    const res = await api.get('/api/v1/nope?token=SECRET-TOKEN');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Route not found');
  });

  it('tags every error with the request id', async () => {
    const a = await api.get('/nope');
    const b = await api.get('/nope');
    expect(a.body.error.requestId).not.toBe(b.body.error.requestId);
  });
});
