import { readFileSync } from 'node:fs';

/** The processes `pid` started that are still running, from Linux's /proc; none where it cannot tell. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Resident memory of a process and every process it started, in bytes, from Linux's /proc; 0
 * where /proc cannot tell (another system, or the process is gone).
 */
export function residentBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib * 1024 + childPids(pid).reduce((sum, child) => sum + residentBytes(child), 0);
}
