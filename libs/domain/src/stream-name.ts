/**
 * Stream names are `<category>-<id>` with a dash-free category, so the event store's
 * `$by_category` projection (which splits at the FIRST dash) groups them correctly while ids
 * themselves (UUIDs) may contain dashes.
 */
export function streamName(category: string, id: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(category)) throw new RangeError(`invalid stream category '${category}'`);
  if (id.length === 0) throw new RangeError(`empty id for stream category '${category}'`);
  return `${category}-${id}`;
}

/** Splits a stream name at its first dash; null when it has no category. */
export function parseStreamName(name: string): { readonly category: string; readonly id: string } | null {
  const dash = name.indexOf('-');
  if (dash <= 0 || dash === name.length - 1) return null;
  return { category: name.slice(0, dash), id: name.slice(dash + 1) };
}
