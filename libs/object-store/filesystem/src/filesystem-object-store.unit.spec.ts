import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { StorageZone } from '@medlineage/domain';
import {
  contentKey,
  InvalidObjectKeyError,
  InvalidObjectStoreRequestError,
  ObjectChecksumMismatchError,
  ObjectStoreUnavailableError,
} from '@medlineage/object-store';
import {
  collect,
  HOSTILE_KEYS,
  HOSTILE_PREFIXES,
  KiB,
  MiB,
  readAll,
  sha256Hex,
  testObjectStoreContract,
} from '@medlineage/object-store/testing';
import { waitFor } from '@medlineage/testing';
import { FilesystemObjectStore } from './filesystem-object-store';

testObjectStoreContract('filesystem (temp directory)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-os-'));
  const store = new FilesystemObjectStore({ root: join(dir, 'store') });
  let files = 0;
  return Promise.resolve({
    store,
    waitFor,
    makeFile: (bytes: Uint8Array) => {
      const path = join(dir, `source-${++files}.bin`);
      writeFileSync(path, bytes);
      return Promise.resolve(path);
    },
    teardown: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('FilesystemObjectStore beyond the contract', () => {
  let dir: string;
  let root: string;
  let store: FilesystemObjectStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-os-'));
    root = join(dir, 'store');
    store = new FilesystemObjectStore({ root });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lays objects out as <root>/<zone>/sha256/<h0h1>/<h2h3>/<hash>, owner-only', async () => {
    const bytes = randomBytes(1000);
    const sha256 = sha256Hex(bytes);
    const stored = await store.put('HOT', bytes);
    const path = join(root, 'hot', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(stored).toMatchObject({ bucket: 'hot', versionId: null });
    expect(readdirSync(join(root, 'hot', '.staging'))).toEqual([]);
  });

  describe('hostile input is refused before any I/O', () => {
    // The store's root does not exist yet: any write would create it, any escape would land in `dir`.
    const fsCalls = (): jest.SpyInstance[] =>
      (['open', 'stat', 'readdir', 'mkdir', 'rename', 'rm', 'unlink'] as const).map((name) =>
        jest.spyOn(fsPromises, name),
      );

    it('no filesystem call is made for a hostile key, zone or prefix, and nothing is created', async () => {
      const spies = fsCalls();
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
      for (const zone of ['../..', 'hot', '', '/etc', 'HOT/../../x']) {
        calls.push(
          () => store.put(zone as StorageZone, new Uint8Array(1)),
          () => store.head(zone as StorageZone, contentKey('00'.repeat(32))),
          () => collect(store.list(zone as StorageZone)),
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
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(existsSync(root)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);

      // The spies do see this adapter's I/O: a valid call is observed.
      await store.head('HOT', contentKey('00'.repeat(32)));
      expect(spies.some((spy) => spy.mock.calls.length > 0)).toBe(true);
    });
  });

  it('a put in progress is invisible: only its staged file exists until it is verified and renamed', async () => {
    const bytes = randomBytes(3 * MiB);
    const key = contentKey(sha256Hex(bytes));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* halves(): AsyncGenerator<Buffer> {
      yield bytes.subarray(0, MiB);
      await gate;
      yield bytes.subarray(MiB);
    }
    const put = store.put('QUARANTINE', Readable.from(halves()));
    const staged = await waitFor(
      async () => {
        const s = await store.listStaging('QUARANTINE');
        return s[0] !== undefined && s[0].bytes === MiB ? s : false;
      },
      { description: 'the first MiB to be staged' },
    );
    expect(staged).toHaveLength(1);
    expect(await store.head('QUARANTINE', key)).toBeNull();
    expect(await collect(store.list('QUARANTINE'))).toEqual([]);
    release();
    await expect(put).resolves.toMatchObject({ key, sizeBytes: bytes.length });
    expect(await store.listStaging('QUARANTINE')).toEqual([]);
  });

  it('disk full mid-write: retriable ObjectStoreUnavailableError, nothing published, nothing staged', async () => {
    // A FileHandle's prototype is where `write` lives; fail the second write as ENOSPC would.
    const probe = await fsPromises.open(join(dir, 'probe'), 'w');
    const handleProto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const realWrite = handleProto.write;
    let writes = 0;
    jest.spyOn(handleProto, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
      if (++writes === 3)
        return Promise.reject(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
      return realWrite.apply(this, args);
    });
    const bytes = randomBytes(4 * MiB);
    const chunks = Array.from({ length: 64 }, (_, i) => bytes.subarray(i * 64 * KiB, (i + 1) * 64 * KiB));
    const attempt = store.put('QUARANTINE', Readable.from(chunks));
    await expect(attempt).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    await expect(attempt).rejects.toMatchObject({
      retriable: true,
      message: expect.stringContaining('ENOSPC'),
    });
    expect(writes).toBe(3);
    jest.restoreAllMocks();
    expect(await store.head('QUARANTINE', contentKey(sha256Hex(bytes)))).toBeNull();
    expect(await store.listStaging('QUARANTINE')).toEqual([]);
    // Space is back: the same put succeeds.
    await expect(store.put('QUARANTINE', Readable.from(chunks))).resolves.toMatchObject({
      sizeBytes: 4 * MiB,
    });
  });

  it('reads are verified: a flipped byte on disk fails get, getBytes and copy; delete + put repairs it', async () => {
    const bytes = randomBytes(200_000);
    const stored = await store.put('QUARANTINE', bytes);
    const path = join(root, 'quarantine', ...stored.key.split('/'));
    const damaged = Buffer.from(bytes);
    damaged[12_345] = (damaged[12_345] ?? 0) ^ 0x01;
    writeFileSync(path, damaged);

    await expect(readAll(await store.get('QUARANTINE', stored.key))).rejects.toBeInstanceOf(
      ObjectChecksumMismatchError,
    );
    await expect(store.getBytes('QUARANTINE', stored.key, { maxBytes: MiB })).rejects.toMatchObject({
      type: 'checksum-mismatch',
      zone: 'QUARANTINE',
      key: stored.key,
      expected: stored.sha256,
    });
    // A corrupt object is never promoted.
    await expect(store.copy('QUARANTINE', stored.key, 'HOT')).rejects.toBeInstanceOf(
      ObjectChecksumMismatchError,
    );
    expect(await store.head('HOT', stored.key)).toBeNull();
    expect(await store.listStaging('HOT')).toEqual([]);

    await store.delete('QUARANTINE', stored.key);
    await store.put('QUARANTINE', bytes);
    expect(Buffer.from(await store.getBytes('QUARANTINE', stored.key, { maxBytes: MiB })).equals(bytes)).toBe(
      true,
    );
  });

  it('purgeStaging removes what a crashed put left behind, and only what is older than the cutoff', async () => {
    await store.put('HOT', randomBytes(10));
    const leftover = join(root, 'hot', '.staging', 'crashed.part');
    writeFileSync(leftover, randomBytes(1234));
    expect(await store.listStaging('HOT')).toEqual([{ zone: 'HOT', id: 'crashed.part', bytes: 1234 }]);
    expect(await collect(store.list('HOT'))).toHaveLength(1);

    expect(await store.purgeStaging(new Date(Date.now() - 60_000))).toBe(0);
    expect(existsSync(leftover)).toBe(true);
    expect(await store.purgeStaging(new Date(Date.now() + 60_000))).toBe(1);
    expect(await store.listStaging('HOT')).toEqual([]);
  });

  it('ignores files in the key tree that are not keys (a stray editor backup is not listed)', async () => {
    const stored = await store.put('WARM', randomBytes(10));
    const [, first, second] = stored.key.split('/');
    writeFileSync(join(root, 'warm', 'sha256', first ?? '', second ?? '', 'notes.txt~'), 'x');
    expect(await collect(store.list('WARM'))).toEqual([stored.key]);
  });

  it('an object survives reopening the store', async () => {
    const stored = await store.put('COLD', randomBytes(4096));
    const reopened = new FilesystemObjectStore({ root });
    expect(await reopened.head('COLD', stored.key)).toEqual(stored);
  });
});
