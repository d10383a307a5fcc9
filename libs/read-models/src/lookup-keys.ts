/** Keys per lookup query (`… in (k0, …, k99)`). */
export const KEYS_PER_QUERY = 100;

/** `ids` in lists of at most {@link KEYS_PER_QUERY}. */
export function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += KEYS_PER_QUERY) out.push(ids.slice(i, i + KEYS_PER_QUERY));
  return out;
}

/**
 * The params of one lookup, `k0` … `k99`: a shorter list repeats its last key, so that every lookup
 * has the same SQL and one prepared statement serves them all (see prepared.ts).
 */
export function padded(keys: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  const last = keys.length - 1;
  for (let i = 0; i < KEYS_PER_QUERY; i++) params[`k${i}`] = keys[Math.min(i, last)] as string;
  return params;
}
