import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { StorageZone } from '@medlineage/domain';
import { contentKey, KEY_PREFIX } from '../object-keys';
import type { ObjectStore, ObjectStoreStaging, StoredObject } from '../object-store';
import {
  InvalidObjectKeyError,
  InvalidObjectStoreRequestError,
  ObjectChecksumMismatchError,
  ObjectNotFoundError,
  ObjectSourceError,
  ObjectTooLargeError,
} from '../object-store-errors';
import {
  collect,
  digestStream,
  generatedStream,
  HOSTILE_KEYS,
  HOSTILE_PREFIXES,
  KiB,
  MiB,
  readAll,
  sha256Hex,
} from './test-data';

/** The shape of `waitFor` from `@medlineage/testing` (the port may not import that library). */
export type WaitFor = <T>(
  condition: () => T | false | null | undefined | Promise<T | false | null | undefined>,
  options?: { readonly timeoutMs?: number; readonly intervalMs?: number; readonly description?: string },
) => Promise<T>;

export interface ObjectStoreUnderTest {
  readonly store: ObjectStore & ObjectStoreStaging;
  /** Writes a local file with these bytes (for `{ path }` sources); removed by teardown. */
  makeFile(bytes: Uint8Array): Promise<string>;
  /** `waitFor` from `@medlineage/testing`, for the one place the suite must watch the backend. */
  readonly waitFor: WaitFor;
  /** Called after the suite: deletes what the suite stored, closes clients, removes files. */
  teardown(): Promise<void>;
}

/** Larger than one MinIO part and than any sane in-memory threshold. */
const LARGE_BYTES = 40 * MiB;
/**
 * How far the source may run ahead of what the backend has durably received. A store that
 * buffered whole objects would hold 40 MiB before writing anything and never catch up with this
 * window; a streaming one holds at most a part (8 MiB on MinIO) plus stream buffers.
 */
const IN_FLIGHT_WINDOW = 24 * MiB;

/**
 * The semantics every {@link ObjectStore} adapter must have. Each zone is used by few tests so
 * that listing assertions stay exact; EXPORTS is never written, so it stays empty.
 */
export function testObjectStoreContract(name: string, factory: () => Promise<ObjectStoreUnderTest>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ObjectStoreUnderTest;
    let store: ObjectStore & ObjectStoreStaging;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject.teardown();
    });

    const stagedBytes = async (zone: StorageZone): Promise<number> =>
      (await store.listStaging(zone)).reduce((sum, s) => sum + s.bytes, 0);

    /** After a failed put: nothing at the key its content would have had, nothing staged. */
    async function expectNothingLeft(zone: StorageZone, sha256: string): Promise<void> {
      expect(await store.head(zone, contentKey(sha256))).toBeNull();
      expect(await collect(store.list(zone))).not.toContain(contentKey(sha256));
      expect(await store.listStaging(zone)).toEqual([]);
    }

    describe('put and read back', () => {
      it('round-trips bytes, computing sha256 and size, and keys the object by its content', async () => {
        const bytes = randomBytes(300 * KiB);
        const sha256 = sha256Hex(bytes);
        const stored = await store.put('QUARANTINE', bytes);
        expect(stored).toEqual<StoredObject>({
          zone: 'QUARANTINE',
          bucket: stored.bucket,
          key: contentKey(sha256),
          sha256,
          sizeBytes: bytes.length,
          versionId: stored.versionId,
        });
        expect(stored.key).toMatch(/^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
        expect(stored.key.slice(7, 9) + stored.key.slice(10, 12)).toBe(sha256.slice(0, 4));
        expect(stored.bucket).not.toBe('');
        expect(stored.versionId === null || typeof stored.versionId === 'string').toBe(true);

        expect((await readAll(await store.get('QUARANTINE', stored.key))).equals(bytes)).toBe(true);
        const got = await store.getBytes('QUARANTINE', stored.key, { maxBytes: bytes.length });
        expect(Buffer.from(got).equals(bytes)).toBe(true);
        expect(await store.head('QUARANTINE', stored.key)).toEqual(stored);
      });

      it('stores the same object from a Readable, from bytes and from a file path', async () => {
        const bytes = randomBytes(64 * KiB + 7);
        const fromStream = await store.put(
          'QUARANTINE',
          Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
        );
        const fromBytes = await store.put('QUARANTINE', new Uint8Array(bytes));
        const fromFile = await store.put('QUARANTINE', { path: await subject.makeFile(bytes) });
        expect(fromStream).toMatchObject({ key: contentKey(sha256Hex(bytes)), sizeBytes: bytes.length });
        expect(fromBytes).toEqual(fromStream);
        expect(fromFile).toEqual(fromStream);
      });

      it('stores an empty object', async () => {
        const stored = await store.put('QUARANTINE', new Uint8Array(0));
        expect(stored).toMatchObject({ sha256: sha256Hex(new Uint8Array(0)), sizeBytes: 0 });
        expect(await store.getBytes('QUARANTINE', stored.key, { maxBytes: 0 })).toHaveLength(0);
        expect(await store.head('QUARANTINE', stored.key)).toMatchObject({ sizeBytes: 0 });
      });

      it('accepts content that matches expectedSha256 (either case), expectedSizeBytes and maxBytes exactly', async () => {
        const bytes = randomBytes(10 * KiB);
        const sha256 = sha256Hex(bytes);
        const stored = await store.put('QUARANTINE', Readable.from([bytes]), {
          expectedSha256: sha256.toUpperCase(),
          expectedSizeBytes: bytes.length,
          maxBytes: bytes.length,
        });
        expect(stored).toMatchObject({ sha256, sizeBytes: bytes.length });
      });

      it('streams a 40 MiB object with bounded memory: bytes reach the backend while the source is still producing', async () => {
        const zone: StorageZone = 'COLD';
        let stagedSeen = 0;
        let waits = 0;
        const source = generatedStream({
          totalBytes: LARGE_BYTES,
          beforeChunk: async (produced) => {
            if (produced - stagedSeen <= IN_FLIGHT_WINDOW) return;
            waits++;
            // Deadlocks (and times out) if the store holds the window in memory instead of writing it.
            stagedSeen = await subject.waitFor(
              async () => {
                const staged = await stagedBytes(zone);
                return staged >= produced - IN_FLIGHT_WINDOW ? staged : false;
              },
              { timeoutMs: 30_000, intervalMs: 20, description: 'the store to write out what it has read' },
            );
          },
        });
        const stored = await store.put(zone, source.stream);
        expect(waits).toBeGreaterThan(0);
        expect(stagedSeen).toBeGreaterThan(0);
        expect(stored).toMatchObject({ sha256: source.sha256(), sizeBytes: LARGE_BYTES });
        expect(await store.listStaging(zone)).toEqual([]);
        expect(await digestStream(await store.get(zone, stored.key))).toEqual({
          sha256: source.sha256(),
          sizeBytes: LARGE_BYTES,
        });
      });
    });

    describe('idempotence', () => {
      it('putting the same content twice returns the same object and stores it once', async () => {
        const bytes = randomBytes(20 * KiB);
        const first = await store.put('WARM', bytes);
        const second = await store.put('WARM', Readable.from([bytes]));
        expect(second).toEqual(first);
        const keys = await collect(store.list('WARM'));
        expect(keys.filter((k) => k === first.key)).toHaveLength(1);
      });

      it('concurrent puts of the same content all succeed with the same key', async () => {
        const bytes = randomBytes(12 * MiB);
        const results = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            store.put('WARM', i % 2 === 0 ? bytes : Readable.from([bytes])),
          ),
        );
        expect(new Set(results.map((r) => r.key))).toEqual(new Set([contentKey(sha256Hex(bytes))]));
        expect(await store.listStaging('WARM')).toEqual([]);
        expect(
          Buffer.from(await store.getBytes('WARM', results[0]?.key ?? '', { maxBytes: 12 * MiB })).equals(
            bytes,
          ),
        ).toBe(true);
      });
    });

    describe('a put that fails stores nothing', () => {
      it('expectedSha256 mismatch: ObjectChecksumMismatchError, nothing at the content key', async () => {
        const bytes = randomBytes(50 * KiB);
        const wrong = sha256Hex(randomBytes(8));
        const attempt = store.put('DEIDENTIFIED', bytes, { expectedSha256: wrong });
        await expect(attempt).rejects.toBeInstanceOf(ObjectChecksumMismatchError);
        await expect(attempt).rejects.toMatchObject({
          field: 'sha256',
          expected: wrong,
          actual: sha256Hex(bytes),
          retriable: false,
          key: null,
          zone: 'DEIDENTIFIED',
        });
        await expectNothingLeft('DEIDENTIFIED', sha256Hex(bytes));
      });

      it('expectedSha256 mismatch on a multi-part stream: nothing published, nothing staged', async () => {
        const source = generatedStream({ totalBytes: 12 * MiB + 5 });
        const attempt = store.put('DEIDENTIFIED', source.stream, { expectedSha256: 'ab'.repeat(32) });
        await expect(attempt).rejects.toMatchObject({ type: 'checksum-mismatch', field: 'sha256' });
        await expectNothingLeft('DEIDENTIFIED', source.sha256());
      });

      it.each([
        ['shorter', -1],
        ['longer', +1],
      ])('expectedSizeBytes mismatch (content %s than declared), from a stream', async (_, delta) => {
        const bytes = randomBytes(30 * KiB);
        const attempt = store.put('DEIDENTIFIED', Readable.from([bytes]), {
          expectedSizeBytes: bytes.length - delta,
        });
        await expect(attempt).rejects.toBeInstanceOf(ObjectChecksumMismatchError);
        await expect(attempt).rejects.toMatchObject({ field: 'sizeBytes' });
        await expectNothingLeft('DEIDENTIFIED', sha256Hex(bytes));
      });

      it('expectedSizeBytes mismatch from bytes and from a file is refused before anything is written', async () => {
        const bytes = randomBytes(1000);
        await expect(store.put('DEIDENTIFIED', bytes, { expectedSizeBytes: 999 })).rejects.toMatchObject({
          type: 'checksum-mismatch',
          field: 'sizeBytes',
        });
        const path = await subject.makeFile(bytes);
        await expect(store.put('DEIDENTIFIED', { path }, { expectedSizeBytes: 1001 })).rejects.toMatchObject({
          type: 'checksum-mismatch',
        });
        await expectNothingLeft('DEIDENTIFIED', sha256Hex(bytes));
      });

      it('maxBytes exceeded by bytes and by a file: ObjectTooLargeError, nothing stored', async () => {
        const bytes = randomBytes(4 * KiB);
        const attempt = store.put('DEIDENTIFIED', bytes, { maxBytes: 4 * KiB - 1 });
        await expect(attempt).rejects.toBeInstanceOf(ObjectTooLargeError);
        await expect(attempt).rejects.toMatchObject({ limitBytes: 4 * KiB - 1, retriable: false });
        const path = await subject.makeFile(bytes);
        await expect(store.put('DEIDENTIFIED', { path }, { maxBytes: 100 })).rejects.toBeInstanceOf(
          ObjectTooLargeError,
        );
        await expectNothingLeft('DEIDENTIFIED', sha256Hex(bytes));
      });

      it.each([
        ['within the first part', 6 * MiB, 20 * MiB],
        ['after several parts', 18 * MiB, 40 * MiB],
      ])(
        'maxBytes exceeded by a stream %s: reading stops near the limit, nothing stored or staged',
        async (_, maxBytes, totalBytes) => {
          const source = generatedStream({ totalBytes });
          const attempt = store.put('DEIDENTIFIED', source.stream, { maxBytes });
          await expect(attempt).rejects.toBeInstanceOf(ObjectTooLargeError);
          // Cut off, not read to the end: only stream buffers' worth past the limit was produced.
          expect(source.produced()).toBeGreaterThan(maxBytes);
          expect(source.produced()).toBeLessThan(maxBytes + 4 * MiB);
          expect(await store.listStaging('DEIDENTIFIED')).toEqual([]);
          expect(await collect(store.list('DEIDENTIFIED'))).toEqual([]);
        },
      );

      it('a source stream that fails midway: ObjectSourceError with its code only, nothing stored or staged', async () => {
        const source = generatedStream({ totalBytes: 20 * MiB, failAfterBytes: 10 * MiB });
        const attempt = store.put('DEIDENTIFIED', source.stream);
        await expect(attempt).rejects.toBeInstanceOf(ObjectSourceError);
        await expect(attempt).rejects.toMatchObject({ code: 'ECONNRESET', retriable: false });
        expect(await store.listStaging('DEIDENTIFIED')).toEqual([]);
        expect(await collect(store.list('DEIDENTIFIED'))).toEqual([]);
      });

      it('a file that cannot be opened: ObjectSourceError whose message does not name the file', async () => {
        const path = `${await subject.makeFile(new Uint8Array(1))}-DOE^JOHN-missing.dcm`;
        const attempt = store.put('DEIDENTIFIED', { path });
        await expect(attempt).rejects.toMatchObject({ type: 'source-failed', code: 'ENOENT' });
        await attempt.catch((error: unknown) => {
          expect(error instanceof Error && error.message.includes('DOE')).toBe(false);
        });
      });

      it('malformed requests are refused as invalid, before anything is written', async () => {
        const bytes = randomBytes(100);
        const refusals: Array<[string, () => Promise<unknown>]> = [
          ['unknown zone', () => store.put('hot' as StorageZone, bytes)],
          ['zone path', () => store.put('../HOT' as StorageZone, bytes)],
          ['short checksum', () => store.put('DEIDENTIFIED', bytes, { expectedSha256: 'abc' })],
          ['non-hex checksum', () => store.put('DEIDENTIFIED', bytes, { expectedSha256: 'zz'.repeat(32) })],
          ['negative limit', () => store.put('DEIDENTIFIED', bytes, { maxBytes: -1 })],
          ['fractional size', () => store.put('DEIDENTIFIED', bytes, { expectedSizeBytes: 1.5 })],
          ['not a source', () => store.put('DEIDENTIFIED', 'text' as unknown as Uint8Array)],
          ['get from unknown zone', () => store.get('TEMP' as StorageZone, contentKey(sha256Hex(bytes)))],
          [
            'getBytes without a limit',
            () => store.getBytes('HOT', contentKey(sha256Hex(bytes)), { maxBytes: NaN }),
          ],
          [
            'copy to unknown zone',
            () => store.copy('HOT', contentKey(sha256Hex(bytes)), 'ARCHIVE' as StorageZone),
          ],
        ];
        for (const [what, call] of refusals) {
          await expect(call().then(() => what)).rejects.toBeInstanceOf(InvalidObjectStoreRequestError);
        }
        expect(await collect(store.list('DEIDENTIFIED'))).toEqual([]);
      });
    });

    describe('hostile keys', () => {
      it.each(HOSTILE_KEYS.map((key) => [JSON.stringify(key).slice(0, 60), key]))(
        'refuses %s with InvalidObjectKeyError in every method, without echoing it',
        async (_, key) => {
          const calls: Array<() => Promise<unknown>> = [
            () => store.get('HOT', key),
            () => store.getBytes('HOT', key, { maxBytes: 10 }),
            () => store.head('HOT', key),
            () => store.copy('QUARANTINE', key, 'HOT'),
            () => store.delete('HOT', key),
          ];
          for (const call of calls) {
            const error = await call().then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(InvalidObjectKeyError);
            expect(error).toMatchObject({ type: 'invalid-key', retriable: false });
            if (key.length > 2 && error instanceof Error) expect(error.message).not.toContain(key);
          }
        },
      );

      it.each(HOSTILE_PREFIXES.map((prefix) => [JSON.stringify(prefix), prefix]))(
        'list refuses the prefix %s',
        async (_, prefix) => {
          await expect(collect(store.list('HOT', prefix))).rejects.toBeInstanceOf(InvalidObjectKeyError);
        },
      );
    });

    describe('head, get, delete', () => {
      it('head of a missing object is null, in a used zone and in one never written', async () => {
        const missing = contentKey(sha256Hex(randomBytes(16)));
        await store.put('QUARANTINE', randomBytes(10));
        expect(await store.head('QUARANTINE', missing)).toBeNull();
        expect(await store.head('EXPORTS', missing)).toBeNull();
      });

      it('get and getBytes of a missing object reject with ObjectNotFoundError naming zone and key', async () => {
        const missing = contentKey(sha256Hex(randomBytes(16)));
        const attempt = store.get('QUARANTINE', missing);
        await expect(attempt).rejects.toBeInstanceOf(ObjectNotFoundError);
        await expect(attempt).rejects.toMatchObject({ zone: 'QUARANTINE', key: missing, retriable: false });
        await expect(store.getBytes('EXPORTS', missing, { maxBytes: 10 })).rejects.toBeInstanceOf(
          ObjectNotFoundError,
        );
      });

      it('getBytes refuses an object larger than maxBytes', async () => {
        const stored = await store.put('QUARANTINE', randomBytes(64 * KiB));
        const attempt = store.getBytes('QUARANTINE', stored.key, { maxBytes: 64 * KiB - 1 });
        await expect(attempt).rejects.toBeInstanceOf(ObjectTooLargeError);
        await expect(attempt).rejects.toMatchObject({ key: stored.key, limitBytes: 64 * KiB - 1 });
      });

      it('delete is idempotent: the object is gone after the first, the second succeeds too', async () => {
        const stored = await store.put('QUARANTINE', randomBytes(1000));
        await store.delete('QUARANTINE', stored.key);
        expect(await store.head('QUARANTINE', stored.key)).toBeNull();
        await expect(store.get('QUARANTINE', stored.key)).rejects.toBeInstanceOf(ObjectNotFoundError);
        await expect(store.delete('QUARANTINE', stored.key)).resolves.toBeUndefined();
        await expect(store.delete('EXPORTS', stored.key)).resolves.toBeUndefined();
        expect(await collect(store.list('QUARANTINE'))).not.toContain(stored.key);
      });

      it('a deleted object can be stored again', async () => {
        const bytes = randomBytes(2000);
        const first = await store.put('QUARANTINE', bytes);
        await store.delete('QUARANTINE', first.key);
        const again = await store.put('QUARANTINE', bytes);
        expect(again).toMatchObject({ key: first.key, sizeBytes: 2000 });
        expect(
          Buffer.from(await store.getBytes('QUARANTINE', first.key, { maxBytes: 2000 })).equals(bytes),
        ).toBe(true);
      });
    });

    describe('copy (promotion between zones)', () => {
      it('copies QUARANTINE → HOT with the same key and facts; repeating it is harmless', async () => {
        const bytes = randomBytes(9 * MiB + 3);
        const quarantined = await store.put('QUARANTINE', bytes);
        const promoted = await store.copy('QUARANTINE', quarantined.key, 'HOT');
        expect(promoted).toMatchObject({
          zone: 'HOT',
          key: quarantined.key,
          sha256: quarantined.sha256,
          sizeBytes: bytes.length,
        });
        expect(await store.head('HOT', quarantined.key)).toEqual(promoted);
        expect(await store.copy('QUARANTINE', quarantined.key, 'HOT')).toEqual(promoted);
        // The source stays until deleted; the copy is independent of it.
        expect(await store.head('QUARANTINE', quarantined.key)).toEqual(quarantined);
        await store.delete('QUARANTINE', quarantined.key);
        expect(await digestStream(await store.get('HOT', quarantined.key))).toEqual({
          sha256: quarantined.sha256,
          sizeBytes: bytes.length,
        });
        expect(await store.listStaging('HOT')).toEqual([]);
      });

      it('copying within one zone returns the object as it is', async () => {
        const stored = await store.put('QUARANTINE', randomBytes(100));
        expect(await store.copy('QUARANTINE', stored.key, 'QUARANTINE')).toEqual(stored);
      });

      it('copying a missing object rejects with ObjectNotFoundError for the source zone', async () => {
        const missing = contentKey(sha256Hex(randomBytes(16)));
        const attempt = store.copy('QUARANTINE', missing, 'HOT');
        await expect(attempt).rejects.toBeInstanceOf(ObjectNotFoundError);
        await expect(attempt).rejects.toMatchObject({ zone: 'QUARANTINE', key: missing });
        expect(await store.head('HOT', missing)).toBeNull();
      });
    });

    describe('list', () => {
      it('lists a zone in ascending key order, filtered by a key prefix; staged data is never listed', async () => {
        const stored = await Promise.all([1, 2, 3].map(() => store.put('WARM', randomBytes(500))));
        const all = await collect(store.list('WARM'));
        expect(all).toEqual([...all].sort());
        for (const s of stored) expect(all).toContain(s.key);
        expect(all.every((k) => k.startsWith(KEY_PREFIX))).toBe(true);

        const [first] = stored;
        if (!first) throw new Error('nothing stored');
        const fanOut = first.key.slice(0, KEY_PREFIX.length + 3);
        const some = await collect(store.list('WARM', fanOut));
        expect(some).toContain(first.key);
        expect(some.every((k) => k.startsWith(fanOut))).toBe(true);
        expect(await collect(store.list('WARM', first.key))).toEqual([first.key]);
        expect(await collect(store.list('WARM', `${first.key.slice(0, -1)}`))).toEqual([first.key]);
        expect(await collect(store.list('WARM', ''))).toEqual(all);
      });

      it('lists an empty (never written) zone as empty', async () => {
        expect(await collect(store.list('EXPORTS'))).toEqual([]);
        expect(await store.listStaging('EXPORTS')).toEqual([]);
      });
    });
  });
}
