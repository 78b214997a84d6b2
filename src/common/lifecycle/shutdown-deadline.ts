import type { LoggerService } from '@nestjs/common';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Bounds the graceful shutdown Nest runs on SIGTERM/SIGINT (`enableShutdownHooks`): HTTP closes
 * and waits for in-flight requests, processing hands back its leases, the database closes, and
 * the process exits 0. If that has not happened `timeoutMs` after the signal (a request or a page
 * that will not finish), this logs it and exits with code 1. The timer is unref'd: it never keeps
 * the process alive by itself.
 */
export function enforceShutdownDeadline(timeoutMs: number, logger: LoggerService): void {
  let shuttingDown = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      // A second signal (SIGINT after SIGTERM) does not start a second deadline.
      if (shuttingDown) {
        return;
      }
      shuttingDown = true;
      const started = Date.now();
      logger.log(`${signal} received: shutting down within ${timeoutMs} ms`);
      process.once('exit', (code) => {
        logger.log(`Shut down in ${Date.now() - started} ms (exit code ${code})`);
      });
      setTimeout(() => {
        logger.error(
          `Shutdown did not finish within SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting with code 1`,
        );
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
