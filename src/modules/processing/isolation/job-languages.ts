import type { PageLanguage } from '../extract/language.js';

/** How many jobs' languages are kept: far more than the jobs whose pages are read at one time. */
const REMEMBERED_JOBS = 1000;

/**
 * The language each recent job's pages were found in. A job is one customer's invoice, its pages
 * in one language: a page is read first with its own job's model rather than with that of the
 * pool's last page, which, while two customers' jobs in different languages are read side by
 * side, would have nearly every page read twice. The job heard of least recently goes first.
 */
export class JobLanguages {
  private readonly languages = new Map<string, PageLanguage>();

  constructor(private readonly capacity = REMEMBERED_JOBS) {}

  of(job: string): PageLanguage | undefined {
    return this.languages.get(job);
  }

  remember(job: string, language: PageLanguage): void {
    // Deleted and set again: a Map keeps insertion order, so the oldest entry is the first key.
    this.languages.delete(job);
    this.languages.set(job, language);
    if (this.languages.size > this.capacity) {
      this.languages.delete(this.languages.keys().next().value as string);
    }
  }
}
