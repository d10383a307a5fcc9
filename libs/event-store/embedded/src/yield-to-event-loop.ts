/**
 * Between pages of a long scan: better-sqlite3 answers synchronously, so without this turn of the
 * event loop timers, I/O and signal handlers would wait until the scan ended.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
