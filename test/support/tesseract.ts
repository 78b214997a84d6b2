import { execFileSync } from 'node:child_process';

// The system `tesseract` (and its library for Python) and the processes of it a test has running.

/** `.ci/run` installs Debian's tesseract-ocr; without it (a bare `npm ci`) its tests are skipped. */
export function tesseractInstalled(): boolean {
  try {
    execFileSync('tesseract', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether Debian's python3-tesserocr is installed (OCR_ENGINE=tesseract-api). */
export function tesserocrInstalled(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import tesserocr'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The running (not ended) `tesseract` processes that process `parent` started (pids). */
export function tesseractChildren(parent = process.pid): number[] {
  return childrenRunning('tesseract', parent);
}

/** The running (not ended) processes of `command` that process `parent` started (pids). */
export function childrenRunning(command: string, parent = process.pid): number[] {
  let listed: string;
  try {
    listed = execFileSync('ps', ['-o', 'pid=,stat=,comm=', '--ppid', String(parent)], {
      encoding: 'utf8',
    });
  } catch {
    // ps exits with 1 when the process has no child (or is gone).
    return [];
  }
  return listed
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat, name]) => name === command && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/** The command line a process was started with, its arguments joined by spaces. */
export function commandLine(pid: number): string {
  return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
}
