import { randomBytes } from 'node:crypto';

export interface UniqueNameOptions {
  /**
   * Joins the prefix, time and random parts. `-` (default) suits Kafka topics and S3 buckets; use `_` for
   * SQL identifiers (database, schema, table names), where `-` would need quoting.
   */
  readonly separator?: '-' | '_';
}

/** S3 bucket names are the tightest limit of the three stores: at most 63 characters. */
const MAX_LENGTH = 63;
const PREFIX = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/**
 * A name no other test run has used: for topics, buckets, consumer groups and databases, so suites can
 * share one long-lived broker/server (and run in parallel workers) without seeing each other's data.
 * Lower case, letters, digits and the separator only: valid as a Kafka topic, an S3 bucket and an
 * unquoted PostgreSQL identifier (with `_`).
 */
export function uniqueName(prefix: string, options: UniqueNameOptions = {}): string {
  if (!PREFIX.test(prefix)) {
    throw new Error(`uniqueName: prefix ${JSON.stringify(prefix)} must be lower-case letters and digits`);
  }
  const separator = options.separator ?? '-';
  const base = prefix.replace(/[-_]/g, separator);
  // Time first so names sort by creation (handy when cleaning up a shared dev server), then 48 random
  // bits so that parallel workers starting in the same millisecond still differ.
  const suffix = `${Date.now().toString(36)}${separator}${randomBytes(6).toString('hex')}`;
  const room = MAX_LENGTH - suffix.length - 1;
  return `${base.slice(0, room)}${separator}${suffix}`;
}
