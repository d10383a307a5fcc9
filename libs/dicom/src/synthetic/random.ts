import { createHash } from 'node:crypto';

/** Deterministic values derived from a seed and a label (SHA-256), for reproducible fixtures. */
export function derivedInt(seed: string, label: string, bound: number): number {
  const digest = createHash('sha256').update(seed).update('\u0000').update(label).digest();
  return digest.readUIntBE(0, 6) % bound;
}

export function derivedDigits(seed: string, label: string, count: number): string {
  return String(derivedInt(seed, label, 10 ** count)).padStart(count, '0');
}

/** Small seeded PRNG (mulberry32): uniform floats in [0, 1). Not cryptographic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
