import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { classify, screenContent, sniff, type SniffResult } from '@medlineage/classification';
import {
  DicomRejectedError,
  parseDicom,
  pseudonymizeUid,
  toDicomAttributes,
  type ParsedDicom,
} from '@medlineage/dicom';
import {
  DomainError,
  dataObjectDecider,
  dataObjectStreamName,
  type ClassifyObject,
  type IngestObject,
  type RejectionReason,
  type RejectObject,
  type ResidencyRegion,
} from '@medlineage/domain';
import { CodecError, type EventCodec } from '@medlineage/event-codec';
import type { CommandContext, EventSourcedRepository } from '@medlineage/event-sourcing';
import type { SubjectKeyRing } from '@medlineage/key-vault';
import {
  deterministicId,
  isPseudonymousSubjectId,
  isUuid,
  pseudonymousSubjectId,
  sealEnvelope,
  type EncryptedEnvelope,
} from '@medlineage/kernel';
import {
  ObjectChecksumMismatchError,
  ObjectNotFoundError,
  contentKey,
  isSha256Hex,
  isValidObjectKey,
  type ObjectStore,
} from '@medlineage/object-store';
import type { DeadLetterReason, DeadLetterSink } from './dead-letters';
import { INGEST_REQUEST_SUBJECT, type IngestRequest } from './ingest-request';
import { readObject, type ObjectRead } from './object-read';
import type { TransportMessage } from './transport/message-transport';

export interface IngestConfig {
  /** Sites this deployment accepts, with the jurisdiction their data falls under. */
  readonly sites: Readonly<Record<string, { readonly residency: ResidencyRegion }>>;
  /** Deployment secret for pseudonymous subject ids and UIDs (≥ 32 bytes). Never logged. */
  readonly pseudonymKey: Buffer;
  /** Objects up to this size are read whole (and DICOM parsed); larger ones are hashed and sniffed only. */
  readonly maxParseBytes: number;
  /** Objects above this are rejected. */
  readonly maxObjectBytes: number;
  readonly producer: { readonly name: string; readonly version: string };
}

export interface IngestDependencies {
  readonly objects: ObjectStore;
  readonly repository: EventSourcedRepository;
  readonly codec: EventCodec;
  readonly keys: SubjectKeyRing;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  readonly clock?: () => Date;
}

export type IngestOutcome =
  | {
      readonly kind: 'ingested';
      readonly objectId: string;
      readonly requestId: string;
      readonly classified: ClassifiedAs;
    }
  | { readonly kind: 'duplicate'; readonly objectId: string; readonly requestId: string }
  | {
      readonly kind: 'rejected';
      readonly objectId: string;
      /** Null when the request itself could not be read. */
      readonly requestId: string | null;
      readonly reason: RejectionReason;
    };

/** Gateway ids are configuration, not data: short, printable, no spaces. */
const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Pseudonymous keys are hashes or 2.25 UIDs: never free text that could carry a name. */
const OPAQUE_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every free-text field of a request lands in an immutable event, so each must have the shape we
 * produce (ids, hashes, pseudonyms); anything else could smuggle identity into the log.
 */
function malformedField(r: IngestRequest): string | null {
  if (!isUuid(r.requestId)) return 'requestId';
  if (!GATEWAY_ID.test(r.gatewayId)) return 'gatewayId';
  if (!OPAQUE_KEY.test(r.studyKey)) return 'studyKey';
  if (r.subjectId !== null && !isPseudonymousSubjectId(r.subjectId)) return 'subjectId';
  if (r.originalName !== null && !isSha256Hex(r.originalName.hmacSha256)) return 'originalName';
  return null;
}

export type ClassifiedAs = 'classified' | 'review' | 'unchanged' | 'duplicate';

const ACTOR = { kind: 'service', id: 'svc-ingest' } as const;

/** The Kafka record a request came from: its id makes event ids deterministic. */
interface Cause {
  readonly id: string;
  readonly source: NonNullable<CommandContext['source']>;
}

/** Thrown inside the pipeline to turn bad input into a recorded rejection. */
class Rejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly deadLetterReason: DeadLetterReason,
    readonly detail: string,
    readonly observedSha256: string | null = null,
  ) {
    super(`${reason}: ${detail}`);
  }
}

/**
 * One ingest request → events. Fetch the claim-checked object from quarantine, verify size and
 * checksum, sniff, parse DICOM behind its guards, seal identity under the subject's key, promote
 * the object to HOT, then append ObjectIngested and ObjectClassified (or a review request) with
 * ids derived from the Kafka record, so redelivery writes nothing twice. Bad input becomes an
 * ObjectRejected event plus a dead letter; transient failures throw retriable errors so the
 * consumer retries without committing.
 */
export class IngestService {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: IngestDependencies,
    private readonly config: IngestConfig,
  ) {
    if (config.pseudonymKey.length < 32) throw new RangeError('pseudonymKey must be at least 32 bytes');
    this.clock = deps.clock ?? (() => new Date());
  }

  async handle(message: TransportMessage): Promise<IngestOutcome> {
    const cause: Cause = {
      id: `${message.topic}:${message.partition}:${message.offset}`,
      source: { topic: message.topic, partition: message.partition, offset: message.offset },
    };
    let request: IngestRequest | null = null;
    try {
      request = this.decode(message);
      return await this.ingest(request, cause);
    } catch (error) {
      if (error instanceof Rejection) return this.reject(message, request, cause, error);
      throw error;
    }
  }

  private decode(message: TransportMessage): IngestRequest {
    try {
      return this.deps.codec.decode<IngestRequest>(message.value ?? Buffer.alloc(0), INGEST_REQUEST_SUBJECT)
        .value;
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      const dlq: DeadLetterReason =
        error.code === 'UNKNOWN_FINGERPRINT'
          ? 'UNKNOWN_SCHEMA'
          : error.code === 'SCHEMA_INCOMPATIBLE'
            ? 'SCHEMA_INCOMPATIBLE'
            : 'MALFORMED_PAYLOAD';
      throw new Rejection('MESSAGE_UNREADABLE', dlq, error.code);
    }
  }

  private async ingest(request: IngestRequest, cause: Cause): Promise<IngestOutcome> {
    const site = this.config.sites[request.site];
    if (!site) throw new Rejection('UNKNOWN_SITE', 'VALIDATION_FAILED', 'site is not enrolled');
    const claim = request.object;
    const malformed = malformedField(request);
    if (malformed)
      throw new Rejection('MESSAGE_UNREADABLE', 'VALIDATION_FAILED', `${malformed} is not well-formed`);
    if (
      !isSha256Hex(claim.sha256) ||
      !isValidObjectKey(claim.key) ||
      claim.key !== contentKey(claim.sha256.toLowerCase())
    ) {
      throw new Rejection(
        'CHECKSUM_MISMATCH',
        'VALIDATION_FAILED',
        'claim-check key does not match the claimed sha256',
      );
    }
    if (claim.sizeBytes > this.config.maxObjectBytes) {
      throw new Rejection('SIZE_LIMIT_EXCEEDED', 'OVERSIZE', `claimed ${claim.sizeBytes} bytes`);
    }

    const objectId = deterministicId('object', request.site, claim.sha256.toLowerCase());
    const read = await this.fetch(claim.key, claim.sizeBytes);
    const sniffed = sniff(read.head, read.sizeBytes);
    const screen = screenContent(sniffed);
    if (!screen.admit) throw new Rejection(screen.reasonCode, 'VALIDATION_FAILED', screen.detail);
    const dicom = sniffed.format === 'DICOM' ? this.parse(read) : null;

    const subjectId =
      dicom?.identity['PatientID'] !== undefined
        ? pseudonymousSubjectId(this.config.pseudonymKey, request.site, dicom.identity['PatientID'])
        : request.subjectId;
    const identity = dicom && subjectId ? await this.seal(subjectId, dicom) : null;
    const studyKey = dicom?.uids.study
      ? pseudonymizeUid(this.config.pseudonymKey, dicom.uids.study)
      : request.studyKey;

    // Promote first, record second: a crash in between leaves a harmless copy that the
    // redelivered request finds (copy is idempotent) before recording.
    const hot = await this.deps.objects.copy('QUARANTINE', claim.key, 'HOT');
    const at = this.clock();
    const ingestCommand: IngestObject = {
      type: 'IngestObject',
      objectId,
      at,
      actor: ACTOR,
      requestId: request.requestId,
      gatewayId: request.gatewayId,
      site: request.site,
      subjectId,
      studyKey,
      location: { zone: hot.zone, bucket: hot.bucket, key: hot.key, versionId: hot.versionId },
      contentSha256: read.sha256,
      sizeBytes: read.sizeBytes,
      originalName: request.originalName,
      storageTier: 'HOT',
      contentSniff: sniffed.contentSniff,
      identity,
    };
    const stream = dataObjectStreamName(objectId);
    const ingested = await this.deps.repository.handle(
      dataObjectDecider,
      stream,
      ingestCommand,
      this.context(cause, request),
    );
    // Classification has its own cause id: after a crash between the two appends, the redelivered
    // request finds the ingest done (duplicate) and still classifies.
    const classified = await this.classify(
      objectId,
      stream,
      sniffed,
      dicom,
      site.residency,
      at,
      cause,
      request,
    );
    await this.deps.objects.delete('QUARANTINE', claim.key);
    if (ingested.kind === 'duplicate' && classified === 'duplicate')
      return { kind: 'duplicate', objectId, requestId: request.requestId };
    return { kind: 'ingested', objectId, requestId: request.requestId, classified };
  }

  private async fetch(key: string, claimedSize: number): Promise<ObjectRead> {
    const head = await this.deps.objects.head('QUARANTINE', key);
    // Already promoted by an earlier delivery of the same content: read the HOT copy instead.
    const zone = head ? 'QUARANTINE' : (await this.deps.objects.head('HOT', key)) ? 'HOT' : null;
    if (!zone)
      throw new Rejection('OBJECT_MISSING', 'VALIDATION_FAILED', 'nothing at the claim-check location');
    const size = head?.sizeBytes ?? claimedSize;
    if (size !== claimedSize) {
      throw new Rejection(
        'SIZE_MISMATCH',
        'CHECKSUM_MISMATCH',
        `stored ${size} bytes, claimed ${claimedSize}`,
      );
    }
    try {
      return await readObject(this.deps.objects, zone, key, this.config.maxParseBytes);
    } catch (error) {
      if (error instanceof ObjectChecksumMismatchError) {
        throw new Rejection('CHECKSUM_MISMATCH', 'CHECKSUM_MISMATCH', 'stored bytes do not match their key');
      }
      if (error instanceof ObjectNotFoundError) {
        throw new Rejection('OBJECT_MISSING', 'VALIDATION_FAILED', 'object vanished while being read');
      }
      throw error;
    }
  }

  private parse(read: ObjectRead): ParsedDicom {
    if (!read.content)
      throw new Rejection('SIZE_LIMIT_EXCEEDED', 'OVERSIZE', 'DICOM object larger than the parse limit');
    try {
      return parseDicom(read.content);
    } catch (error) {
      if (error instanceof DicomRejectedError) {
        const tooBig = error.code === 'SIZE_LIMIT_EXCEEDED';
        throw new Rejection(
          tooBig
            ? 'SIZE_LIMIT_EXCEEDED'
            : error.code === 'EXECUTABLE_PREAMBLE'
              ? 'EXECUTABLE_CONTENT'
              : 'MALFORMED_CONTENT',
          tooBig ? 'OVERSIZE' : 'VALIDATION_FAILED',
          `dicom ${error.code}`,
        );
      }
      throw error;
    }
  }

  private async seal(subjectId: string, dicom: ParsedDicom): Promise<EncryptedEnvelope> {
    const key = await this.deps.keys.keyFor(subjectId);
    const plaintext = {
      ...dicom.identity,
      StudyInstanceUID: dicom.uids.study,
      SeriesInstanceUID: dicom.uids.series,
      SOPInstanceUID: dicom.uids.sopInstance,
    };
    return sealEnvelope(key, plaintext, `${subjectId}:identity`, randomBytes(12));
  }

  private async classify(
    objectId: string,
    stream: string,
    sniffed: SniffResult,
    dicom: ParsedDicom | null,
    residency: ResidencyRegion,
    at: Date,
    cause: Cause,
    request: IngestRequest,
  ): Promise<ClassifiedAs> {
    const outcome = classify({
      sniff: sniffed,
      dicom: dicom && {
        sopClassUid: dicom.sopClassUid,
        modality: dicom.modality,
        bodyPartExamined: dicom.bodyPartExamined,
        imageType: dicom.imageType,
        burnedInAnnotation: dicom.burnedInAnnotation,
        attributes: toDicomAttributes(dicom, this.config.pseudonymKey),
      },
      siteResidency: residency,
      at,
    });
    const command: ClassifyObject = {
      type: 'ClassifyObject',
      objectId,
      at,
      actor: ACTOR,
      reviewId: deterministicId('review', objectId, outcome.taxonomy.id, outcome.taxonomy.version),
      taxonomy: outcome.taxonomy,
      signals: outcome.signals,
      attributes: outcome.attributes,
    };
    const result = await this.deps.repository.handle(
      dataObjectDecider,
      stream,
      command,
      this.context(cause, request, 'classify'),
    );
    if (result.kind !== 'appended') return result.kind;
    return result.events.some((e) => e.type === 'ClassificationReviewRequested') ? 'review' : 'classified';
  }

  private async reject(
    message: TransportMessage,
    request: IngestRequest | null,
    cause: Cause,
    rejection: Rejection,
  ): Promise<IngestOutcome> {
    // One rejection record per failed delivery attempt of a request; redelivery of the same record
    // maps to the same id and is recognised as a duplicate.
    const objectId = deterministicId('rejection', cause.id);
    const command: RejectObject = {
      type: 'RejectObject',
      objectId,
      at: this.clock(),
      actor: ACTOR,
      requestId: request && isUuid(request.requestId) ? request.requestId : objectId,
      // Free-text fields of a request we refused are attacker-controlled: only enrolled sites and
      // plain identifiers are copied into the (immutable) event.
      gatewayId: request && GATEWAY_ID.test(request.gatewayId) ? request.gatewayId : 'unknown',
      site: request && this.config.sites[request.site] ? request.site : 'unknown',
      reasonCode: rejection.reason,
      detail: rejection.detail,
      claimedSha256: request && isSha256Hex(request.object.sha256) ? request.object.sha256 : '',
      observedSha256: rejection.observedSha256,
      quarantine:
        request && isValidObjectKey(request.object.key)
          ? {
              zone: 'QUARANTINE',
              bucket: request.object.bucket,
              key: request.object.key,
              versionId: request.object.versionId,
            }
          : null,
    };
    try {
      await this.deps.repository.handle(
        dataObjectDecider,
        dataObjectStreamName(objectId),
        command,
        this.context(cause, request),
      );
    } catch (error) {
      // A rule refusing the rejection record must not block the partition: the dead letter still holds it.
      if (!(error instanceof DomainError)) throw error;
      this.deps.logger.error({ cause: cause.id, code: error.code }, 'rejection not recorded');
    }
    await this.deps.deadLetters.deadLetter(
      message,
      rejection.deadLetterReason,
      `${rejection.reason}: ${rejection.detail}`,
      1,
      this.clock(),
    );
    this.deps.logger.warn({ cause: cause.id, objectId, reason: rejection.reason }, 'ingest request rejected');
    return { kind: 'rejected', objectId, requestId: request?.requestId ?? null, reason: rejection.reason };
  }

  /** `step` distinguishes the appends one record causes (their ids must differ, and each be stable). */
  private context(cause: Cause, request: IngestRequest | null, step?: string): CommandContext {
    const causeId = step ? `${cause.id}:${step}` : cause.id;
    // The request id is copied into every envelope: only when it has the shape we issue.
    const requestId = request && isUuid(request.requestId) ? request.requestId : null;
    return {
      causeId,
      actor: ACTOR,
      purposeOfUse: 'HOPERAT',
      correlationId: requestId ?? deterministicId('correlation', causeId),
      causationId: requestId,
      occurredAt: request?.submittedAt ?? this.clock(),
      producer: this.config.producer,
      source: cause.source,
    };
  }
}
