import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { STORAGE_ZONES, type StorageZone } from '@medlineage/domain';
import {
  checkExpectations,
  checkKnownSize,
  classifySource,
  contentKey,
  digestBytes,
  isSha256Hex,
  isValidObjectKey,
  keySha256,
  KEY_PREFIX,
  ObjectChecksumMismatchError,
  ObjectNotFoundError,
  ObjectStoreError,
  ObjectStoreFatalError,
  ObjectStoreUnavailableError,
  ObjectTooLargeError,
  openFileSource,
  pumpThroughDigest,
  readBounded,
  systemErrorCode,
  validateKeyPrefix,
  validateObjectRequest,
  validatePut,
  validateReadLimit,
  validateZone,
  verifiedReadable,
  type ContentFacts,
  type ObjectStore,
  type ObjectStoreStaging,
  type PutLimits,
  type PutOptions,
  type PutSource,
  type StagedUpload,
  type StoredObject,
} from '@medlineage/object-store';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { idleTimeoutTransport } from './idle-timeout-transport';
import { isMinioNotFound, translateMinioError } from './minio-errors';
import {
  bucketName,
  resolveMinioOptions,
  type MinioObjectStoreOptions,
  type ResolvedMinioOptions,
} from './minio-options';
import { multipartCopy, MultipartUpload } from './multipart';
import { PartBuffer } from './part-buffer';

/** Where multipart puts land before their content (and so their key) is known. Never a valid key. */
const STAGING_PREFIX = 'staging/';
const OCTET_STREAM = 'application/octet-stream';
/** User metadata `x-amz-meta-sha256`: the SHA-256 computed while the object was written. */
const SHA256_META = 'sha256';

/**
 * The object store on MinIO (or any S3 API), one bucket per zone: `<bucketPrefix>-<zone>`,
 * created on first write (or by {@link MinioObjectStore.createBuckets}).
 *
 * Puts: content up to one part (8 MiB by default) is buffered, hashed, checked and written to its
 * content key in one PUT, after a HEAD that makes a repeated put free. Larger content is streamed
 * part by part into a multipart upload at `staging/<uuid>` while it is hashed (memory: one part);
 * once complete and checked against the caller's expectations it is copied server-side to its
 * content key with its SHA-256 as metadata, verified there, and the staged object removed. A put
 * that fails aborts the upload or removes the staged object: nothing ever appears at a content
 * key unverified. Hashing a `{ path }` source in a first pass and uploading in a second was not
 * chosen: the file can change between the passes, and a single pass serves all three source kinds.
 *
 * This is the only file that imports the `minio` client.
 */
export class MinioObjectStore implements ObjectStore, ObjectStoreStaging {
  private readonly options: ResolvedMinioOptions;
  private readonly agent: http.Agent;
  private readonly client: Client;
  private readonly buckets = new Map<StorageZone, Promise<void>>();
  /** This instance's multipart uploads in flight: MinIO lists incomplete uploads only by exact key. */
  private readonly inFlight = new Map<
    string,
    { readonly zone: StorageZone; readonly upload: MultipartUpload }
  >();

  constructor(options: MinioObjectStoreOptions) {
    this.options = resolveMinioOptions(options);
    const { endPoint, port, useSSL, accessKey, secretKey, region, partSizeBytes, requestTimeoutMs, retry } =
      this.options;
    // Our own agent, so that close() can release its sockets (the global agent's are shared).
    this.agent = useSSL ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.client = new Client({
      endPoint,
      port,
      useSSL,
      accessKey,
      secretKey,
      region,
      partSize: partSizeBytes,
      transport: idleTimeoutTransport(useSSL, requestTimeoutMs),
      transportAgent: this.agent,
      retryOptions: {
        disableRetry: retry.maxRetries === 0,
        maximumRetryCount: retry.maxRetries,
        baseDelayMs: retry.baseDelayMs,
        maximumDelayMs: retry.maxDelayMs,
      },
    });
  }

  /** The bucket holding a zone. */
  bucketFor(zone: StorageZone): string {
    return bucketName(this.options.bucketPrefix, validateZone(zone));
  }

  /** Creates every zone's bucket now (start-up, health check) instead of on first write. */
  async createBuckets(): Promise<void> {
    for (const zone of STORAGE_ZONES) await this.ensureBucket(zone);
  }

  /**
   * Removes this store's buckets; S3 refuses to remove a bucket that still holds objects, so
   * this cannot lose data, and it fails (fatal, `BucketNotEmpty`) if anything was left behind.
   * For tests and decommissioning.
   */
  async removeEmptyBuckets(): Promise<void> {
    for (const zone of STORAGE_ZONES) {
      const bucket = this.bucketFor(zone);
      try {
        await this.client.removeBucket(bucket);
      } catch (error: unknown) {
        if (!isMinioNotFound(error)) throw translateMinioError(error, { what: `removing bucket ${bucket}` });
      }
      this.buckets.delete(zone);
    }
  }

  async put(zone: StorageZone, source: PutSource, options?: PutOptions): Promise<StoredObject> {
    const limits = validatePut(zone, source, options);
    const input = classifySource(source);
    if (input.kind === 'bytes') {
      checkKnownSize(zone, input.bytes.byteLength, limits);
      const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
      if (bytes.length <= this.options.partSizeBytes) {
        return this.writing(zone, () => this.putWhole(zone, bytes, digestBytes(bytes), limits));
      }
      return this.putStream(zone, Readable.from([bytes]), limits);
    }
    if (input.kind === 'stream') return this.putStream(zone, input.stream, limits);
    return this.putStream(zone, await openFileSource(zone, input.path, limits), limits);
  }

  async get(zone: StorageZone, key: string): Promise<Readable> {
    validateObjectRequest(zone, key);
    const context = { what: `reading ${key} in zone ${zone}`, object: { zone, key } };
    let raw: Readable;
    try {
      raw = await this.client.getObject(this.bucketFor(zone), key);
    } catch (error: unknown) {
      throw translateMinioError(error, context);
    }
    return verifiedReadable(raw, zone, key, (error) => translateMinioError(error, context));
  }

  async getBytes(
    zone: StorageZone,
    key: string,
    options: { readonly maxBytes: number },
  ): Promise<Uint8Array> {
    validateObjectRequest(zone, key);
    const maxBytes = validateReadLimit(options.maxBytes);
    // HEAD first: an oversized object is refused without transferring any of it.
    const stored = await this.stat(zone, key);
    if (stored === null) throw new ObjectNotFoundError(zone, key);
    if (stored.sizeBytes > maxBytes) throw new ObjectTooLargeError(zone, key, maxBytes);
    return readBounded(await this.get(zone, key), zone, key, maxBytes);
  }

  async head(zone: StorageZone, key: string): Promise<StoredObject | null> {
    validateObjectRequest(zone, key);
    return this.stat(zone, key);
  }

  async copy(fromZone: StorageZone, key: string, toZone: StorageZone): Promise<StoredObject> {
    validateObjectRequest(fromZone, key);
    validateZone(toZone);
    const existing = await this.stat(toZone, key);
    if (existing !== null) return existing;
    const source = await this.stat(fromZone, key);
    if (source === null) throw new ObjectNotFoundError(fromZone, key);
    // The metadata was computed when the bytes were written; an object whose metadata disagrees
    // with its key is not promoted.
    if (source.sha256 !== keySha256(key)) {
      throw new ObjectChecksumMismatchError(fromZone, key, 'sha256', keySha256(key), source.sha256);
    }
    return this.writing(toZone, async () => {
      await this.ensureBucket(toZone);
      await this.serverSideCopy(source, toZone, key);
      return this.verifyPublished(toZone, key, source);
    });
  }

  async delete(zone: StorageZone, key: string): Promise<void> {
    validateObjectRequest(zone, key);
    try {
      await this.client.removeObject(this.bucketFor(zone), key);
    } catch (error: unknown) {
      // S3 deletes of a missing key succeed already; a missing bucket holds nothing either.
      if (!isMinioNotFound(error))
        throw translateMinioError(error, { what: `delete ${key} in zone ${zone}` });
    }
  }

  async *list(zone: StorageZone, prefix = ''): AsyncIterable<string> {
    validateZone(zone);
    validateKeyPrefix(prefix);
    const listing = this.client.listObjectsV2(
      this.bucketFor(zone),
      prefix === '' ? KEY_PREFIX : prefix,
      true,
    );
    try {
      for await (const item of listing as AsyncIterable<{ readonly name?: string }>) {
        // Anything else in the bucket (written by other tools) is not ours to list.
        if (item.name !== undefined && isValidObjectKey(item.name) && item.name.startsWith(prefix))
          yield item.name;
      }
    } catch (error: unknown) {
      if (isMinioNotFound(error)) return;
      throw translateMinioError(error, { what: `listing zone ${zone}` });
    }
  }

  async listStaging(zone: StorageZone): Promise<StagedUpload[]> {
    const bucket = this.bucketFor(zone);
    const staged: StagedUpload[] = [];
    try {
      for (const [key, entry] of this.inFlight) {
        if (entry.zone !== zone) continue;
        const uploads = this.client.listIncompleteUploads(bucket, key, true);
        for await (const upload of uploads as AsyncIterable<{
          readonly key: string;
          readonly size: number;
        }>) {
          if (upload.key === key) staged.push({ zone, id: key, bytes: upload.size });
        }
      }
      const objects = this.client.listObjectsV2(bucket, STAGING_PREFIX, true);
      for await (const item of objects as AsyncIterable<{ readonly name?: string; readonly size: number }>) {
        if (item.name !== undefined) staged.push({ zone, id: item.name, bytes: item.size });
      }
    } catch (error: unknown) {
      if (isMinioNotFound(error)) return staged;
      throw translateMinioError(error, { what: `listing staged data in zone ${zone}` });
    }
    return staged;
  }

  close(): Promise<void> {
    this.agent.destroy();
    return Promise.resolve();
  }

  /** Content that fits in one part: checked, then one PUT to its content key (if not there yet). */
  private async putWhole(
    zone: StorageZone,
    body: Buffer,
    facts: ContentFacts,
    limits: PutLimits,
  ): Promise<StoredObject> {
    checkExpectations(zone, facts, limits);
    const key = contentKey(facts.sha256);
    await this.ensureBucket(zone);
    const existing = await this.stat(zone, key);
    if (existing !== null) return existing;
    const { versionId } = await this.client.putObject(this.bucketFor(zone), key, body, body.length, {
      'Content-Type': OCTET_STREAM,
      [SHA256_META]: facts.sha256,
    });
    return { zone, bucket: this.bucketFor(zone), key, ...facts, versionId: versionId ?? null };
  }

  /**
   * Streams a source of unknown size: parts go to a staged multipart upload as they fill, so at
   * most one part is held in memory; content that turns out to fit in one part takes the
   * {@link putWhole} path instead and is never staged.
   */
  private async putStream(zone: StorageZone, stream: Readable, limits: PutLimits): Promise<StoredObject> {
    const partSize = this.options.partSizeBytes;
    const pending = new PartBuffer();
    let upload: MultipartUpload | undefined;
    try {
      await this.ensureBucket(zone);
      const facts = await pumpThroughDigest(zone, stream, limits, async (chunk) => {
        pending.push(chunk);
        // Strictly more than a part: the final part is then never empty, and content of exactly
        // one part is a single PUT.
        while (pending.bytes > partSize) {
          upload ??= await this.startStaging(zone);
          await upload.send(pending.take(partSize));
        }
      });
      if (upload === undefined) return await this.putWhole(zone, pending.take(pending.bytes), facts, limits);
      await upload.send(pending.take(pending.bytes));
      await upload.complete();
      this.inFlight.delete(upload.key);
      checkExpectations(zone, facts, limits);
      return await this.publishStaged(zone, upload.key, facts);
    } catch (error: unknown) {
      stream.destroy();
      if (upload !== undefined) await this.discardStaging(upload);
      throw this.writeError(zone, error);
    }
  }

  private async startStaging(zone: StorageZone): Promise<MultipartUpload> {
    const key = `${STAGING_PREFIX}${randomUUID()}`;
    const upload = await MultipartUpload.start(this.client, this.bucketFor(zone), key, {
      'Content-Type': OCTET_STREAM,
    });
    this.inFlight.set(key, { zone, upload });
    return upload;
  }

  /** Aborts an unfinished upload, or removes a finished staged object. Best effort: the put already failed. */
  private async discardStaging(upload: MultipartUpload): Promise<void> {
    this.inFlight.delete(upload.key);
    if (upload.completed) {
      await this.client.removeObject(upload.bucket, upload.key).catch(() => undefined);
    } else {
      await upload.abort();
    }
  }

  /**
   * Copies a verified staged object to its content key with its SHA-256 as metadata, checks the
   * result, and removes the staged object. If the content is already stored, only the removal.
   */
  private async publishStaged(
    zone: StorageZone,
    stagedKey: string,
    facts: ContentFacts,
  ): Promise<StoredObject> {
    const key = contentKey(facts.sha256);
    const bucket = this.bucketFor(zone);
    let stored = await this.stat(zone, key);
    if (stored === null) {
      await this.serverSideCopy({ bucket, key: stagedKey, ...facts }, zone, key);
      stored = await this.verifyPublished(zone, key, facts);
    }
    // Published: a leftover staged object only costs space and expires by the bucket's lifecycle
    // rule, so failing to remove it does not fail the put.
    await this.client.removeObject(bucket, stagedKey).catch(() => undefined);
    return stored;
  }

  private async serverSideCopy(
    source: {
      readonly bucket: string;
      readonly key: string;
      readonly sha256: string;
      readonly sizeBytes: number;
    },
    toZone: StorageZone,
    key: string,
  ): Promise<void> {
    const target = { bucket: this.bucketFor(toZone), key };
    // Metadata is always set explicitly (REPLACE): a staged object has none yet, and multipart
    // copies do not carry it over.
    const metadata = { [SHA256_META]: source.sha256 };
    if (source.sizeBytes <= this.options.maxSingleCopyBytes) {
      await this.client.copyObject(
        new CopySourceOptions({ Bucket: source.bucket, Object: source.key }),
        new CopyDestinationOptions({
          Bucket: target.bucket,
          Object: target.key,
          MetadataDirective: 'REPLACE',
          UserMetadata: metadata,
          Headers: { 'Content-Type': OCTET_STREAM },
        }),
      );
      return;
    }
    await multipartCopy(this.client, source, target, source.sizeBytes, this.options.copyPartSizeBytes, {
      'Content-Type': OCTET_STREAM,
      [`x-amz-meta-${SHA256_META}`]: source.sha256,
    });
  }

  /** The object now at the content key must have the size and SHA-256 metadata just written. */
  private async verifyPublished(zone: StorageZone, key: string, facts: ContentFacts): Promise<StoredObject> {
    const stored = await this.stat(zone, key);
    if (stored === null) {
      throw new ObjectStoreUnavailableError(
        `object ${key} in zone ${zone} is not readable right after it was written`,
      );
    }
    if (stored.sizeBytes !== facts.sizeBytes || stored.sha256 !== facts.sha256) {
      throw new ObjectStoreFatalError(
        `object ${key} in zone ${zone} does not match what was written (size ${stored.sizeBytes}, expected ${facts.sizeBytes})`,
      );
    }
    return stored;
  }

  /** HEAD: the stored facts, `null` if there is no object (or no bucket). */
  private async stat(zone: StorageZone, key: string): Promise<StoredObject | null> {
    const bucket = this.bucketFor(zone);
    let info: { size: number; metaData: Record<string, unknown>; versionId?: string | null };
    try {
      info = await this.client.statObject(bucket, key);
    } catch (error: unknown) {
      if (isMinioNotFound(error)) return null;
      throw translateMinioError(error, { what: `head ${key} in zone ${zone}` });
    }
    const sha256 = info.metaData[SHA256_META];
    if (!isSha256Hex(sha256)) {
      // Not written by this store (or its metadata was stripped): its integrity cannot be vouched for.
      throw new ObjectStoreFatalError(`object ${key} in zone ${zone} has no sha256 metadata`);
    }
    return {
      zone,
      bucket,
      key,
      sha256: sha256.toLowerCase(),
      sizeBytes: info.size,
      versionId: info.versionId ?? null,
    };
  }

  /** Creates the zone's bucket once per instance (and per failure), with the staging expiry rule. */
  private ensureBucket(zone: StorageZone): Promise<void> {
    const known = this.buckets.get(zone);
    if (known !== undefined) return known;
    const creating = this.createBucket(zone).catch((error: unknown) => {
      this.buckets.delete(zone);
      throw translateMinioError(error, { what: `creating the bucket of zone ${zone}` });
    });
    this.buckets.set(zone, creating);
    return creating;
  }

  private async createBucket(zone: StorageZone): Promise<void> {
    const bucket = this.bucketFor(zone);
    if (await this.client.bucketExists(bucket)) return;
    try {
      await this.client.makeBucket(bucket, this.options.region);
    } catch (error: unknown) {
      // Created concurrently by another instance, which also sets the rule.
      if (systemErrorCode(error) === 'BucketAlreadyOwnedByYou') return;
      throw error;
    }
    const days = this.options.stagingExpiryDays;
    if (days !== null) {
      await this.client.setBucketLifecycle(bucket, {
        Rule: [
          {
            ID: 'medlineage-staging-expiry',
            Status: 'Enabled',
            Filter: { Prefix: STAGING_PREFIX },
            Expiration: { Days: days },
          },
        ],
      });
    }
  }

  /** Runs a write, translating its errors. */
  private async writing<T>(zone: StorageZone, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error: unknown) {
      throw this.writeError(zone, error);
    }
  }

  private writeError(zone: StorageZone, error: unknown): ObjectStoreError {
    if (error instanceof ObjectStoreError) return error;
    if (systemErrorCode(error) === 'NoSuchBucket') {
      // The bucket was removed behind our back: forget it, so that a retry creates it again.
      this.buckets.delete(zone);
      return new ObjectStoreUnavailableError(`write to zone ${zone}: bucket missing`, { cause: error });
    }
    return translateMinioError(error, { what: `write to zone ${zone}` });
  }
}
