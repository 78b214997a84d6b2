/** The page's work ran past PROCESSING_PAGE_TIMEOUT_MS; the child doing it was killed. */
export class PageTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`processing took longer than the page time limit (${timeoutMs} ms)`);
    this.name = 'PageTimeoutError';
  }
}

/** The child processing the page died mid-page (out of memory, killed, crashed). */
export class PageProcessorCrashedError extends Error {
  constructor(how: string) {
    super(`the page processor stopped while reading the page (${how})`);
    this.name = 'PageProcessorCrashedError';
  }
}
