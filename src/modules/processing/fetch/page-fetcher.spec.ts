import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { jest } from '@jest/globals';

import { peerAddressError } from './address-guard.js';
import type { Resolver } from './address-guard.js';
import { FetchError, createGuardedLookup, fetchPage, isPublicAddress } from './page-fetcher.js';
import type { FetchLimits } from './page-fetcher.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

const LIMITS: FetchLimits = {
  maxBytes: 64 * 1024,
  timeoutMs: 500,
  maxRedirects: 3,
  allowedHosts: ['127.0.0.1'],
};

/** A loopback server that records what it was asked. */
interface TestServer {
  port: number;
  requests: { url: string; headers: IncomingHttpHeaders }[];
  url(path?: string): string;
}

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function startServer(handler: RequestListener): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  const port = await listen(server);
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port, requests, url: (path = '/page.png') => `http://127.0.0.1:${port}${path}` };
}

/** Accepts TCP connections and never says a word. */
async function startSilentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  closers.push(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return port;
}

function servePng(_req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'image/png' }).end(PNG);
}

async function fetchFailure(
  url: string,
  limits: Partial<FetchLimits> = {},
  resolve?: Resolver,
): Promise<FetchError> {
  try {
    await fetchPage(url, { ...LIMITS, ...limits }, { resolve });
  } catch (error) {
    if (error instanceof FetchError) {
      return error;
    }
    throw error;
  }
  throw new Error(`expected fetching ${url} to fail`);
}

function resolverFor(table: Record<string, string[]>): Resolver {
  return (hostname) => {
    const addresses = table[hostname];
    if (addresses === undefined) {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
      });
      return Promise.reject(error);
    }
    return Promise.resolve(addresses.map((address) => ({ address, family: net.isIP(address) })));
  };
}

describe('isPublicAddress', () => {
  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['8.8.8.8', '2001:4860:4860::8888', '93.184.216.34'])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('createGuardedLookup', () => {
  type LookupResult = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[] };

  function lookup(
    allowedHosts: readonly string[],
    resolve: Resolver,
    hostname: string,
    all: boolean,
  ): Promise<LookupResult> {
    return new Promise((done) =>
      createGuardedLookup(allowedHosts, resolve)(hostname, { all }, (error, address) =>
        done({ error, address }),
      ),
    );
  }

  const rebinding = resolverFor({ 'files.example.com': ['93.184.216.34', '10.0.0.1'] });

  it('rejects a name when any of its addresses is private', async () => {
    const { error } = await lookup([], rebinding, 'files.example.com', true);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ kind: 'blocked-address', transient: false });
    expect(error?.message).toBe(
      'refused: files.example.com resolves to 10.0.0.1, a private address',
    );
  });

  it('lets an allowed name resolve to anything (case-insensitively)', async () => {
    const { error, address } = await lookup(
      ['FILES.example.com'],
      rebinding,
      'files.example.com',
      true,
    );
    expect(error).toBeNull();
    expect(address).toStrictEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.1', family: 4 },
    ]);
  });

  it('answers a single address when Node does not ask for all of them', async () => {
    const resolve = resolverFor({ 'cdn.example.com': ['93.184.216.34'] });
    const { error, address } = await lookup([], resolve, 'cdn.example.com', false);
    expect(error).toBeNull();
    expect(address).toBe('93.184.216.34');
  });

  it('passes resolver errors through', async () => {
    const { error } = await lookup([], resolverFor({}), 'nowhere.example', true);
    expect(error?.code).toBe('ENOTFOUND');
  });
});

describe('peerAddressError', () => {
  it('refuses a connected peer that is not public unless the host is allowed', () => {
    expect(peerAddressError('files.example.com', '10.0.0.5', [])?.message).toBe(
      'refused: files.example.com connected to 10.0.0.5, a private address',
    );
    expect(peerAddressError('files.internal', '10.0.0.5', ['files.internal'])).toBeUndefined();
    expect(peerAddressError('cdn.example.com', '93.184.216.34', [])).toBeUndefined();
  });
});

describe('fetchPage', () => {
  describe('success', () => {
    it('downloads from an allowed loopback host with the expected request headers', async () => {
      const server = await startServer(servePng);
      const page = await fetchPage(server.url(), LIMITS);

      expect(page).toStrictEqual({
        body: PNG,
        contentType: 'image/png',
        finalUrl: server.url(),
      });
      const [request] = server.requests;
      expect(request.headers['user-agent']).toBe('ocr-invoice-pages/1.0');
      expect(request.headers.accept).toBe('image/*, application/pdf');
      expect(request.headers['accept-encoding']).toBe('identity');
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers.authorization).toBeUndefined();
    });

    it('follows redirects, relative ones included, and reports the final URL', async () => {
      const server = await startServer((req, res) => {
        if (req.url === '/start') {
          res.writeHead(301, { Location: `http://127.0.0.1:${server.port}/middle` }).end();
        } else if (req.url === '/middle') {
          res.writeHead(307, { Location: '/page.png' }).end();
        } else {
          servePng(req, res);
        }
      });
      const page = await fetchPage(server.url('/start'), LIMITS);

      expect(page.finalUrl).toBe(server.url('/page.png'));
      expect(page.body).toStrictEqual(PNG);
      expect(server.requests.map(({ url }) => url)).toStrictEqual([
        '/start',
        '/middle',
        '/page.png',
      ]);
    });

    it('accepts a PDF, octet-stream or a missing Content-Type', async () => {
      const types = ['application/pdf; name=x.pdf', 'application/octet-stream', undefined];
      const server = await startServer((req, res) => {
        const type = types[Number(req.url?.slice(1))];
        res.writeHead(200, type === undefined ? {} : { 'Content-Type': type }).end(PNG);
      });
      const received = await Promise.all(
        types.map(
          async (_type, index) => (await fetchPage(server.url(`/${index}`), LIMITS)).contentType,
        ),
      );
      expect(received).toStrictEqual([
        'application/pdf',
        'application/octet-stream',
        'application/octet-stream',
      ]);
    });

    it('reaches an allowed name through the resolver, sending the name as Host', async () => {
      const server = await startServer(servePng);
      const resolve = resolverFor({ 'files.internal': ['127.0.0.1'] });
      const url = `http://files.internal:${server.port}/page.png`;
      const page = await fetchPage(
        url,
        { ...LIMITS, allowedHosts: ['files.internal'] },
        { resolve },
      );

      expect(page.body).toStrictEqual(PNG);
      expect(server.requests[0].headers.host).toBe(`files.internal:${server.port}`);
    });
  });

  describe('address checks', () => {
    it('refuses a loopback IP literal that is not allowed, without connecting', async () => {
      const server = await startServer(servePng);
      const error = await fetchFailure(server.url(), { allowedHosts: [] });

      expect(error).toMatchObject({ kind: 'blocked-address', transient: false });
      expect(error.message).toBe('refused: 127.0.0.1 is a loopback address');
      expect(server.requests).toHaveLength(0);
    });

    it.each([
      ['IPv6 loopback', 'http://[::1]:{port}/'],
      ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:{port}/'],
      ['decimal IPv4', 'http://2130706433:{port}/'],
      ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ])('refuses an IP literal: %s', async (_name, template) => {
      const server = await startServer(servePng);
      const error = await fetchFailure(template.replace('{port}', String(server.port)), {
        allowedHosts: [],
      });
      expect(error.kind).toBe('blocked-address');
      expect(server.requests).toHaveLength(0);
    });

    it('refuses localhost (resolved through real DNS) unless it is allowed', async () => {
      const server = await startServer(servePng);
      const url = `http://localhost:${server.port}/page.png`;

      const error = await fetchFailure(url);
      expect(error.kind).toBe('blocked-address');
      expect(error.message).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
      );
      expect(server.requests).toHaveLength(0);

      const page = await fetchPage(url, { ...LIMITS, allowedHosts: ['LOCALHOST'] });
      expect(page.body).toStrictEqual(PNG);
    });

    it('refuses a name that resolves to a private address', async () => {
      const resolve = resolverFor({ 'files.example.com': ['93.184.216.34', '10.0.0.5'] });
      const error = await fetchFailure('https://files.example.com/a.png', {}, resolve);

      expect(error).toMatchObject({ kind: 'blocked-address', transient: false });
      expect(error.message).toBe(
        'refused: files.example.com resolves to 10.0.0.5, a private address',
      );
    });

    it('re-checks every redirect hop: allowed host to a non-allowed loopback name', async () => {
      const server = await startServer((req, res) => {
        if (req.url === '/start') {
          res.writeHead(302, { Location: `http://localhost:${server.port}/page.png` }).end();
        } else {
          servePng(req, res);
        }
      });
      const error = await fetchFailure(server.url('/start'));

      expect(error.kind).toBe('blocked-address');
      expect(server.requests.map(({ url }) => url)).toStrictEqual(['/start']);
    });
  });

  describe('URLs and redirects', () => {
    it.each([
      ['credentials', 'http://user:secret@127.0.0.1/page.png', /carries credentials/],
      ['a non-http scheme', 'ftp://127.0.0.1/page.png', /is not an http\(s\) URL/],
      ['a file URL', 'file:///etc/passwd', /is not an http\(s\) URL/],
      ['garbage', 'not a url', /not a valid URL/],
    ])('refuses a URL with %s', async (_name, url, message) => {
      const error = await fetchFailure(url);
      expect(error).toMatchObject({ kind: 'bad-url', transient: false });
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('secret');
    });

    it.each(['file:///etc/passwd', 'ftp://127.0.0.1/page.png'])(
      'refuses a redirect to %s',
      async (location) => {
        const server = await startServer((_req, res) => {
          res.writeHead(302, { Location: location }).end();
        });
        const error = await fetchFailure(server.url());
        expect(error).toMatchObject({ kind: 'bad-url', transient: false });
        expect(error.message).toContain(location);
      },
    );

    it('gives up after maxRedirects', async () => {
      const server = await startServer((req, res) => {
        const hop = Number(req.url?.slice(1));
        res.writeHead(302, { Location: `/${hop + 1}` }).end();
      });
      const error = await fetchFailure(server.url('/0'), { maxRedirects: 2 });

      expect(error).toMatchObject({ kind: 'too-many-redirects', transient: false });
      expect(server.requests.map(({ url }) => url)).toStrictEqual(['/0', '/1', '/2']);
    });

    it('treats a redirect without Location as a permanent status error', async () => {
      const server = await startServer((_req, res) => res.writeHead(302).end());
      const error = await fetchFailure(server.url());
      expect(error).toMatchObject({ kind: 'http-status', transient: false });
      expect(error.message).toBe(
        `GET ${server.url()} answered 302 Found without a Location header`,
      );
    });
  });

  describe('HTTP status and content type', () => {
    it.each([
      [404, false, 'Not Found'],
      [403, false, 'Forbidden'],
      [503, true, 'Service Unavailable'],
      [500, true, 'Internal Server Error'],
      [429, true, 'Too Many Requests'],
      [408, true, 'Request Timeout'],
    ])('classifies %i as transient=%s', async (status, transient, reason) => {
      const server = await startServer((_req, res) => {
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end('secret body text');
      });
      const error = await fetchFailure(server.url('/page.png?token=abc'));

      expect(error).toMatchObject({ kind: 'http-status', transient });
      expect(error.message).toBe(`GET ${server.url('/page.png')}?… answered ${status} ${reason}`);
    });

    it('refuses text/html without reading the body into the message', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<h1>login</h1>');
      });
      const error = await fetchFailure(server.url());

      expect(error).toMatchObject({ kind: 'unsupported-content-type', transient: false });
      expect(error.message).toContain('text/html');
      expect(error.message).not.toContain('login');
    });

    it('refuses a compressed body it did not ask for', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Encoding': 'gzip' }).end(PNG);
      });
      const error = await fetchFailure(server.url());
      expect(error).toMatchObject({ kind: 'unsupported-content-type', transient: false });
    });
  });

  describe('size limits', () => {
    it('refuses a declared Content-Length over maxBytes without waiting for the body', async () => {
      const server = await startServer((_req, res) => {
        // Headers only; the promised 10 MiB never come. Only the header can fail this fast.
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 10 * 1024 * 1024 });
        res.flushHeaders();
      });
      const started = Date.now();
      const error = await fetchFailure(server.url(), { timeoutMs: 5_000 });

      expect(error).toMatchObject({ kind: 'too-large', transient: false });
      expect(error.message).toBe(`GET ${server.url()} declares 10 MiB, larger than 64 KiB`);
      expect(Date.now() - started).toBeLessThan(1_000);
    });

    it('aborts a chunked body once it passes maxBytes', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        for (let i = 0; i < 8; i += 1) {
          res.write(Buffer.alloc(1024, i));
        }
        res.end();
      });
      const error = await fetchFailure(server.url(), { maxBytes: 4096 });

      expect(error).toMatchObject({ kind: 'too-large', transient: false });
      expect(error.message).toBe(`GET ${server.url()} body is larger than 4 KiB`);
    });

    it('accepts a body of exactly maxBytes', async () => {
      const body = Buffer.alloc(4096, 7);
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/jpeg' }).end(body);
      });
      const page = await fetchPage(server.url(), { ...LIMITS, maxBytes: 4096 });
      expect(page.body).toStrictEqual(body);
    });
  });

  describe('timeouts and network errors', () => {
    const TIMEOUT_MS = 200;
    const SLACK_MS = 300;

    async function expectTimeout(url: string, message: RegExp, resolve?: Resolver): Promise<void> {
      const started = Date.now();
      const error = await fetchFailure(url, { timeoutMs: TIMEOUT_MS }, resolve);
      const elapsed = Date.now() - started;

      expect(error).toMatchObject({ kind: 'timeout', transient: true });
      expect(error.message).toMatch(message);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    }

    it('times out a server that sends headers and then stalls', async () => {
      const server = await startServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png' });
        res.write(PNG.subarray(0, 4));
      });
      await expectTimeout(server.url(), /: response not complete within 200 ms$/);
    });

    it('times out a server that accepts the connection and never answers', async () => {
      const port = await startSilentServer();
      await expectTimeout(`http://127.0.0.1:${port}/page.png`, /: no response within 200 ms$/);
    });

    it('times out a DNS lookup that never answers', async () => {
      const hanging: Resolver = () => new Promise(() => undefined);
      await expectTimeout('http://slow.example.com/a.png', /no response within 200 ms$/, hanging);
    });

    it('times out across redirects, not per hop', async () => {
      const server = await startServer((req, res) => {
        const hop = Number(req.url?.slice(1));
        setTimeout(() => res.writeHead(302, { Location: `/${hop + 1}` }).end(), 60);
      });
      const error = await fetchFailure(server.url('/0'), {
        timeoutMs: TIMEOUT_MS,
        maxRedirects: 10,
      });
      expect(error.kind).toBe('timeout');
      expect(server.requests.length).toBeLessThanOrEqual(4);
    });

    it('reports a closed port as a transient network error', async () => {
      const probe = net.createServer();
      const port = await listen(probe);
      await new Promise<void>((resolve) => probe.close(() => resolve()));

      const error = await fetchFailure(`http://127.0.0.1:${port}/page.png`);
      expect(error).toMatchObject({ kind: 'network', transient: true });
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('reports a connection dropped mid-body as a transient network error', async () => {
      const server = await startServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 1000 });
        res.write(PNG, () => req.socket.destroy());
      });
      const error = await fetchFailure(server.url());
      expect(error).toMatchObject({ kind: 'network', transient: true });
    });

    it('maps ENOTFOUND to a permanent and EAI_AGAIN to a transient dns error', async () => {
      const notFound = await fetchFailure('http://nowhere.example/a.png', {}, resolverFor({}));
      expect(notFound).toMatchObject({ kind: 'dns', transient: false });
      expect(notFound.message).toBe('nowhere.example does not resolve (ENOTFOUND)');

      const tryAgain: Resolver = () =>
        Promise.reject(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
      const flaky = await fetchFailure('http://flaky.example/a.png', {}, tryAgain);
      expect(flaky).toMatchObject({ kind: 'dns', transient: true });
    });
  });

  it('clears its deadline timer when a hop fails before any request', async () => {
    jest.useFakeTimers();
    try {
      await expect(fetchPage('http://10.0.0.1/a.png', LIMITS)).rejects.toBeInstanceOf(FetchError);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
