import { createHmac } from 'node:crypto';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import { sniff } from '@medlineage/classification';
import type { ToolVersion } from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import { deterministicId } from '@medlineage/kernel';
import type { ObjectStore } from '@medlineage/object-store';
import { INGEST_REQUEST_SUBJECT, INGEST_TOPIC, type IngestRequest } from '../ingest-request';
import { backoffDelay, describeError, isRetriable, DEFAULT_BACKOFF } from '../retry-policy';
import type { MessageProducer } from '../transport/message-transport';
import { SNIFF_BYTES } from '../object-read';
import { readHead } from './file-head';
import { peekStudyInstanceUid } from './study-uid-peek';

export interface GatewayConfig {
  readonly gatewayId: string;
  readonly site: string;
  /** Gateway secret (≥ 32 bytes) for keyed hashes of file names and ordering keys. Never logged. */
  readonly secret: Buffer;
  /** @defaultValue INGEST_TOPIC */
  readonly topic?: string;
  /** Files in flight at once (hash + upload + produce). @defaultValue 4 */
  readonly concurrency?: number;
  /** Attempts for transient failures (object store or broker unavailable) per file. @defaultValue 5 */
  readonly attempts?: number;
  readonly producer: ToolVersion;
}

export interface GatewayDependencies {
  readonly objects: ObjectStore;
  readonly producer: MessageProducer;
  readonly codec: EventCodec;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export type PushResult =
  | {
      readonly path: string;
      readonly ok: true;
      readonly sha256: string;
      readonly sizeBytes: number;
      readonly requestId: string;
    }
  | { readonly path: string; readonly ok: false; readonly error: string };

export interface PushSummary {
  readonly files: number;
  readonly sent: number;
  readonly failed: readonly PushResult[];
  readonly bytes: number;
  readonly seconds: number;
}

/**
 * The modality-gateway side: for each file, hash it, sniff it, upload it to QUARANTINE under its
 * content key (claim check: bytes never ride Kafka), then produce an Avro IngestRequest keyed by
 * study so one study's instances stay in order. The request id derives from gateway + content,
 * so pushing the same file again produces the same request for the same object: harmless.
 */
export class Gateway {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: GatewayDependencies,
    private readonly config: GatewayConfig,
  ) {
    if (config.secret.length < 32) throw new RangeError('gateway secret must be at least 32 bytes');
    this.clock = deps.clock ?? (() => new Date());
  }

  async pushFile(path: string): Promise<PushResult> {
    const attempts = this.config.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pushOnce(path);
      } catch (error) {
        const retry = isRetriable(error) && attempt < attempts;
        this.deps.logger.warn({ error: describeError(error), attempt, retry }, 'push failed');
        if (!retry) return { path, ok: false, error: describeError(error) };
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, DEFAULT_BACKOFF)));
      }
    }
  }

  /** Pushes files with bounded concurrency, reporting each result as it completes. */
  async pushAll(paths: readonly string[], onResult?: (result: PushResult) => void): Promise<PushSummary> {
    const started = process.hrtime.bigint();
    const failed: PushResult[] = [];
    let next = 0;
    let sent = 0;
    let bytes = 0;
    const worker = async () => {
      for (let i = next++; i < paths.length; i = next++) {
        const path = paths[i];
        if (path === undefined) continue;
        const result = await this.pushFile(path);
        if (result.ok) {
          sent += 1;
          bytes += result.sizeBytes;
        } else failed.push(result);
        onResult?.(result);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.config.concurrency ?? 4) }, worker));
    return {
      files: paths.length,
      sent,
      failed,
      bytes,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
  }

  private async pushOnce(path: string): Promise<PushResult> {
    // One pass over the content: the store hashes and sizes it while writing (and publishes it under
    // its content key only once complete); the head is a separate small read, only for the hints.
    const stored = await this.deps.objects.put('QUARANTINE', { path });
    const head = await readHead(path, SNIFF_BYTES);
    const sniffed = sniff(head, stored.sizeBytes);
    const studyUid = sniffed.format === 'DICOM' ? peekStudyInstanceUid(head) : null;
    const studyKey = this.keyed('study', studyUid ?? stored.sha256, 32);
    const requestId = deterministicId('request', this.config.gatewayId, stored.sha256);
    const request: IngestRequest = {
      requestId,
      gatewayId: this.config.gatewayId,
      site: this.config.site,
      submittedAt: this.clock(),
      object: {
        zone: stored.zone,
        bucket: stored.bucket,
        key: stored.key,
        versionId: stored.versionId,
        sha256: stored.sha256,
        sizeBytes: stored.sizeBytes,
      },
      // File names can carry identity: only a keyed hash travels.
      originalName: { hmacSha256: this.keyed('name', basename(path)), sealed: null },
      contentSniff: sniffed.contentSniff,
      studyKey,
      subjectId: null,
      producer: this.config.producer,
    };
    await this.deps.producer.send(this.config.topic ?? INGEST_TOPIC, [
      {
        key: studyKey,
        value: this.deps.codec.encode(INGEST_REQUEST_SUBJECT, request),
        headers: { 'request-id': requestId },
      },
    ]);
    return { path, ok: true, sha256: stored.sha256, sizeBytes: stored.sizeBytes, requestId };
  }

  /** Keyed hash (HMAC-SHA256, hex): full length for names, shortened where it is only a routing key. */
  private keyed(purpose: string, value: string, hexChars = 64): string {
    return createHmac('sha256', this.config.secret)
      .update(`${purpose}\u0000${value}`)
      .digest('hex')
      .slice(0, hexChars);
  }
}
