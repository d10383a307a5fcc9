import type { ProtectedText, StorageZone, ToolVersion } from '@medlineage/domain';

/** `com.medlineage.messages.ingest.IngestRequest` v1 (current shape), produced by gateways. */
export interface IngestRequest {
  readonly requestId: string;
  readonly gatewayId: string;
  readonly site: string;
  readonly submittedAt: Date;
  readonly object: {
    readonly zone: StorageZone;
    readonly bucket: string;
    readonly key: string;
    readonly versionId: string | null;
    readonly sha256: string;
    readonly sizeBytes: number;
  };
  readonly originalName: ProtectedText | null;
  readonly contentSniff: string | null;
  readonly studyKey: string;
  readonly subjectId: string | null;
  readonly producer: ToolVersion;
}

export const INGEST_REQUEST_SUBJECT = 'IngestRequest';
/** Versioned topic: a breaking change to the request gets a new topic, not a silent reinterpretation. */
export const INGEST_TOPIC = 'medlineage.ingest.requests.v1';
