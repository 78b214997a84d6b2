// Load test: the built app (`node dist/main.js`, a real server process) on an embedded database
// started here (or MONGODB_URI), driven by autocannon with a mixed workload of create / get /
// list / patch. Prints throughput, latency percentiles and non-2xx answers by status, then checks
// that every create the API acknowledged (201) can be read back. Run with `npm run load`.
//   LOAD_DURATION_S    seconds of load (default 30)
//   LOAD_CONNECTIONS   concurrent connections (default 50)
// Processing is off (PROCESSING_ENABLED=false): this measures the API and the database, not OCR.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { startEmbeddedEngine } from '../dist/database/embedded/start-embedded-engine.js';

const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 30);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const DB_NAME = 'load_test';
const PAGES = '/api/v1/ocr-invoice-job-pages';
/** Share of each operation in the mix; the rest are PATCHes. */
const MIX = { create: 0.3, get: 0.3, list: 0.2 };
const JOBS = Array.from({ length: 200 }, () => randomBytes(12).toString('hex'));
const VERIFY_CONCURRENCY = 20;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(base, app) {
  for (let i = 0; i < 600; i++) {
    if (app.exitCode !== null) {
      throw new Error('the app exited during start-up');
    }
    try {
      if ((await fetch(`${base}/health/ready`)).ok) {
        return;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the app did not become ready');
}

/** Runs `task` over `items`, `limit` at a time. */
async function eachLimited(items, limit, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        await task(items[next++]);
      }
    }),
  );
}

async function main() {
  const external = process.env.MONGODB_URI;
  const engine = external ? undefined : await startEmbeddedEngine({ database: DB_NAME });
  const uri = external ?? engine.uri;
  const engineName = external ? 'MongoDB (MONGODB_URI)' : engine.kind;
  const port = await freePort();
  // A key of its own, given to the app hashed, as production requires.
  const secret = randomBytes(32).toString('hex');
  const auth = { authorization: `Bearer ${secret}` };
  const app = spawn(process.execPath, ['dist/main.js'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: uri,
      MONGODB_DB_NAME: DB_NAME,
      PROCESSING_ENABLED: 'false',
      API_KEYS: `${createHash('sha256').update(secret).digest('hex')}:read+write`,
      // One client sends everything: the per-key rate limit and the per-client bound on concurrent
      // lists must not be what is measured.
      RATE_LIMIT_MAX: '1000000000',
      LIST_MAX_CONCURRENT_PER_CLIENT: String(CONNECTIONS),
      ...(engine?.kind === 'jongodb' && { MONGODB_MAX_POOL_SIZE: '1' }),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(base, app);

    /** Ids of every page whose create was acknowledged with 201. */
    const created = [];
    const byOperation = {};
    let sequence = 0;
    const pick = () => {
      const roll = Math.random();
      if (created.length === 0 || roll < MIX.create) {
        return 'create';
      }
      if (roll < MIX.create + MIX.get) {
        return 'get';
      }
      return roll < MIX.create + MIX.get + MIX.list ? 'list' : 'patch';
    };
    const someId = () => created[Math.floor(Math.random() * created.length)];

    const result = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration: DURATION_S,
      headers: auth,
      requests: [
        {
          setupRequest(request, context) {
            const operation = pick();
            context.operation = operation;
            switch (operation) {
              case 'create': {
                const n = sequence++;
                return {
                  ...request,
                  method: 'POST',
                  path: PAGES,
                  headers: { ...request.headers, 'content-type': 'application/json' },
                  // (job, pageNumber) is unique: 200 jobs, page numbers counting up.
                  body: JSON.stringify({
                    job: JOBS[n % JOBS.length],
                    pageNumber: Math.floor(n / JOBS.length) + 1,
                    pageUrl: `https://files.example.com/load/${n}.png`,
                    metadata: { source: 'load-test' },
                  }),
                };
              }
              case 'get':
                return { ...request, method: 'GET', path: `${PAGES}/${someId()}`, body: undefined };
              case 'list':
                return {
                  ...request,
                  method: 'GET',
                  path: `${PAGES}?limit=20&offset=${Math.floor(Math.random() * 100)}`,
                  body: undefined,
                };
              default:
                return {
                  ...request,
                  method: 'PATCH',
                  path: `${PAGES}/${someId()}`,
                  headers: { ...request.headers, 'content-type': 'application/json' },
                  body: JSON.stringify({
                    pageType: Math.random() < 0.5 ? 'summary' : 'content',
                  }),
                };
            }
          },
          onResponse(status, body, context) {
            const tally = (byOperation[context.operation] ??= {});
            tally[status] = (tally[status] ?? 0) + 1;
            if (context.operation === 'create' && status === 201) {
              created.push(JSON.parse(body).data._id);
            }
          },
        },
      ],
    });

    const non2xx = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {})
        .filter(([status]) => !status.startsWith('2'))
        .map(([status, { count }]) => [status, count]),
    );
    console.log(
      `\nLoad: ${DURATION_S} s, ${CONNECTIONS} connections, on ${engineName}; mix create ${MIX.create * 100}% / get ${MIX.get * 100}% / list ${MIX.list * 100}% / patch ${Math.round((1 - MIX.create - MIX.get - MIX.list) * 100)}%`,
    );
    console.table({
      'requests/s': {
        mean: result.requests.average,
        p50: result.requests.p50,
        min: result.requests.min,
      },
      'latency ms': {
        mean: result.latency.average,
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
    });
    console.log(
      `requests: ${result.requests.total} (2xx ${result['2xx']}, non-2xx ${result.non2xx}), errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    console.log('non-2xx by status:', Object.keys(non2xx).length ? non2xx : 'none');
    console.log('answers by operation and status:');
    console.table(byOperation);

    // Every acknowledged create must be readable: nothing acknowledged may be lost.
    let lost = 0;
    await eachLimited(created, VERIFY_CONCURRENCY, async (id) => {
      const res = await fetch(`${base}${PAGES}/${id}`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) {
        lost++;
      }
    });
    console.log(
      `acknowledged creates: ${created.length}; read back: ${created.length - lost}; lost: ${lost}`,
    );
    if (lost > 0) {
      process.exitCode = 1;
    }
  } finally {
    const exited = app.exitCode === null ? once(app, 'exit') : Promise.resolve([app.exitCode]);
    app.kill('SIGTERM');
    const [code] = await exited;
    if (code !== 0) {
      console.error(`the app exited with ${code} after SIGTERM`);
      process.exitCode = 1;
    }
    await engine?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
