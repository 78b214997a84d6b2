import type { FetchedPage } from './page-fetcher.js';

interface Entry {
  download: Promise<FetchedPage>;
  bytes: number;
  expiresAt: number;
}

/**
 * The documents whose pages this process is reading (`…/invoice.pdf#page=3`): each is downloaded
 * once and its bytes shared by every page read from it while it stays here, instead of once per
 * page. Concurrent requests for one document share one download. Bounded by total size (the
 * oldest go first) and by age, so a document changed at its URL is fetched again later.
 * Failed downloads are not kept.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxBytes: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The document at `url` (without its fragment), downloaded with `download` when not here. */
  get(url: string, download: () => Promise<FetchedPage>): Promise<FetchedPage> {
    const key = url.split('#', 1)[0];
    this.evictExpired();
    const cached = this.entries.get(key);
    if (cached) {
      return cached.download;
    }
    const entry: Entry = { download: download(), bytes: 0, expiresAt: this.now() + this.ttlMs };
    this.entries.set(key, entry);
    entry.download.then(
      (document) => {
        entry.bytes = document.body.length;
        this.evictOverSize();
      },
      () => {
        if (this.entries.get(key) === entry) {
          this.entries.delete(key);
        }
      },
    );
    return entry.download;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) {
        this.entries.delete(key);
      }
    }
  }

  /** Drops the oldest documents until the rest fit (the newest stays even if alone too big). */
  private evictOverSize(): void {
    let total = [...this.entries.values()].reduce((sum, entry) => sum + entry.bytes, 0);
    for (const [key, entry] of this.entries) {
      if (total <= this.maxBytes || this.entries.size === 1) {
        return;
      }
      this.entries.delete(key);
      total -= entry.bytes;
    }
  }
}

/** The page a `pageUrl` names with the PDF open-parameters fragment `#page=N`, if it does. */
export function documentPageOf(pageUrl: string): number | undefined {
  const match = /#page=([1-9]\d{0,5})$/.exec(pageUrl);
  return match ? Number(match[1]) : undefined;
}
