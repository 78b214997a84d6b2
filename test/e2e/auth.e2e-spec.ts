import { expectError } from '../support/expect-error.js';
import { useTestApp } from '../support/test-app.js';
import { createTestApp } from '../support/create-test-app.js';
import { createHash } from 'node:crypto';
import { client, http } from '../support/http.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';

const READ_KEY = 'e2e-read-only-key-5f1c';
const WRITE_KEY = 'e2e-read-write-key-8a2d';
const ADMIN_KEY = 'e2e-admin-key-c3b7';

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** API_KEYS as an operator writes it: hashes only. */
const API_KEYS = [
  `${sha256(READ_KEY)}:read`,
  `${sha256(WRITE_KEY)}:read+write`,
  `${sha256(ADMIN_KEY)}:admin`,
].join(',');

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const apiKeyHeader = (key: string) => ({ headers: { 'x-api-key': key } });

describe('API key authentication', () => {
  const { testApp, api } = useTestApp({ API_KEYS });

  async function createPage(): Promise<string> {
    const res = await api.post(PAGES, buildCreatePageDto(), bearer(WRITE_KEY));
    expect(res.status).toBe(201);
    return res.body.data._id as string;
  }

  describe('without a valid key', () => {
    it.each([
      ['GET', PAGES],
      ['POST', PAGES],
      ['GET', `${PAGES}/${objectId()}`],
      ['DELETE', `${PAGES}/${objectId()}`],
    ])(
      'answers %s %s without a key with 401 UNAUTHORIZED and WWW-Authenticate',
      async (method, path) => {
        const res = await http(testApp.baseUrl, method, path);
        expectError(res, 401, 'UNAUTHORIZED', []);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      },
    );

    it.each<[string, Record<string, string>]>([
      ['an unknown Bearer key', { authorization: 'Bearer not-a-configured-key' }],
      ['an unknown X-API-Key', { 'x-api-key': 'not-a-configured-key' }],
      ['a one-character key', { 'x-api-key': 'x' }],
      ['a 4 KiB key', { 'x-api-key': 'k'.repeat(4096) }],
      ['the configured hash instead of the key', { 'x-api-key': sha256(READ_KEY) }],
      ['a valid key with a suffix', { authorization: `Bearer ${READ_KEY}x` }],
      ['a valid key in another case', { 'x-api-key': READ_KEY.toUpperCase() }],
      ['a blank X-API-Key', { 'x-api-key': ' ' }],
    ])('answers %s with 401 UNAUTHORIZED', async (_label, headers) => {
      const res = await api.get(PAGES, { headers });
      expectError(res, 401, 'UNAUTHORIZED', []);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(res.body.error.message).toBe('Invalid API key');
    });

    it('does not take the key from Basic authentication', async () => {
      const basic = Buffer.from(`user:${READ_KEY}`).toString('base64');
      const res = await api.get(PAGES, { headers: { authorization: `Basic ${basic}` } });
      expectError(res, 401, 'UNAUTHORIZED', []);
    });

    it('never quotes the presented key back', async () => {
      const res = await api.get(PAGES, { headers: { 'x-api-key': 'secret-looking-value' } });
      expect(JSON.stringify(res.body)).not.toContain('secret-looking-value');
    });
  });

  describe('with a valid key', () => {
    it.each([
      ['Authorization: Bearer', bearer(READ_KEY)],
      ['X-API-Key', apiKeyHeader(READ_KEY)],
    ])('accepts the key as %s', async (_label, options) => {
      const res = await api.get(PAGES, options);
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
    });

    it('lets a read+write key create, read, change and delete a page', async () => {
      const created = await api.post(PAGES, buildCreatePageDto(), bearer(WRITE_KEY));
      expect(created.status).toBe(201);
      const id = created.body.data._id as string;
      expect((await api.get(`${PAGES}/${id}`, apiKeyHeader(WRITE_KEY))).status).toBe(200);
      expect(
        (await api.patch(`${PAGES}/${id}`, { pageType: 'summary' }, apiKeyHeader(WRITE_KEY)))
          .status,
      ).toBe(200);
      expect((await api.post(`${PAGES}/${id}/process`, undefined, bearer(WRITE_KEY))).status).toBe(
        202,
      );
      expect((await api.delete(`${PAGES}/${id}`, bearer(WRITE_KEY))).status).toBe(200);
    });

    it('lets an admin key do everything', async () => {
      const created = await api.post(PAGES, buildCreatePageDto(), bearer(ADMIN_KEY));
      expect(created.status).toBe(201);
      const id = created.body.data._id as string;
      expect((await api.get(`${PAGES}/${id}`, bearer(ADMIN_KEY))).status).toBe(200);
      expect((await api.delete(`${PAGES}/${id}`, bearer(ADMIN_KEY))).status).toBe(200);
    });

    it('checks the key before validating the body', async () => {
      expectError(await api.post(PAGES, { bogus: true }), 401, 'UNAUTHORIZED', []);
      expectError(await api.post(PAGES, { bogus: true }, bearer(READ_KEY)), 403, 'FORBIDDEN', []);
      const res = await api.post(PAGES, { bogus: true }, bearer(WRITE_KEY));
      expect(res.status).toBe(400);
    });

    it.each([
      ['malformed JSON', { rawBody: '{oops', headers: { 'content-type': 'application/json' } }],
      ['a non-JSON body', { rawBody: 'job=1', headers: { 'content-type': 'text/plain' } }],
      [
        'a body over the size limit',
        {
          rawBody: `{"a":"${'x'.repeat(1100 * 1024)}"}`,
          headers: { 'content-type': 'application/json' },
        },
      ],
    ])(
      'refuses %s from a client without a key with 401, before reading it',
      async (_name, options) => {
        expectError(await api.post(PAGES, undefined, options), 401, 'UNAUTHORIZED', []);
      },
    );
  });

  describe('scopes', () => {
    it.each<[string, (id: string) => [string, string, unknown]]>([
      ['POST', () => ['POST', PAGES, buildCreatePageDto()]],
      ['PUT', (id) => ['PUT', `${PAGES}/${id}`, buildCreatePageDto()]],
      ['PATCH', (id) => ['PATCH', `${PAGES}/${id}`, { pageType: 'summary' }]],
      ['DELETE', (id) => ['DELETE', `${PAGES}/${id}`, undefined]],
      ['POST /process', (id) => ['POST', `${PAGES}/${id}/process`, undefined]],
    ])(
      'answers %s with a read-only key with 403 FORBIDDEN and changes nothing',
      async (_l, build) => {
        const id = await createPage();
        const before = (await api.get(`${PAGES}/${id}`, bearer(READ_KEY))).body.data;
        const [method, path, body] = build(id);
        const res = await http(testApp.baseUrl, method, path, { body, ...bearer(READ_KEY) });
        expectError(res, 403, 'FORBIDDEN', []);
        expect(res.body.error.message).toContain('write');
        expect(res.headers.get('www-authenticate')).toBeNull();
        const after = await api.get(`${PAGES}/${id}`, bearer(READ_KEY));
        expect(after.status).toBe(200);
        expect(after.body.data).toEqual(before);
      },
    );
  });

  describe('open routes', () => {
    it('serves /health without a key', async () => {
      const res = await api.get('/health');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
    });

    it('serves /docs and /docs-json without a key when DOCS_PUBLIC is true (the default)', async () => {
      expect((await api.get('/docs')).status).toBe(200);
      expect((await api.get('/docs-json')).status).toBe(200);
    });

    it('declares both ways of sending the key in the OpenAPI document', async () => {
      const doc = (await api.get('/docs-json')).body;
      expect(doc.components.securitySchemes).toEqual({
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
        'api-key': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      });
      const create = doc.paths[PAGES].post;
      expect(create.security).toEqual(expect.arrayContaining([{ bearer: [] }, { 'api-key': [] }]));
      expect(create.responses).toHaveProperty('401');
      expect(create.responses).toHaveProperty('403');
      expect(doc.paths['/health'].get.security).toBeUndefined();
    });

    it('still answers an unknown route with 404', async () => {
      expectError(await api.get('/api/v1/unknown-resource'), 404, 'NOT_FOUND', []);
    });
  });
});

describe('API docs with DOCS_PUBLIC=false', () => {
  const { api } = useTestApp({ API_KEYS, DOCS_PUBLIC: 'false' });

  it.each(['/docs', '/docs/', '/docs-json', '/docs-json?x=1', '/docs/swagger-ui.css'])(
    'answers %s without a key with 401 UNAUTHORIZED',
    async (path) => {
      const res = await api.get(path);
      expectError(res, 401, 'UNAUTHORIZED', []);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    },
  );

  it('answers /docs-json with an unknown key with 401', async () => {
    expectError(await api.get('/docs-json', bearer('nope')), 401, 'UNAUTHORIZED', []);
  });

  it.each([
    ['/docs', bearer(READ_KEY)],
    ['/docs-json', apiKeyHeader(READ_KEY)],
    ['/docs-json', bearer(ADMIN_KEY)],
  ])('serves %s with a key', async (path, options) => {
    expect((await api.get(path, options)).status).toBe(200);
  });

  it('keeps /health open', async () => {
    expect((await api.get('/health')).status).toBe(200);
  });
});

describe('rate limiting', () => {
  // A key of its own per test, so that no test spends another's budget.
  const BUDGET_KEYS = ['limit-a', 'limit-b', 'limit-c', 'limit-d'].map((name) => `e2e-${name}-key`);
  const [OVER_LIMIT_KEY, ACROSS_ROUTES_KEY, FIRST_KEY, SECOND_KEY] = BUDGET_KEYS;
  const { api } = useTestApp({
    API_KEYS: [API_KEYS, ...BUDGET_KEYS.map((key) => `${sha256(key)}:read+write`)].join(','),
    RATE_LIMIT_MAX: '3',
    RATE_LIMIT_TTL_MS: '60000',
  });

  it('answers the request over the limit with 429 RATE_LIMITED and Retry-After', async () => {
    for (let i = 0; i < 3; i += 1) {
      const res = await api.get(PAGES, bearer(OVER_LIMIT_KEY));
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(2 - i));
    }
    const res = await api.get(PAGES, bearer(OVER_LIMIT_KEY));
    expectError(res, 429, 'RATE_LIMITED', []);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('counts one budget per key across routes and methods, sent either way', async () => {
    expect((await api.get(PAGES, apiKeyHeader(ACROSS_ROUTES_KEY))).status).toBe(200);
    expect((await api.post(PAGES, buildCreatePageDto(), bearer(ACROSS_ROUTES_KEY))).status).toBe(
      201,
    );
    expect((await api.get(`${PAGES}/${objectId()}`, bearer(ACROSS_ROUTES_KEY))).status).toBe(404);
    expectError(await api.get(PAGES, apiKeyHeader(ACROSS_ROUTES_KEY)), 429, 'RATE_LIMITED', []);
  });

  it('gives another key its own budget', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await api.get(PAGES, bearer(FIRST_KEY))).status).toBe(200);
    }
    expectError(await api.get(PAGES, bearer(FIRST_KEY)), 429, 'RATE_LIMITED', []);
    const other = await api.get(PAGES, bearer(SECOND_KEY));
    expect(other.status).toBe(200);
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('limits requests without a valid key per address, whatever made-up key they send', async () => {
    for (let i = 0; i < 3; i += 1) {
      expectError(await api.get(PAGES, bearer(`made-up-${i}`)), 401, 'UNAUTHORIZED', []);
    }
    expectError(await api.get(PAGES, bearer('made-up-3')), 429, 'RATE_LIMITED', []);
    expectError(await api.get(PAGES), 429, 'RATE_LIMITED', []);
  });

  it('never limits /health', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await api.get('/health')).status).toBe(200);
    }
  });
});

describe('start-up without API_KEYS', () => {
  it('refuses to start in production, naming API_KEYS', async () => {
    await expect(createTestApp({ NODE_ENV: 'production' })).rejects.toThrow(/API_KEYS/);
  });

  it('starts in production with keys, and requires them', async () => {
    const testApp = await createTestApp({ NODE_ENV: 'production', API_KEYS });
    try {
      const api = client(testApp.baseUrl);
      expectError(await api.get(PAGES), 401, 'UNAUTHORIZED', []);
      expect((await api.get(PAGES, bearer(READ_KEY))).status).toBe(200);
    } finally {
      await testApp.close();
    }
  });

  it('runs open outside production', async () => {
    const testApp = await createTestApp({ NODE_ENV: 'development' });
    try {
      const api = client(testApp.baseUrl);
      expect((await api.get(PAGES)).status).toBe(200);
      expect((await api.post(PAGES, buildCreatePageDto())).status).toBe(201);
    } finally {
      await testApp.close();
    }
  });
});
