import {
  AccessDeniedError,
  DeadlineExceededError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  EventStoreAccessDeniedError,
  EventStoreFatalError,
  EventStoreUnavailableError,
  ExpectedVersionConflictError,
  isRetriableEventStoreError,
} from '@medlineage/event-store';
import { translateEsdbError } from './esdb-errors';

describe('translateEsdbError', () => {
  it('maps a wrong expected version to the port conflict, keeping stream and revisions', () => {
    const vendor = new WrongExpectedVersionError(undefined, {
      streamName: 'object-1',
      expected: 3n,
      current: 5n,
    });
    const error = translateEsdbError(vendor, 'append', 3n);
    expect(error).toBeInstanceOf(ExpectedVersionConflictError);
    expect(error).toMatchObject({ streamName: 'object-1', expected: 3n, actual: 5n, retriable: false });
  });

  it('reports a missing stream as actual null', () => {
    const vendor = new WrongExpectedVersionError(undefined, {
      streamName: 'object-2',
      expected: 'stream_exists',
      current: 'no_stream',
    });
    expect(translateEsdbError(vendor, 'append')).toMatchObject({ expected: 'stream_exists', actual: null });
  });

  it.each([
    ['unavailable', new UnavailableError()],
    ['deadline exceeded', new DeadlineExceededError()],
  ])('makes %s retriable (the append outcome is unknown)', (_name, vendor) => {
    const error = translateEsdbError(vendor, 'append');
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
    expect(isRetriableEventStoreError(error)).toBe(true);
  });

  it('maps access denied and unknown errors to fatal port errors', () => {
    expect(translateEsdbError(new AccessDeniedError(), 'read')).toBeInstanceOf(EventStoreAccessDeniedError);
    const unknown = translateEsdbError(new UnknownError(), 'read');
    expect(unknown).toBeInstanceOf(EventStoreFatalError);
    expect(isRetriableEventStoreError(unknown)).toBe(false);
    expect(translateEsdbError(new TypeError('boom'), 'read')).toBeInstanceOf(EventStoreFatalError);
  });
});
