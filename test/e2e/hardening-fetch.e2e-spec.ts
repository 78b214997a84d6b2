import { once } from 'node:events';
import { createServer } from 'node:net';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { client, type Client } from '../support/http.js';
import { buildCreatePageDto, PAGES } from '../support/fixtures/pages.js';
import { waitUntil } from '../support/wait.js';

/** A pino destination that keeps the app's log lines as text. */
class LogLines {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
}

const REF = /\(ref ([0-9a-f]{8})\)$/;

describe('page downloads: what is refused, and what errorLog tells', () => {
  let testApp: TestApp;
  let api: Client;
  const logs = new LogLines();

  beforeAll(async () => {
    testApp = await createTestApp(
      {
        LOG_LEVEL: 'warn',
        PROCESSING_ENABLED: 'true',
        PROCESSING_POLL_INTERVAL_MS: '100',
        PROCESSING_MAX_RETRIES: '0',
        FETCH_TIMEOUT_MS: '3000',
        FETCH_ALLOWED_HOSTS: '127.0.0.1',
        FETCH_BLOCKED_RANGES: '2a00:1450:4001::/48,93.184.216.0/24',
      },
      { logDestination: logs },
    );
    api = client(testApp.baseUrl);
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function failedPage(pageUrl: string): Promise<{ errorLog: string }> {
    const created = await api.post(PAGES, buildCreatePageDto({ pageUrl }));
    expect(created.status).toBe(201);
    const id = created.body.data._id as string;
    return waitUntil(async () => {
      const res = await api.get(`${PAGES}/${id}`);
      return res.body.data.status === 'failed' ? res.body.data : undefined;
    }, 20_000);
  }

  /** The log line that carries this errorLog's reference. */
  function logLineFor(errorLog: string): string | undefined {
    const ref = REF.exec(errorLog)?.[1];
    return logs.lines.find((line) => ref !== undefined && line.includes(`[ref ${ref}]`));
  }

  it.each([
    ['an IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]/x.png'],
    ['an IPv4-compatible IPv6 private address', 'http://[::10.0.0.1]/x.png'],
    ['a NAT64 address of the local-use prefix', 'http://[64:ff9b:1::a00:1]/x.png'],
    ['an IPv6 documentation address', 'http://[2001:db8::1]/x.png'],
    ['a 6to4 address embedding a private IPv4', 'http://[2002:a00:1::1]/x.png'],
    [
      'an IPv6 address in FETCH_BLOCKED_RANGES (a network-specific NAT64 prefix)',
      'http://[2a00:1450:4001::a00:1]/x.png',
    ],
    ['an IPv4 address in FETCH_BLOCKED_RANGES', 'http://93.184.216.34/x.png'],
  ])('refuses %s with "address not allowed", the details only in the log', async (_label, url) => {
    const page = await failedPage(url);
    expect(page.errorLog).toMatch(
      /^Fetching the page failed: address not allowed \(ref [0-9a-f]{8}\)$/,
    );
    expect(logLineFor(page.errorLog)).toMatch(/refused/);
  });

  it('says only "address not allowed" for a name that resolves to a loopback address', async () => {
    const page = await failedPage('http://localhost/x.png');
    expect(page.errorLog).toMatch(
      /^Fetching the page failed: address not allowed \(ref [0-9a-f]{8}\)$/,
    );
    expect(page.errorLog).not.toMatch(/127\.0\.0\.1|::1|loopback/);
    expect(logLineFor(page.errorLog)).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
  });

  it('says only "could not connect" for a closed port: no port-scan oracle', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    const page = await failedPage(`http://127.0.0.1:${port}/x.png`);
    expect(page.errorLog).toMatch(
      /^Fetching the page failed: could not connect \(ref [0-9a-f]{8}\)$/,
    );
    expect(page.errorLog).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect(logLineFor(page.errorLog)).toMatch(/ECONNREFUSED/);
  });
});
