import { isUuid } from '@medlineage/kernel';
import type { EventToAppend } from './event-store';
import { InvalidEventStoreRequestError } from './event-store-errors';

// Printable, no whitespace: stream names end up in logs, URLs and SQL parameters.
const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@+=-]{0,511}$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;

/** Default cap on one append's payload bytes (EventStoreDB's default max append size is 1 MiB per event). */
export const DEFAULT_MAX_APPEND_BYTES = 16 * 1024 * 1024;

/**
 * Checks shared by every adapter, before any I/O: names and types that could not be stored or
 * would be misread (system `$` streams, whitespace), ids that are not UUIDs, duplicate ids within
 * the batch, empty or oversized batches.
 */
export function validateAppend(
  streamName: string,
  events: readonly EventToAppend[],
  maxBytes: number = DEFAULT_MAX_APPEND_BYTES,
): void {
  validateStreamName(streamName);
  if (events.length === 0) throw new InvalidEventStoreRequestError(`append to ${streamName} has no events`);
  const seen = new Set<string>();
  let bytes = 0;
  for (const e of events) {
    if (!isUuid(e.id))
      throw new InvalidEventStoreRequestError(`event id ${JSON.stringify(e.id)} is not a UUID`);
    const id = e.id.toLowerCase();
    if (seen.has(id)) throw new InvalidEventStoreRequestError(`event id ${e.id} appears twice in one append`);
    seen.add(id);
    if (!EVENT_TYPE.test(e.type)) {
      throw new InvalidEventStoreRequestError(
        `event type ${JSON.stringify(e.type)} is not a valid type name`,
      );
    }
    bytes += e.data.byteLength + e.metadata.byteLength;
  }
  if (bytes > maxBytes) {
    throw new InvalidEventStoreRequestError(
      `append to ${streamName} is ${bytes} bytes; the limit is ${maxBytes}`,
    );
  }
}

export function validateStreamName(streamName: string): void {
  if (!STREAM_NAME.test(streamName)) {
    throw new InvalidEventStoreRequestError(
      `stream name ${JSON.stringify(streamName.slice(0, 80))} must be 1-512 printable characters, not starting with $ or a symbol`,
    );
  }
}
