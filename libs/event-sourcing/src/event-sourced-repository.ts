import type { EventCodec } from '@medlineage/event-codec';
import {
  ExpectedVersionConflictError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
} from '@medlineage/event-store';
import { deterministicId, type Decider, type DomainEvent, type EventMetadata } from '@medlineage/kernel';
import type { CommandContext } from './command-context';

/** An event as loaded: domain event plus its decoded envelope and store coordinates. */
export interface LoadedEvent<E extends DomainEvent> {
  readonly event: E;
  readonly metadata: EventMetadata;
  readonly id: string;
  readonly revision: bigint;
}

export interface LoadedStream<S, E extends DomainEvent> {
  readonly state: S;
  readonly revision: bigint | null;
  readonly events: readonly LoadedEvent<E>[];
}

export type HandleOutcome<E extends DomainEvent> =
  /** New events were appended. */
  | { readonly kind: 'appended'; readonly events: readonly E[]; readonly result: AppendResult }
  /** The decider decided nothing (an idempotent command: e.g. the same content ingested again). */
  | { readonly kind: 'unchanged' }
  /** This cause was handled before (redelivery): its events are already in the stream. */
  | { readonly kind: 'duplicate' };

export interface RepositoryOptions {
  /** Store clock for `recordedAt`. @defaultValue () => new Date() */
  readonly clock?: () => Date;
  /** Re-reads and re-decides after an optimistic-concurrency conflict this many times. @defaultValue 5 */
  readonly maxConflictRetries?: number;
}

/**
 * Runs commands against event-sourced aggregates: load the stream (decoding and upcasting every
 * stored version), fold it with the decider, decide, and append with the exact expected revision
 * and deterministic event ids. WARNING: store unavailability propagates as a retriable error; retry
 * the same command and context, which reproduces the same ids and so cannot write twice.
 */
export class EventSourcedRepository {
  private readonly clock: () => Date;
  private readonly maxConflictRetries: number;

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    options: RepositoryOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.maxConflictRetries = options.maxConflictRetries ?? 5;
  }

  async load<S, E extends DomainEvent>(
    decider: Pick<Decider<unknown, S, E>, 'evolve' | 'initialState'>,
    streamName: string,
  ): Promise<LoadedStream<S, E>> {
    let state = decider.initialState();
    let revision: bigint | null = null;
    const events: LoadedEvent<E>[] = [];
    for await (const recorded of this.store.readStream(streamName)) {
      const event = { type: recorded.type, data: this.codec.decode(recorded.data, recorded.type).value } as E;
      const metadata = this.codec.decode<EventMetadata>(recorded.metadata, 'EventMetadata').value;
      state = decider.evolve(state, event);
      revision = recorded.revision;
      events.push({ event, metadata, id: recorded.id, revision: recorded.revision });
    }
    return { state, revision, events };
  }

  async handle<C, S, E extends DomainEvent>(
    decider: Decider<C, S, E>,
    streamName: string,
    command: C,
    context: CommandContext,
  ): Promise<HandleOutcome<E>> {
    for (let attempt = 0; ; attempt++) {
      const { state, revision, events: history } = await this.load(decider, streamName);
      const firstId = eventId(context, streamName, 0);
      if (history.some((e) => e.id === firstId)) return { kind: 'duplicate' };

      const events = decider.decide(command, state);
      if (events.length === 0) return { kind: 'unchanged' };
      try {
        const result = await this.store.appendToStream(
          streamName,
          events.map((e, i) => this.toAppend(e, eventId(context, streamName, i), context)),
          { expectedRevision: revision ?? 'no_stream' },
        );
        return { kind: 'appended', events, result };
      } catch (error) {
        // Another writer got there first: re-read and decide again on the newer state.
        if (error instanceof ExpectedVersionConflictError && attempt < this.maxConflictRetries) continue;
        throw error;
      }
    }
  }

  private toAppend(event: DomainEvent, id: string, context: CommandContext): EventToAppend {
    const metadata: EventMetadata = {
      eventType: event.type,
      schemaVersion: this.codec.catalogue.latest(event.type).version,
      occurredAt: context.occurredAt,
      recordedAt: this.clock(),
      actor: context.actor,
      purposeOfUse: context.purposeOfUse,
      correlationId: context.correlationId,
      causationId: context.causationId,
      producer: context.producer,
      source: context.source,
    };
    return {
      id,
      type: event.type,
      data: this.codec.encode(event.type, event.data),
      metadata: this.codec.encode('EventMetadata', metadata),
    };
  }
}

function eventId(context: CommandContext, streamName: string, index: number): string {
  return deterministicId('event', context.causeId, streamName, index);
}
