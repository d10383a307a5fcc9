import { ALL_EVENT_TYPES, type DomainEventUnion, type EventType } from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import type { RecordedEvent } from '@medlineage/event-store';
import type { EventMetadata } from '@medlineage/kernel';

/** A stored event decoded into its current shape, with its envelope. Internal: never leaves the library. */
export interface DecodedEvent {
  readonly recorded: RecordedEvent;
  readonly event: DomainEventUnion;
  readonly metadata: EventMetadata;
  readonly writerVersion: number;
  readonly currentVersion: number;
}

export class UnknownEventTypeError extends Error {
  constructor(type: string, streamName: string) {
    super(`stream ${streamName} holds an event of unknown type ${JSON.stringify(type)}`);
    this.name = 'UnknownEventTypeError';
  }
}

// Stored type strings mapped to the catalogue's own: a timeline keeps one copy of each, not one per event.
const KNOWN: ReadonlyMap<string, EventType> = new Map(ALL_EVENT_TYPES.map((t) => [t, t]));

/** Decodes data and envelope (the envelope's sealed fields, if any, stay sealed: nothing is opened). */
export function decodeRecorded(codec: EventCodec, recorded: RecordedEvent): DecodedEvent {
  const type = KNOWN.get(recorded.type);
  if (type === undefined) throw new UnknownEventTypeError(recorded.type, recorded.streamName);
  const data = codec.decode(recorded.data, type);
  const metadata = codec.decode<EventMetadata>(recorded.metadata, 'EventMetadata').value;
  // The codec checked the payload against the schema of `type`, whose TS shape is the union member.
  const event = { type, data: data.value } as DomainEventUnion;
  return { recorded, event, metadata, writerVersion: data.writerVersion, currentVersion: data.version };
}
