import { bucketName, parseEndpoint, resolveMinioOptions } from './minio-options';

const base = {
  endpoint: 'http://127.0.0.1:9000',
  accessKey: 'a',
  secretKey: 's',
  bucketPrefix: 'medlineage',
};

describe('MinIO options', () => {
  it('parses the endpoint URL into host, port and TLS', () => {
    expect(parseEndpoint('http://127.0.0.1:9000')).toEqual({
      endPoint: '127.0.0.1',
      port: 9000,
      useSSL: false,
    });
    expect(parseEndpoint('https://s3.example.org')).toEqual({
      endPoint: 's3.example.org',
      port: 443,
      useSSL: true,
    });
    expect(parseEndpoint('http://minio')).toEqual({ endPoint: 'minio', port: 80, useSSL: false });
    expect(parseEndpoint('http://[::1]:9000/')).toEqual({ endPoint: '::1', port: 9000, useSSL: false });
  });

  it.each([
    ['not a URL', '127.0.0.1:9000'],
    ['another scheme', 'ftp://127.0.0.1'],
    ['credentials in the URL', 'http://user:secret@127.0.0.1:9000'],
    ['a path', 'http://127.0.0.1:9000/bucket'],
    ['a query', 'http://127.0.0.1:9000?x=1'],
  ])('refuses an endpoint with %s', (_, endpoint) => {
    expect(() => parseEndpoint(endpoint)).toThrow(RangeError);
  });

  it('never echoes a credential-bearing endpoint in its error', () => {
    expect(() => parseEndpoint('http://user:hunter2@127.0.0.1')).toThrow(/^(?!.*hunter2)/);
  });

  it('fills in defaults: 8 MiB parts, 30 s idle timeout, one client retry, 1-day staging expiry', () => {
    expect(resolveMinioOptions(base)).toMatchObject({
      region: 'us-east-1',
      partSizeBytes: 8 * 1024 * 1024,
      requestTimeoutMs: 30_000,
      retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1000 },
      maxSingleCopyBytes: 5 * 1024 ** 3,
      stagingExpiryDays: 1,
    });
    expect(resolveMinioOptions({ ...base, stagingExpiryDays: null }).stagingExpiryDays).toBeNull();
  });

  it.each([
    ['an upper-case bucket prefix', { bucketPrefix: 'MedLineage' }],
    ['a bucket prefix too long for "-deidentified"', { bucketPrefix: 'a'.repeat(51) }],
    ['a double hyphen', { bucketPrefix: 'med--lineage' }],
    ['a trailing hyphen', { bucketPrefix: 'medlineage-' }],
    ['parts below S3 minimum', { partSizeBytes: 4 * 1024 * 1024 }],
    ['a zero timeout', { requestTimeoutMs: 0 }],
    ['negative retries', { retry: { maxRetries: -1 } }],
    ['an empty secret', { secretKey: '' }],
  ])('refuses %s', (_, override) => {
    expect(() => resolveMinioOptions({ ...base, ...override })).toThrow(RangeError);
  });

  it('names buckets <prefix>-<zone>', () => {
    expect(bucketName('medlineage', 'QUARANTINE')).toBe('medlineage-quarantine');
    expect(bucketName('ml', 'DEIDENTIFIED')).toBe('ml-deidentified');
  });
});
