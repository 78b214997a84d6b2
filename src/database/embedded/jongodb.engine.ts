import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { EmbeddedEngine } from './embedded-engine.js';

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
/**
 * util-linux's setpriv asks the kernel to signal the server when this process dies, even by
 * SIGKILL, so a crashed app never leaves an orphan server behind.
 */
const SETPRIV = '/usr/bin/setpriv';

/** Path of the jongodb launcher shipped by its npm package, or undefined on other platforms. */
export function findJongodbBinary(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve(
      '@jongodb/memory-server-bin-linux-x64-gnu/package.json',
    );
    const binary = `${manifest.slice(0, -'package.json'.length)}bin/jongodb`;
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts jongodb, an in-memory MongoDB-wire-compatible server, on a loopback port: `port`, or a
 * free one when omitted (0). A given port lets a test restart the server where the app expects it.
 * It prints `JONGODB_URI=mongodb://...` once it accepts connections.
 */
export async function startJongodb(
  binary: string,
  database: string,
  port = 0,
): Promise<EmbeddedEngine> {
  const args = [`--port=${port}`, `--database=${database}`];
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'TERM', '--', binary, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });

  const uri = await waitForUri(child);
  return {
    kind: 'jongodb',
    uri,
    persistent: false,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

async function waitForUri(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), READY_TIMEOUT_MS);
  try {
    const ready = new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const match = /^JONGODB_URI=(mongodb:\/\/\S+)$/.exec(line.trim());
        if (match) {
          resolve(match[1]);
        }
      });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(
          new Error(`jongodb exited before it was ready (${signal ?? code}): ${stderr.trim()}`),
        ),
      );
    });
    return await ready;
  } finally {
    clearTimeout(timer);
    lines.close();
    // Keep draining its output: a full pipe would block the server.
    child.stdout?.resume();
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
