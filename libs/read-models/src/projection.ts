import { isEventType, type DomainEventUnion, type EventType } from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import { formatPosition, type GlobalPosition, type RecordedEvent } from '@medlineage/event-store';
import type { EventMetadata } from '@medlineage/kernel';
import type { Kysely } from 'kysely';
import type { ReadModelTransaction } from './database';
import type { ProjectionName } from './generations';

/** A stored event decoded (and upcast) into its current shape, with its envelope and coordinates. */
export interface DecodedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: GlobalPosition;
  /** `formatPosition(position)`. */
  readonly positionText: string;
  readonly event: DomainEventUnion;
  readonly metadata: EventMetadata;
  /** `metadata.occurredAt` as ISO text, as read models store it (formatted once per event). */
  readonly occurredAt: string;
  /** Store clock. */
  readonly storedAt: Date;
}

/**
 * A read model: which events it handles and how each one changes its rows. The projector opens one
 * {@link ProjectionBatch} per transaction (`begin`), applies the batch's events to it in log order,
 * then `end`s it; everything is written only through `trx`. Handlers are idempotent (upserts keyed
 * by ids, updates guarded by the row's last position), although the projector applies each event
 * exactly once per version.
 */
export interface Projection {
  readonly name: ProjectionName;
  /**
   * Version of this projection's table layout and meaning. Bumping it (a column added, a handler
   * changed) means existing generations were built by other code: they stay readable but are not
   * fed any more until `projections rebuild <name>` builds a generation with this code.
   */
  readonly schemaVersion: number;
  readonly eventTypes: readonly EventType[];
  /**
   * Creates the (empty) physical tables of one generation (`physicalTable(logical, generation)`),
   * with the keys and indexes its own handlers look rows up by.
   */
  createTables(db: SchemaDb, generation: number): Promise<void>;
  /**
   * Creates the indexes only queries use (`if not exists`). A new generation gets them with its
   * tables; a rebuild creates them once it has loaded the rows, before it switches (a sorted build
   * of a full index costs far less than keeping it up to date row by row, see rebuild.ts).
   */
  createQueryIndexes(db: SchemaDb, generation: number): Promise<void>;
  begin(trx: ReadModelTransaction): ProjectionBatch;
}

/** The part of one projector transaction a projection handles. */
export interface ProjectionBatch {
  /** Called first with all the events the batch will apply, e.g. to read the rows they touch at once. */
  prefetch?(events: readonly DecodedEvent[]): Promise<void>;
  apply(event: DecodedEvent): Promise<void>;
  /** Writes whatever the batch held back; the transaction commits after it. */
  end(): Promise<void>;
}

/** `begin` for a projection that writes each event's rows as it applies it (nothing held back). */
export function eventByEvent(
  apply: (trx: ReadModelTransaction, event: DecodedEvent) => Promise<void>,
): (trx: ReadModelTransaction) => ProjectionBatch {
  return (trx) => ({
    apply: (event) => apply(trx, event),
    end: () => Promise.resolve(),
  });
}

/** DDL runs on physical per-generation tables the typed schema does not name, so it is untyped (as in Kysely's migration docs). */
export type SchemaDb = Kysely<unknown>;

/** Decodes data and metadata with the codec (upcasting older versions); `null` for unknown types. */
export function decodeRecorded(codec: EventCodec, recorded: RecordedEvent): DecodedEvent | null {
  if (!isEventType(recorded.type)) return null;
  const data = codec.decode(recorded.data, recorded.type).value;
  const metadata = codec.decode<EventMetadata>(recorded.metadata, 'EventMetadata').value;
  // The codec validated `data` against the current schema of `recorded.type`, whose TS shape is
  // the matching member of DomainEventUnion.
  const event = { type: recorded.type, data } as DomainEventUnion;
  return {
    id: recorded.id,
    streamName: recorded.streamName,
    revision: recorded.revision,
    position: recorded.position,
    positionText: formatPosition(recorded.position),
    event,
    metadata,
    occurredAt: metadata.occurredAt.toISOString(),
    storedAt: recorded.createdAt,
  };
}

// Narrows an event to the types a projection handles (so its `switch` can be exhaustive); kept
// exported from here for the projections and the library's users.
export { isOneOf } from '@medlineage/domain';
