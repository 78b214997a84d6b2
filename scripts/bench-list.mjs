// Benchmark of the page list: seeds N pages, then times typical list queries through the API
// (a real server process, real HTTP) next to the same queries sent straight to the driver, so the
// API's own overhead shows as a ratio. Run with `npm run bench:list` (builds first).
//   BENCH_PAGES   pages to seed (default 100000 with MONGODB_URI, 10000 on the embedded engine)
//   BENCH_RUNS    timed runs per query (default 30)
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { startEmbeddedEngine } from '../dist/database/embedded/start-embedded-engine.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DB_NAME = 'bench_list';
const COLLECTION = 'ocr_invoice_job_pages';

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** A realistic OCR payload: ~120 words with boxes, the text, blocks and table cells. */
function ocrPayload(i) {
  const words = Array.from({ length: 120 }, (_, w) => ({
    text: `word${(i * 7 + w) % 997}`,
    confidence: 0.8 + (w % 20) / 100,
    boundingBox: { x: (w % 10) * 200, y: Math.floor(w / 10) * 40, width: 180, height: 30 },
  }));
  return {
    ocrResults: {
      text: words.map((w) => w.text).join(' ') + ` INVOICE INV-${i}`,
      confidence: 0.85 + (i % 15) / 100,
      words,
      blocks: [
        {
          text: 'INVOICE',
          confidence: 0.95,
          boundingBox: { x: 0, y: 0, width: 400, height: 60 },
          blockType: 'title',
        },
      ],
    },
    tableData: Array.from({ length: 24 }, (_, c) => ({
      rowIndex: Math.floor(c / 4),
      columnIndex: c % 4,
      cellText: `cell ${c}`,
      confidence: 0.9,
      boundingBox: { x: (c % 4) * 300, y: Math.floor(c / 4) * 40, width: 280, height: 30 },
    })),
    extractedFields: { totalAmount: { value: 100 + (i % 900), confidence: 0.9 } },
  };
}

const STATUSES = ['pending', 'processing', 'completed', 'failed'];
const START = Date.parse('2026-01-01T00:00:00Z');

function page(i, jobs) {
  return {
    job: jobs[i % jobs.length],
    pageNumber: Math.floor(i / jobs.length) + 1,
    pageUrl: `https://files.example.com/jobs/${i % jobs.length}/pages/${i}.png`,
    status: STATUSES[i % 4],
    pageType: 'content',
    retryCount: 0,
    revision: 0,
    qualityScore: (i % 100) / 100,
    createdAt: new Date(START + i * 60_000),
    updatedAt: new Date(START + i * 60_000),
    metadata: { source: `scanner-${i % 5}` },
    // Realistic OCR payloads on a tenth of the pages.
    ...(i % 10 === 0 ? ocrPayload(i) : {}),
  };
}

async function main() {
  const external = process.env.MONGODB_URI;
  const engine = external ? undefined : await startEmbeddedEngine({ database: DB_NAME });
  const uri = external ?? engine.uri;
  const engineName = external ? 'MongoDB (MONGODB_URI)' : engine.kind;
  const total = Number(process.env.BENCH_PAGES ?? (external ? 100_000 : 10_000));
  const port = await freePort();
  // Production mode needs an API key; the rate limit must not shape the figures.
  const apiKey = randomBytes(24).toString('hex');
  const headers = { authorization: `Bearer ${apiKey}` };
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: uri,
    MONGODB_DB_NAME: DB_NAME,
    API_KEYS: `${createHash('sha256').update(apiKey).digest('hex')}:read`,
    RATE_LIMIT_MAX: '100000000',
    PROCESSING_ENABLED: 'false',
    ...(engine?.kind === 'jongodb' && { MONGODB_MAX_POOL_SIZE: '1' }),
  };
  const app = spawn(process.execPath, ['dist/main.js'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) {
          break;
        }
      } catch {
        /* not listening yet */
      }
      if (i > 300) {
        throw new Error('the app did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    const connection = await mongoose
      .createConnection(uri, { dbName: DB_NAME, maxPoolSize: engine?.kind === 'jongodb' ? 1 : 10 })
      .asPromise();
    const collection = connection.collection(COLLECTION);
    await collection.deleteMany({});
    const jobs = Array.from(
      { length: Math.max(1, Math.floor(total / 20)) },
      () => new mongoose.Types.ObjectId(),
    );
    const seedStart = performance.now();
    const batch = 1000;
    for (let from = 0; from < total; from += batch) {
      await collection.insertMany(
        Array.from({ length: Math.min(batch, total - from) }, (_, k) => page(from + k, jobs)),
        { ordered: false },
      );
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const job = jobs[3];
    // A term that one page's OCR text holds (pages with payloads end their text with INV-<i>).
    const searchTerm = `INV-${10 * Math.floor(total / 20)}`;
    const escaped = searchTerm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const searchFilter = {
      $or: ['pageUrl', 'ocrResults.text', 'errorLog', 'annotations.text'].map((f) => ({
        [f]: { $regex: escaped, $options: 'i' },
      })),
    };
    const from = new Date(START + total * 20_000).toISOString();
    const to = new Date(START + total * 40_000).toISOString();
    const queries = [
      { name: 'default order', query: '', filter: {}, sort: { createdAt: -1, _id: -1 } },
      {
        name: 'by job',
        query: `filter=${encodeURIComponent(JSON.stringify({ job: job.toHexString() }))}`,
        filter: { job },
        sort: { createdAt: -1, _id: -1 },
      },
      {
        name: 'status + date range',
        query: `filter=${encodeURIComponent(JSON.stringify({ status: 'completed', createdAt: { $gte: from, $lt: to } }))}`,
        filter: { status: 'completed', createdAt: { $gte: new Date(from), $lt: new Date(to) } },
        sort: { createdAt: -1, _id: -1 },
      },
      {
        name: 'search',
        query: `search=${searchTerm}`,
        filter: searchFilter,
        sort: { createdAt: -1, _id: -1 },
      },
      {
        name: 'fields (light pages)',
        query: 'fields=job,pageNumber,status,qualityScore,createdAt',
        filter: {},
        sort: { createdAt: -1, _id: -1 },
        projection: { _id: 1, job: 1, pageNumber: 1, status: 1, qualityScore: 1, createdAt: 1 },
      },
    ];

    const rows = [];
    for (const q of queries) {
      const api = [];
      let bytes = 0;
      for (let r = 0; r < RUNS + 3; r++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1/ocr-invoice-job-pages?limit=50&${q.query}`, {
          headers,
        });
        const body = await res.text();
        if (!res.ok) {
          throw new Error(`${q.name}: HTTP ${res.status} ${body.slice(0, 200)}`);
        }
        if (r >= 3) {
          api.push(performance.now() - t);
        }
        bytes = body.length;
      }
      const driver = [];
      for (let r = 0; r < RUNS + 3; r++) {
        const t = performance.now();
        const pipeline = [
          { $match: q.filter },
          { $sort: q.sort },
          { $skip: 0 },
          { $limit: 50 },
          ...(q.projection ? [{ $project: q.projection }] : []),
        ];
        await Promise.all([
          collection.aggregate(pipeline).toArray(),
          collection.countDocuments(q.filter),
        ]);
        if (r >= 3) {
          driver.push(performance.now() - t);
        }
      }
      api.sort((a, b) => a - b);
      driver.sort((a, b) => a - b);
      rows.push({
        query: q.name,
        'api median ms': percentile(api, 50).toFixed(1),
        'api p95 ms': percentile(api, 95).toFixed(1),
        'driver median ms': percentile(driver, 50).toFixed(1),
        'driver p95 ms': percentile(driver, 95).toFixed(1),
        'api/driver': (percentile(api, 50) / percentile(driver, 50)).toFixed(2),
        'response KiB': (bytes / 1024).toFixed(1),
      });
    }
    console.log(
      `\nList benchmark: ${total} pages (a tenth with OCR payloads) on ${engineName}, seeded in ${seedSeconds.toFixed(1)} s; ${RUNS} runs per query, limit=50`,
    );
    console.table(rows);
    await connection.close();
  } finally {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
    await engine?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
