import {
  isRetriableObjectStoreError,
  ObjectNotFoundError,
  ObjectStoreAccessDeniedError,
  ObjectStoreFatalError,
  ObjectStoreUnavailableError,
} from '@medlineage/object-store';
import { isMinioNotFound, translateMinioError } from './minio-errors';

/** Shaped like the client's S3Error: an Error with the S3 code copied onto it. */
const s3Error = (code: string): Error => Object.assign(new Error(`server says ${code}`), { code });
const key = `sha256/ab/ab/${'ab'.repeat(32)}`;

describe('translateMinioError', () => {
  it.each(['NoSuchKey', 'NotFound', 'NoSuchBucket'])(
    '%s on a read is ObjectNotFoundError for zone and key',
    (code) => {
      const error = translateMinioError(s3Error(code), { what: 'get', object: { zone: 'HOT', key } });
      expect(error).toBeInstanceOf(ObjectNotFoundError);
      expect(error).toMatchObject({ zone: 'HOT', key });
      expect(isMinioNotFound(s3Error(code))).toBe(true);
    },
  );

  it.each(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken'])(
    '%s is access denied, not retriable',
    (code) => {
      const error = translateMinioError(s3Error(code), { what: 'put to zone HOT' });
      expect(error).toBeInstanceOf(ObjectStoreAccessDeniedError);
      expect(error.retriable).toBe(false);
      expect(error.message).toBe(`put to zone HOT: ${code}`);
    },
  );

  it.each([
    'SlowDown',
    'ServiceUnavailable',
    'InternalError',
    'RequestTimeout',
    'XMinioStorageFull',
    'XMinioWriteQuorum',
    'BadDigest',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'EAI_AGAIN',
  ])('%s is retriable', (code) => {
    const error = translateMinioError(s3Error(code), { what: 'put to zone HOT' });
    expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
    expect(isRetriableObjectStoreError(error)).toBe(true);
  });

  it("recognises the client's own 'retries exhausted' errors (they carry no S3 code)", () => {
    const error = translateMinioError(
      new Error('Request failed after 1 retries: Error: Retryable HTTP status: 503'),
      { what: 'head' },
    );
    expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
    expect(error.message).toBe('head: HTTP 503 after retries');
  });

  it('anything else is fatal, and the server text is not copied into the message', () => {
    const error = translateMinioError(s3Error('InvalidArgument'), { what: 'put to zone HOT' });
    expect(error).toBeInstanceOf(ObjectStoreFatalError);
    expect(error.message).toBe('put to zone HOT: InvalidArgument');
    expect(translateMinioError(new TypeError('bug'), { what: 'x' })).toBeInstanceOf(ObjectStoreFatalError);
    expect(translateMinioError('weird', { what: 'x' }).message).toBe('x: string');
  });

  it('NoSuchKey without an object context (a write) is fatal, not "not found"', () => {
    expect(translateMinioError(s3Error('NoSuchKey'), { what: 'write' })).toBeInstanceOf(
      ObjectStoreFatalError,
    );
  });
});
