import type { ExpectedRevision } from './event-store';

/**
 * Every failure an event store adapter raises. `type` is a stable discriminator; `retriable`
 * says whether repeating the SAME call (same ids, same expected revision) may succeed.
 * Adapters translate vendor errors into these, so callers never see a vendor class.
 */
export abstract class EventStoreError extends Error {
  abstract readonly type: string;
  abstract readonly retriable: boolean;
}

/**
 * Optimistic-concurrency conflict: the stream is not at the expected revision and the events
 * are not a repeat of ones already written there. Not retriable as is: re-read, re-decide.
 */
export class ExpectedVersionConflictError extends EventStoreError {
  readonly type = 'expected-version-conflict';
  readonly retriable = false;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** Current revision of the stream; `null` when it does not exist. */
    readonly actual: bigint | null,
  ) {
    super(
      `stream ${streamName}: expected ${String(expected)}, actual ${actual === null ? 'no stream' : String(actual)}`,
    );
    this.name = 'ExpectedVersionConflictError';
  }
}

/**
 * An event id already stored in the stream at another position (ids are unique per stream, as in
 * EventStoreDB): a caller bug, never retriable.
 */
export class DuplicateEventIdError extends EventStoreError {
  readonly type = 'duplicate-event-id';
  readonly retriable = false;
  constructor(
    readonly streamName: string,
    readonly eventId: string,
  ) {
    super(`event ${eventId} is already stored in stream ${streamName} at another position`);
    this.name = 'DuplicateEventIdError';
  }
}

/** The request itself is wrong (bad id, empty type, too large, bad stream name). Not retriable. */
export class InvalidEventStoreRequestError extends EventStoreError {
  readonly type = 'invalid-request';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventStoreRequestError';
  }
}

/** Credentials or ACLs refuse the call. Not retriable without a configuration change. */
export class EventStoreAccessDeniedError extends EventStoreError {
  readonly type = 'access-denied';
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreAccessDeniedError';
  }
}

/**
 * The store could not be reached or did not answer in time; the outcome of an append is
 * UNKNOWN. Retry with the same ids and expected revision: the store dedupes it.
 */
export class EventStoreUnavailableError extends EventStoreError {
  readonly type = 'unavailable';
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/** Anything else the store reported; treated as fatal so it is looked at, not retried forever. */
export class EventStoreFatalError extends EventStoreError {
  readonly type = 'fatal';
  readonly retriable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreFatalError';
  }
}

export function isRetriableEventStoreError(error: unknown): boolean {
  return error instanceof EventStoreError && error.retriable;
}
