import type { Actor, Producer } from '@medlineage/kernel';
import type { DecodedEvent } from './decode-recorded';
import { summarizeEvent } from './summarize';
import type { TimelineEntry } from './timeline';

type SchemaVersion = TimelineEntry['schemaVersion'];

/**
 * Builds the entries of one traversal. A dataset's timeline holds every entry (10,000 for 1,000
 * objects) until it is sorted and returned, so what an entry retains is what the garbage
 * collector copies on every minor collection meanwhile; measured, that copying cost as much as
 * decoding. Envelope values that repeat across events (actors, producers, schema versions) are
 * therefore shared instead of kept once per event, and summaries are kept as one flat string.
 * Entries are read-only values, so sharing is invisible to callers.
 */
export class TimelineEntryBuilder {
  private readonly actors = new Map<string, Map<string, Actor>>();
  private readonly producers = new Map<string, Map<string, Producer>>();
  private readonly versions = new Map<number, Map<number, SchemaVersion>>();

  entry(e: DecodedEvent, at: Pick<TimelineEntry, 'node' | 'depth' | 'via'>): TimelineEntry {
    const m = e.metadata;
    return {
      position: e.recorded.position,
      streamName: e.recorded.streamName,
      revision: e.recorded.revision,
      eventId: e.recorded.id,
      eventType: e.event.type,
      schemaVersion: this.schemaVersion(e.writerVersion, e.currentVersion),
      occurredAt: m.occurredAt,
      recordedAt: m.recordedAt,
      actor: shared(this.actors, m.actor.kind, m.actor.id, m.actor),
      purposeOfUse: m.purposeOfUse,
      correlationId: m.correlationId,
      causationId: m.causationId,
      producer: shared(this.producers, m.producer.name, m.producer.version, m.producer),
      node: at.node,
      depth: at.depth,
      via: at.via,
      summary: flatten(summarizeEvent(e.event)),
    };
  }

  private schemaVersion(writer: number, current: number): SchemaVersion {
    const known = this.versions.get(writer)?.get(current);
    return known ?? shared(this.versions, writer, current, { writer, current });
  }
}

/**
 * The first value seen for (a, b). Two map levels so a lookup allocates no key, and the candidate
 * is passed rather than made by a callback, which would allocate a closure per call.
 */
function shared<A, B, V>(cache: Map<A, Map<B, V>>, a: A, b: B, candidate: V): V {
  let inner = cache.get(a);
  if (inner === undefined) cache.set(a, (inner = new Map<B, V>()));
  const value = inner.get(b);
  if (value !== undefined) return value;
  inner.set(b, candidate);
  return candidate;
}

/**
 * A template literal's result is a tree of concatenations (one heap object per part) until
 * something reads it as a whole; converting it to a number is such a read and flattens it in
 * place, so the entry keeps one string (the technique of the `flatstr` package).
 */
function flatten(s: string): string {
  Number(s); // reading it as a number flattens the string
  return s;
}
