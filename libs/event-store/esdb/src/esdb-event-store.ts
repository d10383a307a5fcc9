import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  binaryEvent,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type Filter,
  type ResolvedEvent,
  type StreamMetadata as EsdbStreamMetadata,
} from '@eventstore/db-client';
import {
  comparePositions,
  streamCategory,
  validateAppend,
  validateStreamName,
  type AllSubscription,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type GlobalPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamEvents,
  type StreamMetadata,
  type StreamMetadataResult,
  type SubscribeToAllOptions,
  type SubscriptionFilter,
  type SubscriptionMessage,
} from '@medlineage/event-store';
import { translateEsdbError } from './esdb-errors';
import { AsyncQueue } from './async-queue';

/** Stream reads `readStreams` keeps in flight on one connection. */
const PARALLEL_STREAM_READS = 32;

/**
 * EventStoreDB / KurrentDB adapter on `@eventstore/db-client` 6.x: the only file that touches the
 * client, so a switch to `@kurrent/kurrentdb-client` stays local. Events are stored as binary
 * (`application/octet-stream`) with our Avro payloads as data and metadata.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<AllSubscription>();

  private constructor(private readonly client: EventStoreDBClient) {}

  /** e.g. `esdb://127.0.0.1:2113?tls=false`. Connects lazily; the first call reports unreachability. */
  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  async appendToStream(
    streamName: string,
    events: readonly EventToAppend[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    validateAppend(streamName, events);
    const expected = options.expectedRevision;
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((e) => binaryEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision: expected },
      );
      const position =
        result.position ?? (await this.lastPositionOf(streamName, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      throw translateEsdbError(error, `append to ${streamName}`, expected);
    }
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    validateStreamName(streamName);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from === 'start' ? START : from === 'end' ? END : from,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read as AsyncIterable<ResolvedEvent>) {
        const event = toRecorded(resolved);
        if (event) yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw translateEsdbError(error, `read ${streamName}`);
    }
  }

  async *readStreams(streamNames: readonly string[]): AsyncIterable<StreamEvents> {
    for (const name of streamNames) validateStreamName(name);
    // The server has no multi-stream read: a few stream reads in flight at once, yielded in order.
    for (let i = 0; i < streamNames.length; i += PARALLEL_STREAM_READS) {
      const batch = streamNames.slice(i, i + PARALLEL_STREAM_READS);
      yield* await Promise.all(
        batch.map(async (streamName) => {
          const events: RecordedEvent[] = [];
          for await (const e of this.readStream(streamName)) events.push(e);
          return { streamName, events };
        }),
      );
    }
  }

  async streamRevision(streamName: string): Promise<bigint | null> {
    for await (const e of this.readStream(streamName, { direction: 'backwards', maxCount: 1 }))
      return e.revision;
    return null;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const from = options.fromPosition ?? (backwards ? 'end' : 'start');
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    try {
      // No server-side filter on readAll in 6.x: system events are skipped here, so maxCount is
      // applied client-side and the read is cancelled once satisfied.
      const read = this.client.readAll({
        direction: backwards ? BACKWARDS : FORWARDS,
        fromPosition: from === 'start' ? START : from === 'end' ? END : from,
      });
      try {
        for await (const resolved of read as AsyncIterable<AllStreamResolvedEvent>) {
          const event = toRecorded(resolved);
          if (!event) continue;
          // Port semantics: forwards inclusive, backwards strictly before the position.
          if (typeof from === 'object') {
            const c = comparePositions(event.position, from);
            if (backwards ? c >= 0 : c < 0) continue;
          }
          yield event;
          if (--remaining <= 0) break;
        }
      } finally {
        await read.cancel();
      }
    } catch (error) {
      throw translateEsdbError(error, 'read $all');
    }
  }

  async headPosition(): Promise<GlobalPosition | null> {
    for await (const e of this.readAll({ direction: 'backwards', maxCount: 1 })) return e.position;
    return null;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const queue = new AsyncQueue<SubscriptionMessage>();
    const filter = options.filter;
    let lastPosition: GlobalPosition | null = null;
    const sub: AllStreamSubscription = this.client.subscribeToAll({
      fromPosition:
        options.fromPosition === undefined || options.fromPosition === 'start' ? START : options.fromPosition,
      filter: serverFilter(filter, (position) => queue.push({ kind: 'checkpoint', position })),
    });
    sub.on('data', (resolved: AllStreamResolvedEvent) => {
      const event = toRecorded(resolved);
      if (!event || !matches(event, filter)) return;
      lastPosition = event.position;
      if (queue.push({ kind: 'event', event }) > 1000) sub.pause(); // back-pressure
    });
    let caughtUp = false;
    sub.on('caughtUp', () => {
      if (caughtUp) return;
      caughtUp = true;
      queue.push({ kind: 'caughtUp', position: lastPosition });
    });
    sub.on('error', (error: unknown) => queue.fail(translateEsdbError(error, 'subscription to $all')));
    sub.on('end', () => queue.end());
    queue.onDrain(() => sub.resume());

    const subscription: AllSubscription = {
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      close: async () => {
        this.subscriptions.delete(subscription);
        queue.end();
        await sub.unsubscribe();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async getStreamMetadata(streamName: string): Promise<StreamMetadataResult> {
    validateStreamName(streamName);
    try {
      const result = await this.client.getStreamMetadata(streamName);
      return {
        streamName,
        metadata: fromEsdbMetadata(result.metadata),
        metadataRevision: result.metastreamRevision ?? null,
      };
    } catch (error) {
      throw translateEsdbError(error, `get metadata of ${streamName}`);
    }
  }

  async setStreamMetadata(
    streamName: string,
    metadata: StreamMetadata,
    options: { readonly expectedMetadataRevision?: bigint | 'no_stream' | 'any' } = {},
  ): Promise<{ readonly metadataRevision: bigint }> {
    validateStreamName(streamName);
    const expected = options.expectedMetadataRevision ?? 'any';
    try {
      const result = await this.client.setStreamMetadata(streamName, toEsdbMetadata(metadata), {
        expectedRevision: expected,
      });
      return { metadataRevision: result.nextExpectedRevision };
    } catch (error) {
      throw translateEsdbError(error, `set metadata of ${streamName}`, expected);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private async lastPositionOf(streamName: string, revision: bigint): Promise<GlobalPosition> {
    for await (const e of this.readStream(streamName, {
      direction: 'backwards',
      fromRevision: revision,
      maxCount: 1,
    })) {
      return e.position;
    }
    throw translateEsdbError(new Error('appended event not found on read-back'), `append to ${streamName}`);
  }
}

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const e = resolved.event;
  // Link events, system events ($-prefixed types or streams) and JSON events from other writers
  // are not ours.
  if (!e || e.isJson || e.type.startsWith('$') || e.streamId.startsWith('$') || !e.position) return undefined;
  return {
    streamName: e.streamId,
    revision: e.revision,
    position: e.position,
    id: e.id,
    type: e.type,
    data: e.data,
    metadata: e.metadata instanceof Uint8Array ? e.metadata : new Uint8Array(),
    createdAt: e.created,
  };
}

function matches(event: RecordedEvent, filter: SubscriptionFilter | undefined): boolean {
  if (filter?.categories && !filter.categories.includes(streamCategory(event.streamName))) return false;
  if (filter?.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
}

/** One criterion server-side (categories preferred: usually the more selective); the rest client-side. */
function serverFilter(
  filter: SubscriptionFilter | undefined,
  onCheckpoint: (position: GlobalPosition) => void,
): Filter {
  const checkpoint = {
    checkpointInterval: 32,
    checkpointReached: (_s: unknown, p: GlobalPosition) => onCheckpoint(p),
  };
  if (filter?.categories?.length) {
    return streamNameFilter({ prefixes: filter.categories.map((c) => `${c}-`), ...checkpoint });
  }
  if (filter?.eventTypes?.length) return eventTypeFilter({ prefixes: [...filter.eventTypes], ...checkpoint });
  return excludeSystemEvents(checkpoint);
}

function toEsdbMetadata(m: StreamMetadata): EsdbStreamMetadata {
  return {
    ...(m.maxAge !== undefined ? { maxAge: m.maxAge } : {}),
    ...(m.maxCount !== undefined ? { maxCount: m.maxCount } : {}),
    ...(m.truncateBefore !== undefined ? { truncateBefore: Number(m.truncateBefore) } : {}),
    ...(m.custom !== undefined ? { custom: m.custom } : {}),
  };
}

function fromEsdbMetadata(m: EsdbStreamMetadata | undefined): StreamMetadata {
  if (!m) return {};
  const custom = m['custom'];
  return {
    ...(m.maxAge !== undefined ? { maxAge: m.maxAge } : {}),
    ...(m.maxCount !== undefined ? { maxCount: m.maxCount } : {}),
    ...(typeof m.truncateBefore === 'number' ? { truncateBefore: BigInt(m.truncateBefore) } : {}),
    ...(custom && typeof custom === 'object' ? { custom: custom as Record<string, unknown> } : {}),
  };
}
