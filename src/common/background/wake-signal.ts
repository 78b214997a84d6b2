/**
 * Tells this process's idle background loops that there is work (a page or a delivery was just
 * queued), so they start at once instead of at their next poll. Loops in other processes find
 * the work by polling.
 */
export class WakeSignal {
  private readonly listeners = new Set<() => void>();

  notify(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Calls `listener` on every notify until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
