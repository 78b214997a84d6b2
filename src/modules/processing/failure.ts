import { UnsupportedImageError } from './decode/unsupported-image.error.js';
import { FetchError } from './fetch/page-fetcher.js';
import { PageProcessorCrashedError, PageTimeoutError } from './isolation/page-processor.errors.js';

/** Why a page failed, for its errorLog, and whether trying again later may succeed. */
export interface Failure {
  message: string;
  transient: boolean;
  /** What the server log gets besides, when the message is kept vague on purpose. */
  detail?: string;
}

const OVERRAN = 'The page overran its time limit';
const PROCESSOR_DIED = 'The page processor died';

/**
 * What a page's errorLog says about a download that was refused or could not connect. The
 * details (the address a name resolved to, the connection error) would tell a client about
 * internal addresses and open ports, so they only go to the server log.
 */
const VAGUE_FETCH_REASONS: Partial<Record<FetchError['kind'], string>> = {
  'blocked-address': 'address not allowed',
  network: 'could not connect',
  dns: 'could not connect',
};

/**
 * Sorts a processing error into transient (timeouts, 5xx, connection errors, an OCR engine
 * fault: retried with backoff) or permanent (404, blocked address, too large, not an image:
 * failed at once). Unknown errors count as transient: a bug or a crashed OCR worker should not
 * fail a page for good at the first try, and the retry limit still ends it.
 * A page that overruns PROCESSING_PAGE_TIMEOUT_MS, or kills its processor (out of memory), is
 * retried once (the machine may have been busy) and failed for good when the previous attempt
 * (`previousErrorLog`) ended the same way: such a file always will.
 */
export function classifyFailure(error: unknown, previousErrorLog?: string | null): Failure {
  if (error instanceof FetchError) {
    const vague = VAGUE_FETCH_REASONS[error.kind];
    return vague
      ? {
          message: `Fetching the page failed: ${vague}`,
          transient: error.transient,
          detail: error.message,
        }
      : { message: `Fetching the page failed: ${error.message}`, transient: error.transient };
  }
  if (error instanceof UnsupportedImageError) {
    return { message: `The page could not be read: ${error.message}`, transient: false };
  }
  if (error instanceof PageTimeoutError || error instanceof PageProcessorCrashedError) {
    const what = error instanceof PageTimeoutError ? OVERRAN : PROCESSOR_DIED;
    const again = previousErrorLog?.startsWith(what) ?? false;
    return {
      message: `${what}${again ? ' again' : ''}: ${error.message}`,
      transient: !again,
    };
  }
  return { message: 'Processing failed unexpectedly; see the worker log', transient: true };
}

/** Delay before retry number `retry` (1-based): base, 2×base, 4×base, … */
export function backoffMs(retry: number, baseMs: number): number {
  return baseMs * 2 ** Math.max(0, retry - 1);
}
