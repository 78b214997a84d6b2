/** Why downloading a page image failed. */
export type FetchErrorKind =
  | 'blocked-address'
  | 'bad-url'
  | 'http-status'
  | 'timeout'
  | 'too-large'
  | 'unsupported-content-type'
  | 'network'
  | 'dns'
  | 'too-many-redirects';

/**
 * A failed page download. The message goes into the page's `errorLog`, so it is written for a
 * human and never carries a response body or URL credentials. `transient` tells the pipeline
 * whether retrying later may succeed (a 503, a refused connection) or not (a 404, a private host).
 */
export class FetchError extends Error {
  override readonly name = 'FetchError';

  constructor(
    readonly kind: FetchErrorKind,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}
