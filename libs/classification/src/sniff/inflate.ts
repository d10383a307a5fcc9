import { constants, inflateRawSync } from 'node:zlib';
import { MAX_INFLATED_BYTES } from './signal';

export type InflateOutcome =
  /** The deflate stream ended inside the input. */
  | { readonly kind: 'complete'; readonly bytes: Uint8Array }
  /** The input ended first (`capped` false), or the output reached the cap (`capped` true). */
  | { readonly kind: 'partial'; readonly bytes: Uint8Array; readonly capped: boolean }
  /** The input is not valid deflate data; `bytes` is what a shorter prefix decoded to, if anything. */
  | { readonly kind: 'corrupt'; readonly bytes: Uint8Array };

const MIN_PREFIX = 16;

/**
 * Inflates a raw deflate stream, never producing more than `cap` bytes and never doing much more
 * than `cap` bytes of work per attempt: node's sync zlib checks `maxOutputLength` after every
 * output chunk and throws, so a 1000:1 bomb costs one capped attempt. When the whole input would
 * exceed the cap (or is corrupt further on), ever shorter prefixes are inflated with a sync flush,
 * which yields a prefix of the output: enough to sniff. At most ~12 attempts.
 */
export function inflateRawCapped(input: Uint8Array, cap: number = MAX_INFLATED_BYTES): InflateOutcome {
  const limit = Math.max(1, Math.min(cap, MAX_INFLATED_BYTES));
  let reason: 'truncated' | 'capped' | 'corrupt';
  try {
    return { kind: 'complete', bytes: inflateRawSync(input, { maxOutputLength: limit }) };
  } catch (error) {
    reason = zlibFailure(error);
  }
  if (reason === 'truncated') {
    try {
      const bytes = inflateRawSync(input, { maxOutputLength: limit, finishFlush: constants.Z_SYNC_FLUSH });
      return { kind: 'partial', bytes, capped: false };
    } catch (error) {
      reason = zlibFailure(error);
    }
  }
  for (let n = input.length >> 1; n >= MIN_PREFIX; n >>= 1) {
    try {
      const bytes = inflateRawSync(input.subarray(0, n), {
        maxOutputLength: limit,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      return reason === 'corrupt' ? { kind: 'corrupt', bytes } : { kind: 'partial', bytes, capped: true };
    } catch {
      // still too much output (or still corrupt): try a shorter prefix
    }
  }
  return reason === 'corrupt'
    ? { kind: 'corrupt', bytes: new Uint8Array(0) }
    : { kind: 'partial', bytes: new Uint8Array(0), capped: true };
}

function zlibFailure(error: unknown): 'truncated' | 'capped' | 'corrupt' {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'ERR_BUFFER_TOO_LARGE') return 'capped';
  if (code === 'Z_BUF_ERROR') return 'truncated';
  return 'corrupt';
}
