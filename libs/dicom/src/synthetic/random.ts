import { createHash } from 'node:crypto';
import { prng } from '@medlineage/classification/samples';

/** Deterministic values derived from a seed and a label (SHA-256), for reproducible fixtures. */
export function derivedInt(seed: string, label: string, bound: number): number {
  const digest = createHash('sha256').update(seed).update('\u0000').update(label).digest();
  return digest.readUIntBE(0, 6) % bound;
}

export function derivedDigits(seed: string, label: string, count: number): string {
  return String(derivedInt(seed, label, 10 ** count)).padStart(count, '0');
}

/** Small seeded PRNG (mulberry32): uniform floats in [0, 1). Not cryptographic. */
export const seededRandom: (seed: number) => () => number = prng;
