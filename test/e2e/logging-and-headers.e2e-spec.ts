import { useTestApp } from '../support/test-app.js';
import { connect } from 'node:net';
import { http } from '../support/http.js';

const PAGES = '/api/v1/ocr-invoice-job-pages';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type LogLine = Record<string, unknown>;

/** A pino destination that keeps the app's log lines, parsed. */
class LogCapture {
  readonly lines: LogLine[] = [];

  write(line: string): void {
    this.lines.push(JSON.parse(line) as LogLine);
  }

  /** The request lines of one request id; the line is written once the response has gone out. */
  async requestLines(reqId: string): Promise<LogLine[]> {
    const find = () =>
      this.lines.filter((line) => line.reqId === reqId && line.msg === 'request completed');
    for (let waited = 0; find().length === 0 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return find();
  }
}

/** Sends raw bytes (for requests fetch would not send) and returns all the server answers. */
function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('close', () => resolve(received));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server closes the connection after answering; a reset after the answer is fine.
      if (error.code !== 'ECONNRESET') {
        reject(error);
      }
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.write(bytes);
  });
}

function expectApiSecurityHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('x-powered-by')).toBeNull();
}

describe('request ids, request logs and security headers (default configuration)', () => {
  const logs = new LogCapture();
  // LOG_LEVEL=log: request lines are written at pino's `info`.
  const { testApp, api } = useTestApp({ LOG_LEVEL: 'log' }, { logDestination: logs });

  describe('X-Request-Id', () => {
    it('echoes a well-formed id on a 200', async () => {
      const res = await api.get(PAGES, { headers: { 'x-request-id': 'trace-200.a:b_c-1' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe('trace-200.a:b_c-1');
    });

    it('echoes it on a 404 for an unknown route, and in error.requestId', async () => {
      const res = await api.get('/api/v1/nothing-here', {
        headers: { 'x-request-id': 'trace-404' },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toBe('trace-404');
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', requestId: 'trace-404' });
    });

    it('echoes it on a 415 raised by Fastify before routing', async () => {
      const res = await api.post(PAGES, undefined, {
        rawBody: 'hello',
        headers: { 'content-type': 'text/plain', 'x-request-id': 'trace-415' },
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('x-request-id')).toBe('trace-415');
      expect(res.body.error).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        requestId: 'trace-415',
      });
    });

    it('echoes it on a 413 for a body over the limit', async () => {
      const res = await api.post(PAGES, undefined, {
        rawBody: JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 1) }),
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-413' },
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('x-request-id')).toBe('trace-413');
      expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', requestId: 'trace-413' });
    });

    it('echoes it on a 400 from the router (a malformed route parameter), in the envelope', async () => {
      const res = await api.get(`${PAGES}/%E0%A4%A`, { headers: { 'x-request-id': 'trace-url' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-request-id')).toBe('trace-url');
      expect(res.body).toEqual({
        success: false,
        error: {
          code: 'VALIDATION_ERROR',
          message: 'Bad request',
          details: [],
          requestId: 'trace-url',
        },
      });
    });

    it.each([
      ['with a space and a newline', 'bad id\n'],
      ['over 128 characters', 'a'.repeat(129)],
      ['with markup', '<script>'],
      ['given twice', 'one, two'],
      ['with a semicolon', 'id;other'],
    ])('replaces an id %s with a generated UUID', async (_label, given) => {
      const res = await api.get('/api/v1/nothing-here', { headers: { 'x-request-id': given } });
      const id = res.headers.get('x-request-id');
      expect(id).toMatch(UUID);
      expect(res.body.error.requestId).toBe(id);
    });

    it('generates a different UUID for each request that brings none', async () => {
      const [first, second] = await Promise.all([api.get(PAGES), api.get(PAGES)]);
      expect(first.headers.get('x-request-id')).toMatch(UUID);
      expect(second.headers.get('x-request-id')).toMatch(UUID);
      expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    });
  });

  describe('security headers', () => {
    it.each<[string, () => Promise<{ status: number; headers: Headers }>, number]>([
      ['a list', () => api.get(PAGES), 200],
      ['a validation error', () => api.get(`${PAGES}?limit=0`), 400],
      ['an unknown route', () => api.get('/nothing-here'), 404],
      [
        'an unsupported media type',
        () =>
          api.post(PAGES, undefined, { rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
        415,
      ],
      ['the OpenAPI document', () => api.get('/docs-json'), 200],
    ])('are on %s', async (_label, send, status) => {
      const res = await send();
      expect(res.status).toBe(status);
      expectApiSecurityHeaders(res.headers);
    });

    it('give Swagger UI a policy it runs under: its own scripts, inline styles, data: images', async () => {
      const res = await api.get('/docs');
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(
        csp.split(';').map((directive) => {
          const [name = '', ...values] = directive.trim().split(/\s+/);
          return [name, values];
        }),
      );
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(directives['img-src']).toEqual(["'self'", 'data:']);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(directives).not.toHaveProperty('upgrade-insecure-requests');
      // script-src 'self' is enough only while the page has no inline script.
      const html = String(res.body);
      expect(html).toContain('swagger-ui-init.js');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('CORS (off by default)', () => {
    it('gives a cross-origin request no Access-Control-Allow-Origin', async () => {
      const res = await api.get(PAGES, { headers: { origin: 'https://app.example.com' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('does not answer a preflight', async () => {
      const res = await http(testApp.baseUrl, 'OPTIONS', PAGES, {
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
        },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('request log', () => {
    it('writes one JSON line per request: method, route pattern, status, duration, id', async () => {
      await api.get(`${PAGES}?limit=5&search=SECRET-QUERY-VALUE`, {
        headers: { 'x-request-id': 'log-list' },
      });
      const lines = await logs.requestLines('log-list');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'info',
        method: 'GET',
        route: '/api/v1/ocr-invoice-job-pages',
        statusCode: 200,
        responseTime: expect.any(Number),
        reqId: 'log-list',
      });
      expect(typeof lines[0]?.time).toBe('string');
    });

    it('logs the route pattern of a parameterised route, and null when no route matched', async () => {
      await api.get(`${PAGES}/60f7b1b3e4b0e8b3f8b3f8b4`, {
        headers: { 'x-request-id': 'log-one' },
      });
      await api.get('/api/v1/nothing-here?token=abc', { headers: { 'x-request-id': 'log-404' } });
      expect(await logs.requestLines('log-one')).toMatchObject([
        { route: '/api/v1/ocr-invoice-job-pages/:id', statusCode: 404 },
      ]);
      expect(await logs.requestLines('log-404')).toMatchObject([{ route: null, statusCode: 404 }]);
    });

    it('never logs query strings, bodies or URLs', async () => {
      await api.post(
        `${PAGES}?note=SECRET-QUERY-VALUE`,
        { job: 'SECRET-BODY-VALUE', invoiceTotal: 'SECRET-BODY-VALUE' },
        { headers: { 'x-request-id': 'log-post' } },
      );
      expect(await logs.requestLines('log-post')).toMatchObject([
        { method: 'POST', route: '/api/v1/ocr-invoice-job-pages', statusCode: 400 },
      ]);
      const everything = JSON.stringify(logs.lines);
      expect(everything).not.toContain('SECRET-QUERY-VALUE');
      expect(everything).not.toContain('SECRET-BODY-VALUE');
      expect(everything).not.toContain('token=abc');
      expect(everything).not.toContain('"url"');
    });

    it("writes Nest's own lines through the same logger, with their context", () => {
      expect(logs.lines).toContainEqual(
        expect.objectContaining({ level: 'info', context: 'RoutesResolver' }),
      );
    });
  });
});

describe('with CORS_ORIGINS and REQUEST_TIMEOUT_MS', () => {
  const ORIGIN = 'https://app.example.com';
  const { testApp, api } = useTestApp({
    CORS_ORIGINS: `${ORIGIN},http://localhost:5173`,
    REQUEST_TIMEOUT_MS: '500',
  });

  it('answers a preflight from a configured origin', async () => {
    const res = await http(testApp.baseUrl, 'OPTIONS', PAGES, {
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'content-type,if-match',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,if-match');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('x-request-id')).toMatch(UUID);
  });

  it('lets a configured origin read responses and the headers clients need', async () => {
    const res = await api.get(PAGES, { headers: { origin: 'http://localhost:5173' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect(res.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual([
      'ETag',
      'Location',
      'X-Request-Id',
      'Retry-After',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
      'Content-Disposition',
      'X-Missing-Business-Terms',
    ]);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expectApiSecurityHeaders(res.headers);
  });

  it('gives other origins no CORS headers', async () => {
    const res = await http(testApp.baseUrl, 'OPTIONS', PAGES, {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const get = await api.get(PAGES, { headers: { origin: 'https://evil.example.com' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a request whose body does not arrive in time with 408 REQUEST_TIMEOUT', async () => {
    const { host } = new URL(testApp.baseUrl);
    const started = Date.now();
    const answer = await rawExchange(
      testApp.baseUrl,
      `POST ${PAGES} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
        'Content-Length: 100\r\n\r\n{"job":',
    );
    expect(Date.now() - started).toBeLessThan(5000);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const requestId = /\r\nx-request-id: ([^\r\n]+)/i.exec(head)?.[1];
    expect(requestId).toMatch(UUID);
    expect(JSON.parse(body)).toEqual({
      success: false,
      error: {
        code: 'REQUEST_TIMEOUT',
        message: 'The request was not received in time',
        details: [],
        requestId,
      },
    });
  });

  it('answers malformed HTTP in the envelope too', async () => {
    const answer = await rawExchange(testApp.baseUrl, 'NOT HTTP AT ALL\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(JSON.parse(body)).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'Malformed HTTP request' },
    });
  });
});
