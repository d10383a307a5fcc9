/**
 * A point in the global log. EventStoreDB positions are a (commit, prepare) pair of transaction
 * file offsets; the embedded store uses its sequence number for both. Compare with
 * {@link comparePositions}; persist with {@link formatPosition} / {@link parsePosition}.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `C:<commit>/P:<prepare>`, the notation EventStoreDB uses in its UI and logs. */
export function formatPosition(p: GlobalPosition): string {
  return `C:${p.commit}/P:${p.prepare}`;
}

export function parsePosition(text: string): GlobalPosition {
  const match = /^C:(\d+)\/P:(\d+)$/.exec(text);
  if (!match) throw new RangeError(`not a global position: ${JSON.stringify(text)}`);
  return { commit: BigInt(match[1] ?? ''), prepare: BigInt(match[2] ?? '') };
}
