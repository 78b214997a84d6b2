import type { HeldLease } from '../../ocr-pages/ocr-pages.repository.js';

/**
 * Tells abandoned leases from live ones without comparing clocks. A live lease is renewed (its
 * beat moves) every third of its period; a lease this worker has seen standing still, same owner
 * and beat, for a whole period (the holder's) measured on its own clock, was abandoned. Only
 * durations on one clock are used, so workers whose clocks disagree (by minutes) never take
 * each other's live leases, on any database engine.
 */
export class LeaseWatch {
  private seen = new Map<string, { owner: string; beat: number; sinceMs: number }>();

  /** Records the leases held now (`nowMs` on this worker's clock); returns the abandoned ones. */
  abandoned(leases: readonly HeldLease[], nowMs: number): HeldLease[] {
    const next = new Map<string, { owner: string; beat: number; sinceMs: number }>();
    const stale: HeldLease[] = [];
    for (const lease of leases) {
      const before = this.seen.get(lease.id);
      const unchanged = before && before.owner === lease.owner && before.beat === lease.beat;
      const sinceMs = unchanged ? before.sinceMs : nowMs;
      next.set(lease.id, { owner: lease.owner, beat: lease.beat, sinceMs });
      if (nowMs - sinceMs >= lease.leaseMs) {
        stale.push(lease);
      }
    }
    // Leases no longer held are forgotten.
    this.seen = next;
    return stale;
  }
}
