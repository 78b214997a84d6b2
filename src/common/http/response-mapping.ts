/** An ISO 8601 string for a stored date; undefined when absent. */
export function isoDate(value: Date | undefined | null): string | undefined {
  return value instanceof Date ? value.toISOString() : undefined;
}

/** Drops undefined properties so that absent fields are omitted from the JSON, not null. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
