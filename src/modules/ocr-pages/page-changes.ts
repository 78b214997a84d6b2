import { Injectable, Logger } from '@nestjs/common';

/** Called with the jobs whose pages were just created, changed or deleted. */
export type PageChangeListener = (jobIds: string[]) => Promise<void>;

/**
 * Announces, in the process where it happened, that pages of some jobs changed (created,
 * rewritten, claimed, finished, deleted). Listeners (the jobs' roll-up) are awaited, so the
 * request or worker step that changed a page ends after everything that follows from it.
 * A listener's failure is logged, never thrown back at the page change, which did happen.
 */
@Injectable()
export class PageChanges {
  private readonly logger = new Logger(PageChanges.name);
  private readonly listeners = new Set<PageChangeListener>();

  subscribe(listener: PageChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async announce(jobs: ReadonlyArray<{ toString(): string }>): Promise<void> {
    const jobIds = [...new Set(jobs.map(String))];
    if (jobIds.length === 0) {
      return;
    }
    for (const listener of this.listeners) {
      try {
        await listener(jobIds);
      } catch (error) {
        this.logger.warn(
          `A page-change listener failed: ${error instanceof Error ? error.name : 'error'}`,
        );
      }
    }
  }
}
