import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import { Client } from 'minio';

import { describeWithMinio, uniqueName } from '../index';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  }
  return Buffer.concat(chunks);
}

// Explicit: jest-circus applies only the global testTimeout (5 s default), not a project's.
const TIMEOUT_MS = 30_000;

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describeWithMinio('MinIO smoke: bucket and object round trip', (minio) => {
  let client: Client;
  const bucket = uniqueName('smoke');
  const key = 'studies/1.2.840.10008.1/object.bin';

  beforeAll(() => {
    const { endPoint, port, useSSL, accessKey, secretKey } = minio();
    client = new Client({ endPoint, port, useSSL, accessKey, secretKey });
  });

  afterAll(async () => {
    // Clean up even after a failed assertion, so a shared dev server does not collect smoke buckets.
    if (await client.bucketExists(bucket)) {
      await client.removeObject(bucket, key).catch(() => undefined);
      await client.removeBucket(bucket);
    }
  }, TIMEOUT_MS);

  it(
    'puts, stats and gets back the same bytes, then removes the bucket',
    async () => {
      await client.makeBucket(bucket);
      expect(await client.bucketExists(bucket)).toBe(true);

      const body = randomBytes(256 * 1024);
      await client.putObject(bucket, key, body, body.length, { 'Content-Type': 'application/octet-stream' });

      const stat = await client.statObject(bucket, key);
      expect(stat.size).toBe(body.length);

      const got = await readAll(await client.getObject(bucket, key));
      expect(got.length).toBe(body.length);
      expect(sha256(got)).toBe(sha256(body));
      expect(got.equals(body)).toBe(true);

      await client.removeObject(bucket, key);
      await client.removeBucket(bucket);
      expect(await client.bucketExists(bucket)).toBe(false);
    },
    TIMEOUT_MS,
  );
});
