/**
 * The idle waits of a set of polling loops: each waits for its poll interval, or less when
 * `wakeAll` is called (work was queued, or the loops are stopping).
 */
export class IdleWaits {
  private readonly sleepers = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.sleepers]) {
      wake();
    }
  }
}
