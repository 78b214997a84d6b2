import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Whether a child process spawned with piped stdio keeps Node running: an OCR process waiting for
 * its next image must not (an engine left unclosed would hold its process open), one reading an
 * image must.
 */
export function keepNodeAliveFor(child: ChildProcess, keeps: boolean): void {
  // Spawned with 'pipe', the child's stdio streams are sockets (typed as plain streams).
  const { stdin, stdout, stderr } = child as unknown as Record<string, Socket | null>;
  for (const handle of [child, stdin, stdout, stderr]) {
    if (keeps) {
      handle?.ref();
    } else {
      handle?.unref();
    }
  }
}
