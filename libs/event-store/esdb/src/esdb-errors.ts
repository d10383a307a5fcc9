import {
  AccessDeniedError,
  CancelledError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreAccessDeniedError,
  EventStoreError,
  EventStoreFatalError,
  EventStoreUnavailableError,
  ExpectedVersionConflictError,
  InvalidEventStoreRequestError,
  type ExpectedRevision,
} from '@medlineage/event-store';

/**
 * EventStoreDB client errors → port errors. Network-level failures leave an append's outcome
 * unknown: they are retriable because a retry with the same ids and expected revision is
 * deduplicated by the server.
 */
export function translateEsdbError(
  error: unknown,
  what: string,
  expected?: ExpectedRevision,
): EventStoreError {
  if (error instanceof EventStoreError) return error;
  if (error instanceof WrongExpectedVersionError) {
    const actual = typeof error.actualVersion === 'bigint' ? error.actualVersion : null;
    return new ExpectedVersionConflictError(
      error.streamName,
      expected ?? fromEsdbExpected(error.expectedVersion),
      actual,
    );
  }
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof NotLeaderError ||
    error instanceof CancelledError
  ) {
    return new EventStoreUnavailableError(`${what}: ${error.message}`, { cause: error });
  }
  if (error instanceof AccessDeniedError) return new EventStoreAccessDeniedError(`${what}: ${error.message}`);
  if (error instanceof MaxAppendSizeExceededError) {
    return new InvalidEventStoreRequestError(
      `${what}: larger than the server's max append size (${error.maxAppendSize})`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EventStoreFatalError(`${what}: ${message}`, { cause: error });
}

function fromEsdbExpected(value: unknown): ExpectedRevision {
  if (typeof value === 'bigint') return value;
  if (value === 'no_stream' || value === 'stream_exists') return value;
  return 'any';
}
