/**
 * The environment a child process of the app runs with: the app's own (PATH, locale, TZ) plus
 * `extra`. Kept here because src/config is the only reader of process.env.
 */
export function childProcessEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
