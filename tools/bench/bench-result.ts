/** The one line every benchmark prints last (DEVELOPERS.md contract). */
export interface BenchResult {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: number;
  readonly ratio: number;
  readonly unit: string;
}

export interface Bench {
  readonly name: string;
  readonly description: string;
  /** Progress and secondary figures go to `log`; the returned result is printed last as JSON. */
  run(args: readonly string[], log: (line: string) => void): Promise<BenchResult>;
}

export function result(fields: Omit<BenchResult, 'ratio'>): BenchResult {
  const { bench, metric, value, baseline, unit } = fields;
  // Key order as in the contract: {"bench","metric","value","baseline","ratio","unit"}.
  return { bench, metric, value, baseline, ratio: round(value / baseline, 3), unit };
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `--name value` from the bench's own arguments, with a default. */
export function numberArg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const raw = i >= 0 ? args[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`--${name} must be a positive number`);
  return n;
}
