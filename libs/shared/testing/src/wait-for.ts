export interface WaitForOptions {
  /** Give up after this long. */
  readonly timeoutMs?: number;
  /** Pause between two checks. */
  readonly intervalMs?: number;
  /**
   * What is being waited for, for the timeout message ("the consumer to receive 3 messages"). A
   * function is called only if the wait times out (e.g. to include output captured meanwhile).
   */
  readonly description?: string | (() => string);
}

type Pending = false | null | undefined;

/**
 * Polls `condition` until it returns something other than false/null/undefined, and resolves with that
 * value. Tests wait on the state they need instead of sleeping a fixed time, which is both faster and
 * not flaky on a loaded machine. A condition that throws counts as "not yet"; its last error is
 * reported if the wait times out.
 */
export async function waitFor<T>(
  condition: () => T | Pending | Promise<T | Pending>,
  options: WaitForOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, description = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== false && value !== null && value !== undefined) {
        return value;
      }
    } catch (error: unknown) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      const what = typeof description === 'function' ? description() : description;
      throw new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${what}${cause}`, {
        cause: lastError,
      });
    }
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}
