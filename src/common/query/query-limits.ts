/** Bounds on what a client may ask of a list query (API.md, "filter"). */
export const QUERY_LIMITS = {
  /** Size of the `filter` parameter, in bytes of UTF-8. */
  maxFilterBytes: 4096,
  /** Nesting of objects and arrays in `filter`. */
  maxDepth: 6,
  /** Field conditions (a field with one operator or a value) in one filter. */
  maxConditions: 50,
  /** Items of an `$in` / `$nin` array. */
  maxInItems: 100,
  /** Any string value. */
  maxStringBytes: 4096,
  /** Levels of a key under an open map (`metadata.a.b.c.d`). */
  maxOpenMapKeyDepth: 4,
  /** Length of `search`. */
  maxSearchLength: 200,
  /** Unknown names quoted back in an error message about `fields`. */
  maxQuotedNames: 3,
} as const;
