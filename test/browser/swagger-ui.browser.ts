/**
 * `npm run test:browser`: Swagger UI in a real browser. Starts the built app (`node dist/main.js`,
 * its own embedded database, processing off), opens /docs in headless Chromium, runs the list
 * operation ("Try it out" → "Execute": 200 and the `success: true` envelope) and the create
 * operation with its example body (201). Screenshots go to test-artifacts/swagger-ui/.
 * Exits non-zero with a message on failure; the app is always stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = resolve('test-artifacts/swagger-ui');
const START_TIMEOUT_MS = 90_000;
const UI_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

interface RunningApp {
  baseUrl: string;
  process: ChildProcess;
  output: string[];
}

async function startApp(dataDir: string): Promise<RunningApp> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // NODE_ENV=test: no .env file is read and the API is open without API keys.
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    PROCESSING_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000',
    EMBEDDED_MONGOD_DIR: join(dataDir, 'mongod'),
  };
  // No MONGODB_URI: the app starts its own embedded database, as `npm start` does.
  delete env.MONGODB_URI;
  delete env.API_KEYS;
  const child = spawn(process.execPath, ['dist/main.js'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const app = { baseUrl: `http://127.0.0.1:${port}`, process: child, output };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the app exited with code ${child.exitCode} before answering /health`);
    }
    try {
      const res = await fetch(`${app.baseUrl}/health`);
      if (res.ok) {
        return app;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer /health within ${START_TIMEOUT_MS / 1000}s`);
}

async function stopApp(app: RunningApp | undefined): Promise<void> {
  if (!app || app.process.exitCode !== null || app.process.signalCode !== null) {
    return;
  }
  const exited = new Promise((r) => app.process.once('exit', r));
  app.process.kill('SIGTERM');
  const timer = setTimeout(() => app.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Expands an operation, runs it with "Try it out" → "Execute" and returns its response block. */
async function execute(page: Page, operationId: string): Promise<Locator> {
  const operation = page.locator(`.opblock[id$="-${operationId}"]`);
  await operation.waitFor({ timeout: UI_TIMEOUT_MS });
  await operation.locator('.opblock-summary').first().click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const response = operation.locator('.live-responses-table .response').first();
  await response.waitFor({ timeout: UI_TIMEOUT_MS });
  await response.scrollIntoViewIfNeeded();
  return response;
}

async function expectResponse(
  response: Locator,
  expected: { label: string; status: string; body: RegExp; screenshot: string },
): Promise<void> {
  const status = (await response.locator('.response-col_status').first().innerText()).trim();
  const body = await response.locator('.response-col_description').first().innerText();
  // The response as Swagger UI shows it (status, body, headers), not the whole long page.
  await response.screenshot({ path: join(ARTIFACTS, expected.screenshot) });
  if (status !== expected.status || !expected.body.test(body)) {
    throw new Error(
      `${expected.label}: expected ${expected.status} and a body matching ${expected.body}, ` +
        `Swagger UI shows ${status}:\n${body.slice(0, 2000)}`,
    );
  }
  console.log(`ok - ${expected.label}: ${status} (${expected.screenshot})`);
}

async function main(): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'swagger-ui-browser-'));
  let app: RunningApp | undefined;
  let browser: BrowserContext | undefined;
  try {
    app = await startApp(dataDir);
    // A fresh profile (--user-data-dir) in the run's temporary directory.
    browser = await chromium.launchPersistentContext(join(dataDir, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 1600 },
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${app.baseUrl}/docs`, { waitUntil: 'load' });
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.screenshot({ path: join(ARTIFACTS, '01-docs.png'), fullPage: false });

    const list = await execute(page, 'listOcrPages');
    await expectResponse(list, {
      label: 'GET /api/v1/ocr-invoice-job-pages',
      status: '200',
      body: /"success":\s*true/,
      screenshot: '02-list-200.png',
    });

    const create = await execute(page, 'createOcrPage');
    await expectResponse(create, {
      label: 'POST /api/v1/ocr-invoice-job-pages (example body)',
      status: '201',
      body: /"success":\s*true/,
      screenshot: '03-create-201.png',
    });

    if (pageErrors.length > 0) {
      throw new Error(`Swagger UI threw in the page: ${pageErrors.join('; ')}`);
    }
  } catch (error) {
    if (app) {
      console.error(`app output:\n${app.output.join('').slice(-4000)}`);
    }
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await stopApp(app);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => console.log(`Swagger UI browser check passed; screenshots in ${ARTIFACTS}`),
  (error: unknown) => {
    console.error(
      `Swagger UI browser check FAILED: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  },
);
