import { createHash } from 'node:crypto';

type Headers = Record<string, string | boolean | number | undefined>;

/**
 * The multipart calls of the `minio` client, typed structurally so that the client stays
 * imported by the adapter file alone.
 */
export interface MultipartClient {
  initiateNewMultipartUpload(bucketName: string, objectName: string, headers: Headers): Promise<string>;
  uploadPart(
    partConfig: {
      bucketName: string;
      objectName: string;
      uploadID: string;
      partNumber: number;
      headers: Headers;
    },
    payload?: string | Buffer,
  ): Promise<{ etag: string; part: number }>;
  completeMultipartUpload(
    bucketName: string,
    objectName: string,
    uploadId: string,
    etags: { part: number; etag?: string }[],
  ): Promise<{ etag: string; versionId: string | null }>;
  abortMultipartUpload(bucketName: string, objectName: string, uploadId: string): Promise<void>;
}

/**
 * One multipart upload, parts sent one at a time and in order. Written here rather than using
 * the client's `putObject(stream)`, which (8.0.7) buffers parts of up to 528 MiB when the size is
 * unknown, never settles when the source stream errors (it listens for errors on its chunker,
 * not the source), and resumes any earlier unfinished upload of the same key.
 */
export class MultipartUpload {
  private readonly etags: { part: number; etag: string }[] = [];
  private state: 'open' | 'completed' | 'aborted' = 'open';

  private constructor(
    private readonly client: MultipartClient,
    readonly bucket: string,
    readonly key: string,
    readonly uploadId: string,
  ) {}

  static async start(
    client: MultipartClient,
    bucket: string,
    key: string,
    headers: Headers,
  ): Promise<MultipartUpload> {
    const uploadId = await client.initiateNewMultipartUpload(bucket, key, headers);
    return new MultipartUpload(client, bucket, key, uploadId);
  }

  /** Sends the next part. Content-MD5 lets the server reject a part damaged in transit (BadDigest). */
  async send(part: Buffer): Promise<void> {
    const partNumber = this.etags.length + 1;
    const { etag } = await this.client.uploadPart(
      {
        bucketName: this.bucket,
        objectName: this.key,
        uploadID: this.uploadId,
        partNumber,
        headers: { 'Content-MD5': createHash('md5').update(part).digest('base64') },
      },
      part,
    );
    this.etags.push({ part: partNumber, etag });
  }

  /** Adds bytes `start..end` (inclusive) of another object as the next part, copied server-side. */
  async copyPart(
    source: { readonly bucket: string; readonly key: string },
    start: number,
    end: number,
  ): Promise<void> {
    const partNumber = this.etags.length + 1;
    const { etag } = await this.client.uploadPart(
      {
        bucketName: this.bucket,
        objectName: this.key,
        uploadID: this.uploadId,
        partNumber,
        headers: {
          // Our keys and bucket names are [a-z0-9/-] only: nothing to encode.
          'x-amz-copy-source': `${source.bucket}/${source.key}`,
          'x-amz-copy-source-range': `bytes=${start}-${end}`,
        },
      },
      '',
    );
    this.etags.push({ part: partNumber, etag });
  }

  /** Makes the object visible at its key, atomically. */
  async complete(): Promise<{ versionId: string | null }> {
    const { versionId } = await this.client.completeMultipartUpload(
      this.bucket,
      this.key,
      this.uploadId,
      this.etags,
    );
    this.state = 'completed';
    return { versionId };
  }

  /** Drops the parts sent so far (best effort: the server also expires stale uploads). */
  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.client.abortMultipartUpload(this.bucket, this.key, this.uploadId).catch(() => undefined);
  }

  get completed(): boolean {
    return this.state === 'completed';
  }
}

/**
 * Server-side copy in parts (UploadPartCopy), for objects above CopyObject's 5 GiB limit. The
 * client's `composeObject` is not used: in 8.0.7 it numbers every range of a single source as
 * part 1 (the result is only the last range) and on failure aborts and resolves as if it had
 * succeeded.
 */
export async function multipartCopy(
  client: MultipartClient,
  source: { readonly bucket: string; readonly key: string },
  target: { readonly bucket: string; readonly key: string },
  sizeBytes: number,
  partSizeBytes: number,
  headers: Headers,
): Promise<{ versionId: string | null }> {
  const upload = await MultipartUpload.start(client, target.bucket, target.key, headers);
  try {
    for (let start = 0; start < sizeBytes; start += partSizeBytes) {
      await upload.copyPart(source, start, Math.min(start + partSizeBytes, sizeBytes) - 1);
    }
    return await upload.complete();
  } catch (error: unknown) {
    await upload.abort();
    throw error;
  }
}
