import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { STORAGE_ZONES, type StorageZone } from '@medlineage/domain';
import {
  contentKey,
  InvalidObjectKeyError,
  InvalidObjectStoreRequestError,
  ObjectStoreAccessDeniedError,
  ObjectStoreUnavailableError,
} from '@medlineage/object-store';
import {
  collect,
  digestStream,
  HOSTILE_KEYS,
  HOSTILE_PREFIXES,
  MiB,
  sha256Hex,
  testObjectStoreContract,
  type ObjectStoreUnderTest,
} from '@medlineage/object-store/testing';
import { describeWithMinio, uniqueName, waitFor, type MinioEndpoint } from '@medlineage/testing';
import { MinioObjectStore } from './minio-object-store';
import type { MinioObjectStoreOptions } from './minio-options';
import { closedPort, s3ErrorServer, silentServer } from './test-support/fake-servers';

/** A store on the real server with its own buckets; teardown empties and removes them. */
function storeUnderTest(
  minio: MinioEndpoint,
  extra: Partial<MinioObjectStoreOptions> = {},
): ObjectStoreUnderTest & { store: MinioObjectStore } {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-os-minio-'));
  const store = new MinioObjectStore({
    endpoint: minio.url,
    accessKey: minio.accessKey,
    secretKey: minio.secretKey,
    bucketPrefix: uniqueName('ost'),
    retry: { maxRetries: 0 },
    ...extra,
  });
  let files = 0;
  return {
    store,
    waitFor,
    makeFile: (bytes: Uint8Array) => {
      const path = join(dir, `source-${++files}.bin`);
      writeFileSync(path, bytes);
      return Promise.resolve(path);
    },
    teardown: async () => {
      try {
        for (const zone of STORAGE_ZONES) {
          for (const key of await collect(store.list(zone))) await store.delete(zone, key);
        }
        // Fails (BucketNotEmpty) if a test left staged objects behind: that would be a bug.
        await store.removeEmptyBuckets();
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Options for a store pointed at a fake server: quick to give up. */
const fakeOptions = (endpoint: string): MinioObjectStoreOptions => ({
  endpoint,
  accessKey: 'medlineage',
  secretKey: 'not-a-real-secret',
  bucketPrefix: 'unreachable',
  requestTimeoutMs: 300,
  retry: { maxRetries: 0 },
});

describeWithMinio('MinioObjectStore', (minio) => {
  testObjectStoreContract('MinIO (real server)', () => Promise.resolve(storeUnderTest(minio())));

  describe('beyond the contract', () => {
    let subject: ReturnType<typeof storeUnderTest>;
    let store: MinioObjectStore;
    beforeAll(() => {
      subject = storeUnderTest(minio());
      store = subject.store;
    });
    afterAll(() => subject.teardown());

    it('keeps each zone in its own bucket <prefix>-<zone> and the sha256 in object metadata', async () => {
      await store.createBuckets();
      const bytes = randomBytes(1000);
      const stored = await store.put('QUARANTINE', bytes);
      expect(stored.bucket).toBe(store.bucketFor('QUARANTINE'));
      expect(stored.bucket).toMatch(/^ost-[a-z0-9]+-[0-9a-f]{12}-quarantine$/);
      // head reads the sha256 back from x-amz-meta-sha256 (it throws when that is missing).
      expect(await store.head('QUARANTINE', stored.key)).toMatchObject({ sha256: sha256Hex(bytes) });
      expect(new Set(STORAGE_ZONES.map((z) => store.bucketFor(z))).size).toBe(STORAGE_ZONES.length);
    });

    it('a 40 MiB put never has more than one 8 MiB part staged ahead of the server', async () => {
      // Watch the backend while the source is held at part boundaries: at most one part in memory.
      let maxAhead = 0;
      let produced = 0;
      async function* source(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 40; i++) {
          if (produced > 0 && produced % (8 * MiB) === 0) {
            const expected = produced - 8 * MiB;
            const staged = await waitFor(
              async () => {
                const bytes = (await store.listStaging('COLD')).reduce((sum, s) => sum + s.bytes, 0);
                return bytes >= expected ? bytes : false;
              },
              { timeoutMs: 30_000, intervalMs: 20, description: `${expected} bytes to reach the server` },
            );
            maxAhead = Math.max(maxAhead, produced - staged);
          }
          const chunk = randomBytes(MiB);
          produced += chunk.length;
          yield chunk;
        }
      }
      const stored = await store.put('COLD', Readable.from(source()));
      expect(stored.sizeBytes).toBe(40 * MiB);
      expect(maxAhead).toBeLessThanOrEqual(8 * MiB);
      expect(await store.listStaging('COLD')).toEqual([]);
    });

    it('copies above maxSingleCopyBytes as a multipart server-side copy, byte for byte', async () => {
      const multipart = storeUnderTest(minio(), { maxSingleCopyBytes: 0, copyPartSizeBytes: 5 * MiB });
      try {
        const bytes = randomBytes(12 * MiB + 17);
        // Publishing from staging is a copy too: both go through the multipart path here.
        const stored = await multipart.store.put('QUARANTINE', Readable.from([bytes]));
        const promoted = await multipart.store.copy('QUARANTINE', stored.key, 'HOT');
        expect(promoted).toMatchObject({ zone: 'HOT', sha256: sha256Hex(bytes), sizeBytes: bytes.length });
        expect(await digestStream(await multipart.store.get('HOT', stored.key))).toEqual({
          sha256: sha256Hex(bytes),
          sizeBytes: bytes.length,
        });
        const empty = await multipart.store.put('QUARANTINE', new Uint8Array(0));
        expect(await multipart.store.copy('QUARANTINE', empty.key, 'HOT')).toMatchObject({ sizeBytes: 0 });
      } finally {
        await multipart.teardown();
      }
    });

    it('wrong credentials: ObjectStoreAccessDeniedError, not retriable', async () => {
      const denied = new MinioObjectStore({
        ...fakeOptions(minio().url),
        bucketPrefix: uniqueName('denied'),
      });
      try {
        await expect(denied.head('HOT', contentKey('00'.repeat(32)))).rejects.toBeInstanceOf(
          ObjectStoreAccessDeniedError,
        );
        const attempt = denied.put('HOT', randomBytes(10));
        await expect(attempt).rejects.toBeInstanceOf(ObjectStoreAccessDeniedError);
        await expect(attempt).rejects.toMatchObject({ retriable: false });
      } finally {
        await denied.close();
      }
    });
  });
});

// No server needed below: these prove behaviour at the network boundary with local fakes.
describe('MinioObjectStore at the network boundary', () => {
  it('hostile keys, zones and prefixes are refused before any connection is made', async () => {
    const server = await silentServer({ closeImmediately: true });
    const store = new MinioObjectStore(fakeOptions(server.url));
    try {
      const calls: Array<() => Promise<unknown>> = [];
      for (const key of HOSTILE_KEYS) {
        calls.push(
          () => store.get('HOT', key),
          () => store.getBytes('HOT', key, { maxBytes: 1 }),
          () => store.head('HOT', key),
          () => store.copy('QUARANTINE', key, 'HOT'),
          () => store.delete('HOT', key),
        );
      }
      for (const prefix of HOSTILE_PREFIXES) calls.push(() => collect(store.list('HOT', prefix)));
      for (const zone of ['../..', 'hot', '', 'HOT/../x']) {
        calls.push(
          () => store.put(zone as StorageZone, new Uint8Array(1)),
          () => store.head(zone as StorageZone, contentKey('00'.repeat(32))),
          () => store.listStaging(zone as StorageZone),
        );
      }
      for (const call of calls) {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(
          error instanceof InvalidObjectKeyError || error instanceof InvalidObjectStoreRequestError,
        ).toBe(true);
      }
      expect(server.connections()).toBe(0);

      // The spy does see this adapter's traffic: a valid call connects (and fails, the fake resets it).
      await expect(store.head('HOT', contentKey('00'.repeat(32)))).rejects.toBeInstanceOf(
        ObjectStoreUnavailableError,
      );
      expect(server.connections()).toBeGreaterThan(0);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it('connection refused (MinIO down): every operation is the retriable ObjectStoreUnavailableError', async () => {
    const store = new MinioObjectStore(fakeOptions(`http://127.0.0.1:${await closedPort()}`));
    const key = contentKey('00'.repeat(32));
    try {
      const operations: Array<[string, () => Promise<unknown>]> = [
        ['put', () => store.put('QUARANTINE', randomBytes(100))],
        ['put stream', () => store.put('QUARANTINE', Readable.from([randomBytes(100)]))],
        ['get', () => store.get('HOT', key)],
        ['getBytes', () => store.getBytes('HOT', key, { maxBytes: 10 })],
        ['head', () => store.head('HOT', key)],
        ['copy', () => store.copy('QUARANTINE', key, 'HOT')],
        ['delete', () => store.delete('HOT', key)],
        ['list', () => collect(store.list('HOT'))],
      ];
      for (const [what, operation] of operations) {
        const error = await operation().then(
          () => new Error(`${what} succeeded`),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
        expect(error).toMatchObject({ retriable: true, message: expect.stringContaining('ECONNREFUSED') });
      }
    } finally {
      await store.close();
    }
  });

  it('a server that accepts but never answers: unavailable after the idle timeout, not a hang', async () => {
    const server = await silentServer();
    const store = new MinioObjectStore(fakeOptions(server.url));
    try {
      const attempt = store.head('HOT', contentKey('00'.repeat(32)));
      await expect(attempt).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      await expect(attempt).rejects.toMatchObject({ message: expect.stringContaining('ETIMEDOUT') });
      await expect(store.put('HOT', randomBytes(10))).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it.each([
    [503, 'SlowDown'],
    [500, 'InternalError'],
    [507, 'XMinioStorageFull'],
  ])('HTTP %d %s is retriable, after exactly the configured client retries', async (status, code) => {
    const server = await s3ErrorServer(status, code);
    // The client logs each of its retries on console.warn.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new MinioObjectStore({
      ...fakeOptions(server.url),
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
    });
    try {
      const attempt = store.get('HOT', contentKey('00'.repeat(32)));
      await expect(attempt).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      await expect(attempt).rejects.toMatchObject({ retriable: true });
      // 500/503 are retried by the client once (as configured); 507 is not on its retry list.
      expect(server.requests()).toBe(status === 507 ? 1 : 2);
    } finally {
      warn.mockRestore();
      await store.close();
      await server.close();
    }
  });
});
