import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { EmbeddedEngine } from '../../src/database/embedded/embedded-engine.js';
import { startEmbeddedEngine } from '../../src/database/embedded/start-embedded-engine.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, http, type Client } from '../support/http.js';
import { buildCreatePageDto, objectId, PAGES } from '../support/fixtures/pages.js';
import { waitUntil } from '../support/wait.js';

const READ_KEY = 'hardening-read-key';
const WRITE_KEY = 'hardening-write-only-key';
const METRICS_KEY = 'hardening-metrics-key';
const ADMIN_KEY = 'hardening-admin-key';
const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex');
const API_KEYS = [
  `${sha256(READ_KEY)}:read`,
  `${sha256(WRITE_KEY)}:write`,
  `${sha256(METRICS_KEY)}:metrics`,
  `${sha256(ADMIN_KEY)}:admin`,
].join(',');
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('scopes, /metrics and anonymous bodies', () => {
  let testApp: TestApp;
  let api: Client;

  beforeAll(async () => {
    testApp = await createTestApp({ API_KEYS, METRICS_PAGE_COUNT_TTL_MS: '60000' });
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('write implies read', () => {
    it('lets a write-only key read the page it may change, and every write answers with it', async () => {
      const created = await api.post(PAGES, buildCreatePageDto(), bearer(WRITE_KEY));
      expect(created.status).toBe(201);
      const id = created.body.data._id as string;

      const read = await api.get(`${PAGES}/${id}`, bearer(WRITE_KEY));
      expect(read.status).toBe(200);
      expect((await api.get(PAGES, bearer(WRITE_KEY))).status).toBe(200);

      const patched = await api.patch(`${PAGES}/${id}`, {}, bearer(WRITE_KEY));
      expect(patched.status).toBe(200);
      expect(patched.body.data).toEqual(read.body.data);
    });

    it('keeps a read-only key from writing', async () => {
      const created = await api.post(PAGES, buildCreatePageDto(), bearer(ADMIN_KEY));
      const res = await api.patch(`${PAGES}/${created.body.data._id}`, {}, bearer(READ_KEY));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });

    it('says so in the OpenAPI document', async () => {
      const doc = (
        await http<{
          components: { securitySchemes: Record<string, { description: string }> };
          paths: Record<string, Record<string, Record<string, unknown>>>;
        }>(testApp.baseUrl, 'GET', '/docs-json')
      ).body;
      for (const scheme of Object.values(doc.components.securitySchemes)) {
        expect(scheme.description).toContain('`write` (which implies `read`');
      }
      expect(doc.paths[`${PAGES}/{id}`].get['x-required-scope']).toBe('read');
      expect(doc.paths[`${PAGES}/{id}`].patch['x-required-scope']).toBe('write');
      expect(doc.paths['/metrics'].get['x-required-scope']).toBe('metrics');
    });
  });

  describe('/metrics', () => {
    it.each<[string, Record<string, string>, number]>([
      ['no key', {}, 401],
      ['a read key', bearer(READ_KEY).headers, 403],
      ['a write key', bearer(WRITE_KEY).headers, 403],
    ])('refuses %s with the status given', async (_label, headers, status) => {
      const res = await http(testApp.baseUrl, 'GET', '/metrics', { headers });
      expect(res.status).toBe(status);
    });

    it.each([METRICS_KEY, ADMIN_KEY])(
      'serves a key with the metrics (or admin) scope',
      async (key) => {
        const res = await http(testApp.baseUrl, 'GET', '/metrics', bearer(key));
        expect(res.status).toBe(200);
        expect(res.body).toContain('ocr_pages{status="pending"}');
      },
    );

    it('counts pages at most once per METRICS_PAGE_COUNT_TTL_MS', async () => {
      const pending = async (): Promise<number> => {
        const res = await http(testApp.baseUrl, 'GET', '/metrics', bearer(METRICS_KEY));
        return Number(/^ocr_pages\{status="pending"\} (\d+)$/m.exec(res.body as string)?.[1]);
      };
      const before = await pending();
      await api.post(PAGES, buildCreatePageDto(), bearer(WRITE_KEY));
      const scrapes = await Promise.all(Array.from({ length: 20 }, pending));
      expect(new Set(scrapes)).toEqual(new Set([before]));
    });
  });

  describe('anonymous requests with bodies are refused before parsing', () => {
    it.each(['DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH'])(
      'answers an anonymous %s with a malformed body 401, not 400',
      async (method) => {
        const res = await http(testApp.baseUrl, method, `${PAGES}/${objectId()}`, {
          rawBody: '{"job":',
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
      },
    );

    it('answers an anonymous DELETE with a body over the size limit 401, not 413', async () => {
      const res = await http(testApp.baseUrl, 'DELETE', `${PAGES}/${objectId()}`, {
        rawBody: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json', 'x-api-key': 'wrong' },
      });
      expect(res.status).toBe(401);
    });
  });
});

describe('open mode: secure by default', () => {
  let engine: EmbeddedEngine;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    engine = await startEmbeddedEngine(
      { database: 'open-mode' },
      { log: () => undefined, warn: () => undefined },
    );
  });

  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGKILL');
    }
    await engine.stop();
  });

  async function freePort(): Promise<number> {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    return port;
  }

  /** `node dist/main.js`, as `npm start` runs it, with this environment. */
  async function start(env: Record<string, string>) {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        LOG_LEVEL: 'log',
        PORT: String(port),
        MONGODB_URI: engine.uri,
        MONGODB_DB_NAME: `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`,
        MONGODB_MAX_POOL_SIZE: '1',
        PROCESSING_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { child, port, output: () => output };
  }

  async function listening(app: Awaited<ReturnType<typeof start>>): Promise<string> {
    return waitUntil(async () => {
      if (app.child.exitCode !== null) {
        throw new Error(`the app exited: ${app.output()}`);
      }
      const ok = await fetch(`http://127.0.0.1:${app.port}/health/live`).then(
        (res) => res.ok,
        () => false,
      );
      return ok ? app.output() : undefined;
    }, 30_000);
  }

  /** This machine's non-loopback IPv4 address, if it has one. */
  const externalAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

  it('without API_KEYS listens on 127.0.0.1 only, with a loud warning', async () => {
    const app = await start({});
    const output = await listening(app);
    expect(output).toContain(
      '!!! API_KEYS is not set: authentication is OFF. Listening on 127.0.0.1 only',
    );
    expect(output).toContain(`Listening on http://127.0.0.1:${app.port}`);
    if (externalAddress) {
      await expect(fetch(`http://${externalAddress}:${app.port}/health/live`)).rejects.toThrow();
    }
  });

  it('without API_KEYS refuses to listen on 0.0.0.0, naming what to set', async () => {
    const app = await start({ HOST: '0.0.0.0' });
    const [code] = (await once(app.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(app.output()).toContain(
      'API_KEYS is not set, so the API only listens on loopback (127.0.0.1, ::1, localhost), not on HOST=0.0.0.0',
    );
  });

  it('serves 0.0.0.0 without keys when AUTH_DISABLED=true says so, with a warning', async () => {
    const app = await start({ HOST: '0.0.0.0', AUTH_DISABLED: 'true' });
    const output = await listening(app);
    expect(output).toContain('AUTH_DISABLED=true and no API_KEYS: authentication is OFF');
    if (externalAddress) {
      expect((await fetch(`http://${externalAddress}:${app.port}/health/live`)).status).toBe(200);
    }
  });

  it('refuses AUTH_DISABLED=true together with API_KEYS', async () => {
    await expect(createTestApp({ API_KEYS, AUTH_DISABLED: 'true' })).rejects.toThrow(
      'AUTH_DISABLED=true contradicts API_KEYS',
    );
  });

  it('refuses to start in production on an embedded database', async () => {
    await expect(
      createTestApp(
        { NODE_ENV: 'production', API_KEYS, MONGODB_URI: undefined },
        { appStartsItsOwnDatabase: true },
      ),
    ).rejects.toThrow('MONGODB_URI must be set when NODE_ENV=production');
  });
});
