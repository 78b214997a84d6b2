import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import type { EmbeddedEngine } from '../../src/database/embedded/embedded-engine.js';
import { startEmbeddedEngine } from '../../src/database/embedded/start-embedded-engine.js';
import { buildCreatePageDto, PAGES, OCR_PAGES_COLLECTION } from '../support/fixtures/pages.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Whether a new TCP connection to the port is accepted. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

interface RunningApp {
  child: ChildProcess;
  port: number;
  dbName: string;
  /** Everything the app wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * A POST whose body is held back: `started` resolves once the server has taken the request up
 * (it answered `Expect: 100-continue`, which Node does as it hands the request to Fastify) and a
 * first part of the body is sent; the rest goes when `finish()` is called. Until then the request
 * is in flight on the server.
 */
function slowPost(port: number, body: unknown) {
  const bytes = Buffer.from(JSON.stringify(body));
  const req = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: PAGES,
    // A connection of its own, closed after the response (no keep-alive pool).
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': String(bytes.length),
      expect: '100-continue',
    },
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      res.once('error', reject);
    });
  });
  const started = new Promise<void>((resolve) => {
    req.once('continue', () => {
      req.write(bytes.subarray(0, 10), () => resolve());
    });
  });
  req.flushHeaders();
  return {
    started,
    response,
    finish: () => req.end(bytes.subarray(10)),
    abort: () => req.destroy(),
  };
}

/**
 * The built app as production runs it (`node dist/main.js`; `npm test` builds it first), on a
 * database this test started, sent SIGTERM while a request is in flight.
 */
describe('graceful shutdown (SIGTERM to node dist/main.js)', () => {
  let engine: EmbeddedEngine | undefined;
  let uri: string;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    if (process.env.MONGODB_URI) {
      uri = process.env.MONGODB_URI;
    } else {
      const quiet = { log: () => undefined, warn: () => undefined };
      engine = await startEmbeddedEngine({ database: 'shutdown' }, quiet);
      uri = engine.uri;
    }
  });

  afterAll(async () => {
    for (const app of apps) {
      app.child.kill('SIGKILL');
    }
    await engine?.stop();
  });

  async function startApp(env: Record<string, string> = {}): Promise<RunningApp> {
    const port = await freePort();
    const dbName = `test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const child = spawn(process.execPath, ['dist/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'log',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: uri,
        MONGODB_DB_NAME: dbName,
        PROCESSING_ENABLED: 'false',
        API_KEYS: '',
        RATE_LIMIT_MAX: '100000',
        ...(engine?.kind === 'jongodb' && { MONGODB_MAX_POOL_SIZE: '1' }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
    const app: RunningApp = { child, port, dbName, output: () => output, exited };
    apps.push(app);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (res) => res.ok,
        () => false,
      );
      if (ready) {
        return app;
      }
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the app did not start:\n${output}`);
      }
      await sleep(100);
    }
  }

  it('finishes the request in flight, refuses new connections, closes the database and exits 0', async () => {
    const app = await startApp();
    const page = buildCreatePageDto();
    const inFlight = slowPost(app.port, page);
    await inFlight.started;

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');

    // The listener closes while the request is still waiting for the rest of its body.
    const refuseDeadline = Date.now() + 5000;
    while ((await accepts(app.port)) && Date.now() < refuseDeadline) {
      await sleep(50);
    }
    expect(await accepts(app.port)).toBe(false);
    expect(app.child.exitCode).toBeNull();

    inFlight.finish();
    const res = await inFlight.response;
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ job: page.job, pageNumber: 1 });

    const exit = await app.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(app.output()).toContain('SIGTERM received: shutting down within 10000 ms');
    expect(app.output()).toMatch(/Shut down in \d+ ms \(exit code 0\)/);

    // The acknowledged page was stored: it is in the database after the app is gone.
    const connection = await mongoose
      .createConnection(uri, { dbName: app.dbName, maxPoolSize: 1 })
      .asPromise();
    try {
      const stored = await connection
        .collection(OCR_PAGES_COLLECTION)
        .findOne({ _id: new mongoose.Types.ObjectId(String(res.body.data._id)) });
      expect(stored).toMatchObject({ pageNumber: 1 });
    } finally {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    }
  });

  it('exits 1 with a log line when shutdown overruns SHUTDOWN_TIMEOUT_MS', async () => {
    const app = await startApp({ SHUTDOWN_TIMEOUT_MS: '1000' });
    const stuck = slowPost(app.port, buildCreatePageDto());
    stuck.response.catch(() => undefined);
    await stuck.started;

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.exited;
    const took = Date.now() - signalledAt;
    stuck.abort();

    expect(exit).toEqual({ code: 1, signal: null });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
    expect(app.output()).toContain(
      'Shutdown did not finish within SHUTDOWN_TIMEOUT_MS (1000 ms); exiting with code 1',
    );
  });
});
