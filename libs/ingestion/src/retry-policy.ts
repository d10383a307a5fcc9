/** Exponential backoff with full jitter, capped: spreads retries of many consumers after an outage. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 100, maxMs: 5_000 };

export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** True for errors that declare themselves retriable (port errors, transport errors). */
export function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

/** Name and machine code of an error, never its message (messages of vendor errors may quote data). */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name, code, type } = error as { name?: unknown; code?: unknown; type?: unknown };
  const id = [name, code ?? type].filter((x) => typeof x === 'string' && x.length > 0).join(':');
  return id.length > 0 ? id : 'Error';
}
