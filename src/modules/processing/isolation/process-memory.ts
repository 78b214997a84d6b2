import { readFileSync } from 'node:fs';

/**
 * Resident memory of a process and every process it started, in bytes, from Linux's /proc; 0
 * where /proc cannot tell (another system, or the process is gone).
 */
export function residentBytes(pid: number): number {
  let kib = 0;
  try {
    kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kib * 1024 + children.reduce((sum, child) => sum + residentBytes(child), 0);
  } catch {
    return kib * 1024;
  }
}
