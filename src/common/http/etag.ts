/** A strong entity tag for a record's revision counter. */
export function etagForRevision(revision: number): string {
  return `"${revision}"`;
}

/**
 * A parsed `If-Match` header (RFC 9110 §13.1.1): `*`, or a list of entity tags. Weak tags
 * (`W/"…"`) never match, since If-Match uses the strong comparison; an unparsable header
 * matches nothing, so it is answered with 412 rather than ignored.
 */
export class IfMatch {
  private constructor(
    private readonly any: boolean,
    private readonly tags: readonly string[],
  ) {}

  /** undefined when the request has no If-Match header. */
  static parse(header: string | string[] | undefined): IfMatch | undefined {
    if (header === undefined) {
      return undefined;
    }
    const value = (Array.isArray(header) ? header.join(',') : header).trim();
    if (value === '*') {
      return new IfMatch(true, []);
    }
    const tags = value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => /^"[\x21\x23-\x7e]*"$/.test(part));
    return new IfMatch(false, tags);
  }

  matches(etag: string): boolean {
    return this.any || this.tags.includes(etag);
  }

  /**
   * The revisions the header accepts, for a conditional write: undefined for `*` (any revision of
   * an existing record), else those of the tags made by etagForRevision (possibly none).
   */
  revisions(): number[] | undefined {
    if (this.any) {
      return undefined;
    }
    return this.tags
      .filter((tag) => /^"(0|[1-9]\d{0,14})"$/.test(tag))
      .map((tag) => Number(tag.slice(1, -1)));
  }
}
