import { Readable } from 'node:stream';
import {
  ContentDigest,
  contentKey,
  digestBytes,
  ObjectChecksumMismatchError,
  ObjectSourceError,
  ObjectTooLargeError,
  pumpThroughDigest,
  readBounded,
  validatePut,
  verifiedReadable,
  ObjectStoreFatalError,
  InvalidObjectStoreRequestError,
  type PutLimits,
} from './index';
import { readAll, sha256Hex } from './testing';

const noLimits: PutLimits = { expectedSha256: undefined, expectedSizeBytes: undefined, maxBytes: undefined };
const bytes = Buffer.from('the quick brown fox');

describe('pumpThroughDigest', () => {
  it('hands every chunk to the sink and returns sha256 and size', async () => {
    const written: Buffer[] = [];
    const facts = await pumpThroughDigest(
      'HOT',
      Readable.from([bytes.subarray(0, 4), bytes.subarray(4)]),
      noLimits,
      (c) => {
        written.push(c);
        return Promise.resolve();
      },
    );
    expect(facts).toEqual(digestBytes(bytes));
    expect(Buffer.concat(written).equals(bytes)).toBe(true);
  });

  it('stops at the first byte over maxBytes with ObjectTooLargeError', async () => {
    const attempt = pumpThroughDigest('HOT', Readable.from([bytes]), { ...noLimits, maxBytes: 5 }, () =>
      Promise.resolve(),
    );
    await expect(attempt).rejects.toBeInstanceOf(ObjectTooLargeError);
    await expect(attempt).rejects.toMatchObject({ zone: 'HOT', key: null, limitBytes: 5 });
  });

  it('stops as soon as the content is longer than expectedSizeBytes', async () => {
    await expect(
      pumpThroughDigest('HOT', Readable.from([bytes]), { ...noLimits, expectedSizeBytes: 3 }, () =>
        Promise.resolve(),
      ),
    ).rejects.toMatchObject({
      type: 'checksum-mismatch',
      field: 'sizeBytes',
      expected: '3',
      actual: 'more than 3',
    });
  });

  it('attributes a source failure to the source (code only), and a sink failure to the sink', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error("open '/data/DOE^JOHN.dcm'"), { code: 'EIO' }));
      },
    });
    const fromSource = pumpThroughDigest('QUARANTINE', failing, noLimits, () => Promise.resolve());
    await expect(fromSource).rejects.toBeInstanceOf(ObjectSourceError);
    await expect(fromSource).rejects.toMatchObject({
      code: 'EIO',
      message: 'put to zone QUARANTINE: reading the source failed (EIO)',
    });

    const sinkError = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    const fromSink = pumpThroughDigest('QUARANTINE', Readable.from([bytes]), noLimits, () =>
      Promise.reject(sinkError),
    );
    // Not an ObjectSourceError, and not pipeline's AbortError: the sink's own error, to translate.
    await expect(fromSink).rejects.toBe(sinkError);
  });

  it('uses the given translation for source errors (a copy reads our own object)', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('bad sector'));
      },
    });
    await expect(
      pumpThroughDigest(
        'HOT',
        failing,
        noLimits,
        () => Promise.resolve(),
        () => new ObjectStoreFatalError('ours'),
      ),
    ).rejects.toThrow('ours');
  });

  it('ContentDigest.result() is only available once the stream has ended', () => {
    expect(() => new ContentDigest('HOT', noLimits).result()).toThrow(/before the stream ended/);
  });
});

describe('verified reads', () => {
  const key = contentKey(sha256Hex(bytes));

  it('pass content that hashes to its key', async () => {
    const stream = verifiedReadable(Readable.from([bytes]), 'HOT', key, () => new ObjectStoreFatalError('x'));
    expect((await readAll(stream)).equals(bytes)).toBe(true);
  });

  it('end with ObjectChecksumMismatchError when it does not (corrupt or truncated)', async () => {
    for (const wrong of [Buffer.from('the quick brown fix'), bytes.subarray(0, 10)]) {
      const stream = verifiedReadable(
        Readable.from([wrong]),
        'HOT',
        key,
        () => new ObjectStoreFatalError('x'),
      );
      const attempt = readAll(stream);
      await expect(attempt).rejects.toBeInstanceOf(ObjectChecksumMismatchError);
      await expect(attempt).rejects.toMatchObject({ zone: 'HOT', key, expected: sha256Hex(bytes) });
    }
  });

  it("translate the raw stream's errors", async () => {
    const raw = new Readable({
      read() {
        this.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
      },
    });
    const stream = verifiedReadable(raw, 'HOT', key, () => new ObjectStoreFatalError('translated'));
    await expect(readAll(stream)).rejects.toThrow('translated');
  });

  it('readBounded refuses more than maxBytes and releases the stream', async () => {
    const stream = Readable.from([bytes, bytes]);
    await expect(readBounded(stream, 'HOT', key, bytes.length)).rejects.toBeInstanceOf(ObjectTooLargeError);
    expect(stream.destroyed).toBe(true);
    expect(
      Buffer.from(await readBounded(Readable.from([bytes]), 'HOT', key, bytes.length)).equals(bytes),
    ).toBe(true);
  });
});

describe('validatePut', () => {
  it('normalises the expected checksum to lower case', () => {
    const upper = sha256Hex(bytes).toUpperCase();
    expect(validatePut('HOT', bytes, { expectedSha256: upper }).expectedSha256).toBe(sha256Hex(bytes));
  });

  it('tells an fs.ReadStream-like stream (it has a path) from a { path } source', () => {
    const stream = Object.assign(Readable.from([bytes]), { path: '/somewhere' });
    expect(() => validatePut('HOT', stream)).not.toThrow();
    expect(() => validatePut('HOT', { path: '' })).toThrow(InvalidObjectStoreRequestError);
    expect(() => validatePut('HOT', null)).toThrow(InvalidObjectStoreRequestError);
  });
});
