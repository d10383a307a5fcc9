import type { GlobalPosition } from './positions';

/**
 * What the stream must look like for an append to proceed:
 * - `'no_stream'`: the stream must not exist;
 * - `'stream_exists'`: it must exist (any revision);
 * - `'any'`: no check (WARNING: on EventStoreDB, retries under `any` are deduplicated only while
 *   the ids are in the server's memory cache — use an exact revision for idempotency);
 * - a bigint: the revision (0-based) of the stream's last event.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

/** An event to append. Payloads are opaque bytes (Avro single-object encoded in MedLineage). */
export interface EventToAppend {
  /** UUID, deterministic from the event's cause so a retry or redelivery carries the same id. */
  readonly id: string;
  /** Stable event type string (never a class name). */
  readonly type: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append (pass it as the next expected revision). */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  readonly position: GlobalPosition;
}

export interface RecordedEvent {
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: GlobalPosition;
  readonly id: string;
  readonly type: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** When the store recorded it (store clock). */
  readonly createdAt: Date;
}

/** One stream's events, as {@link EventStore.readStreams} yields them. */
export interface StreamEvents {
  readonly streamName: string;
  /** What a forwards `readStream` of the whole stream yields, in revision order; empty if none. */
  readonly events: readonly RecordedEvent[];
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** @defaultValue 'forwards' */
  readonly direction?: Direction;
  /** Inclusive. @defaultValue 'start' forwards, 'end' backwards */
  readonly fromRevision?: 'start' | 'end' | bigint;
  /** @defaultValue unlimited */
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** @defaultValue 'forwards' */
  readonly direction?: Direction;
  /**
   * Forwards: events at or after this position. Backwards: events strictly before it.
   * @defaultValue 'start' forwards, 'end' backwards
   */
  readonly fromPosition?: 'start' | 'end' | GlobalPosition;
  /** @defaultValue unlimited */
  readonly maxCount?: number;
}

/** Server-side where the store can, client-side otherwise; both criteria must match when both are set. */
export interface SubscriptionFilter {
  /** Stream categories: the part of `<category>-<id>` before the first dash. */
  readonly categories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface SubscribeToAllOptions {
  /** Exclusive: delivery resumes AFTER this position (a stored checkpoint). @defaultValue 'start' */
  readonly fromPosition?: 'start' | GlobalPosition;
  readonly filter?: SubscriptionFilter;
}

/**
 * - `event`: the next matching event, in global order;
 * - `caughtUp`: everything stored when catch-up began has been delivered; live delivery follows
 *   (sent once per subscription);
 * - `checkpoint`: everything up to `position` has been considered, though filtered out — store it
 *   so a restart skips the gap.
 */
export type SubscriptionMessage =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  | { readonly kind: 'caughtUp'; readonly position: GlobalPosition | null }
  | { readonly kind: 'checkpoint'; readonly position: GlobalPosition };

/**
 * A catch-up-then-live subscription to the global log. Consume with `for await` (ordered, with
 * back-pressure). WARNING: delivery is at-least-once across restarts — consumers checkpoint in
 * the same transaction as their effects. Iteration ends after `close()`; it throws an
 * {@link EventStoreError} if the subscription drops (resubscribing is the caller's job).
 */
export interface AllSubscription extends AsyncIterable<SubscriptionMessage> {
  close(): Promise<void>;
}

/** Retention and custom settings of a stream (EventStoreDB's `$$<stream>` metadata). */
export interface StreamMetadata {
  /** Events older than this many seconds are hidden from stream reads. */
  readonly maxAge?: number;
  /** Only the newest N events stay visible in stream reads. */
  readonly maxCount?: number;
  /** Events before this revision are hidden from stream reads. */
  readonly truncateBefore?: bigint;
  /** Application settings (JSON-serialisable). No PHI. */
  readonly custom?: Readonly<Record<string, unknown>>;
}

export interface StreamMetadataResult {
  readonly streamName: string;
  readonly metadata: StreamMetadata;
  /** Revision of the metadata itself (`null` when never set), for optimistic updates. */
  readonly metadataRevision: bigint | null;
}

/**
 * The event store port. Two adapters implement it (embedded SQLite, EventStoreDB) and one
 * contract suite (`@medlineage/event-store/testing`) holds both to the same semantics.
 */
export interface EventStore {
  /**
   * Appends atomically (all events or none). Idempotent: repeating an append whose events are
   * already at the expected position succeeds and writes nothing, returning the original result.
   * @throws ExpectedVersionConflictError, DuplicateEventIdError, EventStoreUnavailableError…
   */
  appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /** Reads a stream; a stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  /**
   * Reads several streams whole, forwards: one item per name, in the order given, each holding
   * what `readStream(name)` would yield (same retention rules).
   * Where the store can, many small streams cost one query instead of one or two each (a
   * dataset's history reads a thousand). Each stream is held in memory: meant for
   * aggregate-sized streams.
   */
  readStreams(streamNames: readonly string[]): AsyncIterable<StreamEvents>;

  /** Revision of the stream's last event, or `null` when it does not exist. */
  streamRevision(streamName: string): Promise<bigint | null>;

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  /** Position of the last event in the global log (for lag and rebuild completion), or `null` when empty. */
  headPosition(): Promise<GlobalPosition | null>;

  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;

  getStreamMetadata(streamName: string): Promise<StreamMetadataResult>;

  setStreamMetadata(
    streamName: string,
    metadata: StreamMetadata,
    options?: { readonly expectedMetadataRevision?: bigint | 'no_stream' | 'any' },
  ): Promise<{ readonly metadataRevision: bigint }>;

  close(): Promise<void>;
}

/** `<category>-<id>`: the category is everything before the first dash. */
export function streamCategory(streamName: string): string {
  const dash = streamName.indexOf('-');
  return dash < 0 ? streamName : streamName.slice(0, dash);
}
