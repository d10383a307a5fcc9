import type { StorageZone } from '@medlineage/domain';
import { zoneName } from '@medlineage/object-store';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface MinioObjectStoreOptions {
  /** Base URL, e.g. `http://127.0.0.1:9000`; the scheme decides TLS. No credentials or path. */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  /** Buckets are `<bucketPrefix>-<zone>` (`medlineage-quarantine`…), one per zone. */
  readonly bucketPrefix: string;
  /** Fixed so the client never asks the server for a bucket's location. @defaultValue 'us-east-1' */
  readonly region?: string;
  /**
   * Size of the parts a streamed put is cut into, and so the most a put holds in memory; objects
   * up to this size are one PUT. S3 allows 5 MiB to 5 GiB and 10,000 parts, so the default caps
   * an object at 80 GiB. @defaultValue 8 MiB
   */
  readonly partSizeBytes?: number;
  /**
   * A request whose socket is idle this long fails as unavailable (the client has no timeout of
   * its own and would wait for ever on a server that accepted but never answers). It also ends a
   * `get` stream its consumer leaves unread for that long.
   * @defaultValue 30 000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The client's own retries of 5xx/429 answers (not of connection errors). Kept small: a
   * retriable error reaches the caller, whose retry policy (back-off, dead-letter) is the one
   * that matters. @defaultValue { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 1000 }
   */
  readonly retry?: {
    readonly maxRetries?: number;
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
  };
  /** Above this, server-side copies are multipart (S3's CopyObject stops at 5 GiB). @defaultValue 5 GiB */
  readonly maxSingleCopyBytes?: number;
  /** Part size of multipart server-side copies. @defaultValue 512 MiB */
  readonly copyPartSizeBytes?: number;
  /**
   * Lifecycle rule set on buckets this store creates: staged objects older than this many days
   * (left by a crash between upload and publish) expire. `null` sets no rule. MinIO itself
   * expires abandoned multipart uploads (`api stale_uploads_expiry`, 24 h by default).
   * @defaultValue 1
   */
  readonly stagingExpiryDays?: number | null;
}

export interface ResolvedMinioOptions {
  readonly endPoint: string;
  readonly port: number;
  readonly useSSL: boolean;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucketPrefix: string;
  readonly region: string;
  readonly partSizeBytes: number;
  readonly requestTimeoutMs: number;
  readonly retry: { readonly maxRetries: number; readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly maxSingleCopyBytes: number;
  readonly copyPartSizeBytes: number;
  readonly stagingExpiryDays: number | null;
}

/** Leaves room for `-deidentified` within S3's 63-character bucket names. */
const BUCKET_PREFIX = /^[a-z0-9](?:[a-z0-9-]{1,48}[a-z0-9])?$/;

/** Checks and completes the options; throws RangeError on a configuration mistake. */
export function resolveMinioOptions(options: MinioObjectStoreOptions): ResolvedMinioOptions {
  const { endPoint, port, useSSL } = parseEndpoint(options.endpoint);
  if (!BUCKET_PREFIX.test(options.bucketPrefix) || options.bucketPrefix.includes('--')) {
    throw new RangeError('bucketPrefix must be 1-50 lower-case letters, digits and single hyphens');
  }
  if (options.accessKey === '' || options.secretKey === '') {
    throw new RangeError('accessKey and secretKey are required (anonymous access is not supported)');
  }
  const partSizeBytes = integerIn('partSizeBytes', options.partSizeBytes ?? 8 * MiB, 5 * MiB, 5 * GiB);
  const copyPartSizeBytes = integerIn(
    'copyPartSizeBytes',
    options.copyPartSizeBytes ?? 512 * MiB,
    5 * MiB,
    5 * GiB,
  );
  const maxSingleCopyBytes = integerIn(
    'maxSingleCopyBytes',
    options.maxSingleCopyBytes ?? 5 * GiB,
    0,
    5 * GiB,
  );
  const expiry = options.stagingExpiryDays === undefined ? 1 : options.stagingExpiryDays;
  return {
    endPoint,
    port,
    useSSL,
    accessKey: options.accessKey,
    secretKey: options.secretKey,
    bucketPrefix: options.bucketPrefix,
    region: options.region ?? 'us-east-1',
    partSizeBytes,
    requestTimeoutMs: integerIn('requestTimeoutMs', options.requestTimeoutMs ?? 30_000, 1, 3_600_000),
    retry: {
      maxRetries: integerIn('retry.maxRetries', options.retry?.maxRetries ?? 1, 0, 10),
      baseDelayMs: integerIn('retry.baseDelayMs', options.retry?.baseDelayMs ?? 100, 0, 60_000),
      maxDelayMs: integerIn('retry.maxDelayMs', options.retry?.maxDelayMs ?? 1000, 0, 600_000),
    },
    maxSingleCopyBytes,
    copyPartSizeBytes,
    stagingExpiryDays: expiry === null ? null : integerIn('stagingExpiryDays', expiry, 1, 36_500),
  };
}

/** `http(s)://host[:port]` → the client's host/port/TLS settings. */
export function parseEndpoint(endpoint: string): { endPoint: string; port: number; useSSL: boolean } {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RangeError('endpoint must be a URL such as http://127.0.0.1:9000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError('endpoint must use http: or https:');
  }
  // Credentials in a URL end up in logs and error messages; they belong in accessKey/secretKey.
  if (url.username !== '' || url.password !== '') throw new RangeError('endpoint must not carry credentials');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw new RangeError('endpoint must be a bare origin (no path, query or fragment)');
  }
  const useSSL = url.protocol === 'https:';
  return {
    // URL keeps IPv6 literals in brackets; the client wants them bare.
    endPoint: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (useSSL ? 443 : 80) : Number(url.port),
    useSSL,
  };
}

export function bucketName(bucketPrefix: string, zone: StorageZone): string {
  return `${bucketPrefix}-${zoneName(zone)}`;
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
