import type { Actor } from '@medlineage/kernel';
import type {
  ChangeStorageTier,
  ClassificationAttributes,
  ClassifyObject,
  CreateDerivedObject,
  DeidentifyObject,
  DisposeObject,
  ExpireRetention,
  IngestObject,
  PlaceLegalHold,
  RecordObjectAccess,
  RejectObject,
  ReleaseLegalHold,
  ResolveClassificationReview,
} from '../data-object/data-object.commands';
import type {
  AccessDenialReason,
  ClassificationReviewRequested,
  ClassificationReviewResolved,
  DerivedObjectCreated,
  LegalHoldPlaced,
  LegalHoldReleased,
  ObjectAccessDenied,
  ObjectAccessed,
  ObjectClassified,
  ObjectClassifiedData,
  ObjectDeidentified,
  ObjectDisposed,
  ObjectIngested,
  ObjectRejected,
  ObjectTierChanged,
  RetentionExpired,
} from '../data-object/data-object.events';
import { SAMPLE_IDS, sampleEvent } from './sample-events';

/*
 * Commands and the events they should produce for one data object, built from the realistic
 * samples so that specs only spell out what a case changes.
 */

export const DAY_MS = 86_400_000;
export const AT = new Date('2026-11-20T09:15:00.000Z');
export const daysAfter = (days: number, from: Date = AT): Date => new Date(from.getTime() + days * DAY_MS);

export const gatewayService: Actor = { kind: 'service', id: 'svc-ingest' };
export const classifierService: Actor = { kind: 'service', id: 'svc-classifier' };
export const curator: Actor = { kind: 'user', id: 'staff-2b81c0' };

export const OBJECT_ID = SAMPLE_IDS.objectId;
export const DERIVED_ID = SAMPLE_IDS.derivedObjectId;
export const REVIEW_ID = SAMPLE_IDS.reviewId;
export const OTHER_SHA256 = 'aa'.repeat(32);

const ingested = sampleEvent('ObjectIngested').data;
const classifiedSample = sampleEvent('ObjectClassified').data;

// ---------- ingestion and rejection
export const ingestObject = (o: Partial<IngestObject> = {}): IngestObject => ({
  type: 'IngestObject',
  ...ingested,
  at: AT,
  actor: gatewayService,
  ...o,
});
export const objectIngested = (o: Partial<ObjectIngested['data']> = {}): ObjectIngested => ({
  type: 'ObjectIngested',
  data: { ...ingested, ...o },
});

const rejectedSample = { ...sampleEvent('ObjectRejected').data, objectId: OBJECT_ID };
export const rejectObject = (o: Partial<RejectObject> = {}): RejectObject => ({
  type: 'RejectObject',
  ...rejectedSample,
  at: AT,
  actor: gatewayService,
  ...o,
});
export const objectRejected = (o: Partial<ObjectRejected['data']> = {}): ObjectRejected => ({
  type: 'ObjectRejected',
  data: { ...rejectedSample, ...o },
});

// ---------- classification
export const classificationAttributes: ClassificationAttributes = {
  format: classifiedSample.format,
  modality: classifiedSample.modality,
  dicom: classifiedSample.dicom,
  sensitivity: classifiedSample.sensitivity,
  phiBearing: classifiedSample.phiBearing,
  retentionClass: classifiedSample.retentionClass,
  retainUntil: classifiedSample.retainUntil,
  residency: classifiedSample.residency,
  eligibleUses: classifiedSample.eligibleUses,
};
export const RETAIN_UNTIL = classifiedSample.retainUntil;
export const TAXONOMY = classifiedSample.taxonomy;

export const classifyObject = (o: Partial<ClassifyObject> = {}): ClassifyObject => ({
  type: 'ClassifyObject',
  objectId: OBJECT_ID,
  taxonomy: TAXONOMY,
  signals: [
    { ruleId: 'dicom.magic', dataClass: 'IMAGING', confidence: 0.99 },
    { ruleId: 'dicom.sop-class.ct', dataClass: 'IMAGING', confidence: 0.95 },
  ],
  attributes: classificationAttributes,
  reviewId: REVIEW_ID,
  at: AT,
  actor: classifierService,
  ...o,
});
export const objectClassified = (o: Partial<ObjectClassifiedData> = {}): ObjectClassified => ({
  type: 'ObjectClassified',
  data: { ...classifiedSample, ...o },
});
export const reviewRequested = (
  o: Partial<ClassificationReviewRequested['data']> = {},
): ClassificationReviewRequested => ({
  type: 'ClassificationReviewRequested',
  data: { ...sampleEvent('ClassificationReviewRequested').data, taxonomy: TAXONOMY, ...o },
});
export const resolveReview = (o: Partial<ResolveClassificationReview> = {}): ResolveClassificationReview => ({
  type: 'ResolveClassificationReview',
  objectId: OBJECT_ID,
  reviewId: REVIEW_ID,
  outcome: 'CLASSIFIED',
  note: 'encapsulated radiology report; classed as clinical note',
  classification: { ...classificationAttributes, dataClass: 'CLINICAL_NOTE' },
  at: AT,
  actor: curator,
  ...o,
});
export const reviewResolved = (
  o: Partial<ClassificationReviewResolved['data']> = {},
): ClassificationReviewResolved => ({
  type: 'ClassificationReviewResolved',
  data: { ...sampleEvent('ClassificationReviewResolved').data, ...o },
});

// ---------- derivation
const deidentifiedSample = sampleEvent('ObjectDeidentified').data;
export const deidentifyObject = (o: Partial<DeidentifyObject> = {}): DeidentifyObject => ({
  type: 'DeidentifyObject',
  ...deidentifiedSample,
  at: AT,
  actor: classifierService,
  ...o,
});
export const objectDeidentified = (o: Partial<ObjectDeidentified['data']> = {}): ObjectDeidentified => ({
  type: 'ObjectDeidentified',
  data: { ...deidentifiedSample, ...o },
});

const derivedSample = sampleEvent('DerivedObjectCreated').data;
export const createDerivedObject = (o: Partial<CreateDerivedObject> = {}): CreateDerivedObject => ({
  type: 'CreateDerivedObject',
  objectId: DERIVED_ID,
  sources: [{ objectId: OBJECT_ID, status: 'classified', subjectIds: derivedSample.subjectIds }],
  transformation: derivedSample.transformation,
  tool: derivedSample.tool,
  options: derivedSample.options,
  location: derivedSample.location,
  contentSha256: derivedSample.contentSha256,
  sizeBytes: derivedSample.sizeBytes,
  storageTier: derivedSample.storageTier,
  at: AT,
  actor: classifierService,
  ...o,
});
export const derivedObjectCreated = (
  o: Partial<DerivedObjectCreated['data']> = {},
): DerivedObjectCreated => ({
  type: 'DerivedObjectCreated',
  data: { ...derivedSample, ...o },
});

// ---------- storage, holds, retention, disposal
const tierSample = sampleEvent('ObjectTierChanged').data;
export const changeTier = (o: Partial<ChangeStorageTier> = {}): ChangeStorageTier => ({
  type: 'ChangeStorageTier',
  objectId: OBJECT_ID,
  toTier: tierSample.toTier,
  to: tierSample.to,
  reason: tierSample.reason,
  at: AT,
  actor: gatewayService,
  ...o,
});
export const tierChanged = (o: Partial<ObjectTierChanged['data']> = {}): ObjectTierChanged => ({
  type: 'ObjectTierChanged',
  data: { ...tierSample, ...o },
});

const holdSample = sampleEvent('LegalHoldPlaced').data;
export const HOLD_ID = holdSample.holdId;
export const placeHold = (o: Partial<PlaceLegalHold> = {}): PlaceLegalHold => ({
  type: 'PlaceLegalHold',
  ...holdSample,
  at: AT,
  actor: curator,
  ...o,
});
export const holdPlaced = (o: Partial<LegalHoldPlaced['data']> = {}): LegalHoldPlaced => ({
  type: 'LegalHoldPlaced',
  data: { ...holdSample, ...o },
});
export const releaseHold = (o: Partial<ReleaseLegalHold> = {}): ReleaseLegalHold => ({
  type: 'ReleaseLegalHold',
  ...sampleEvent('LegalHoldReleased').data,
  at: AT,
  actor: curator,
  ...o,
});
export const holdReleased = (o: Partial<LegalHoldReleased['data']> = {}): LegalHoldReleased => ({
  type: 'LegalHoldReleased',
  data: { ...sampleEvent('LegalHoldReleased').data, ...o },
});

export const expireRetention = (at: Date = RETAIN_UNTIL): ExpireRetention => ({
  type: 'ExpireRetention',
  objectId: OBJECT_ID,
  at,
  actor: gatewayService,
});
export const retentionExpired = (): RetentionExpired => sampleEvent('RetentionExpired');

const disposedSample = sampleEvent('ObjectDisposed').data;
export const disposeObject = (o: Partial<DisposeObject> = {}): DisposeObject => ({
  type: 'DisposeObject',
  objectId: OBJECT_ID,
  evidence: disposedSample.evidence,
  at: daysAfter(10, RETAIN_UNTIL),
  actor: curator,
  ...o,
});
export const objectDisposed = (): ObjectDisposed => sampleEvent('ObjectDisposed');

// ---------- access
const accessedSample = sampleEvent('ObjectAccessed').data;
export const recordAccess = (o: Partial<RecordObjectAccess> = {}): RecordObjectAccess => ({
  type: 'RecordObjectAccess',
  objectId: OBJECT_ID,
  accessId: accessedSample.accessId,
  accessType: accessedSample.accessType,
  representation: accessedSample.returned,
  derivativeObjectId: accessedSample.derivativeObjectId,
  bytesReturned: accessedSample.bytesReturned,
  purposeOfUse: accessedSample.purposeOfUse,
  channel: 'DICOMWEB',
  at: AT,
  actor: curator,
  ...o,
});
/** The ObjectAccessed a {@link recordAccess} command with the same overrides yields. */
export const objectAccessed = (command: RecordObjectAccess = recordAccess()): ObjectAccessed => ({
  type: 'ObjectAccessed',
  data: {
    objectId: command.objectId,
    accessId: command.accessId,
    accessType: command.accessType,
    returned: command.representation,
    derivativeObjectId: command.derivativeObjectId,
    bytesReturned: command.representation === 'METADATA_ONLY' ? 0 : command.bytesReturned,
    purposeOfUse: command.purposeOfUse,
    channel: command.channel,
  },
});
export const objectAccessDenied = (
  reasonCode: AccessDenialReason,
  command: RecordObjectAccess = recordAccess(),
): ObjectAccessDenied => ({
  type: 'ObjectAccessDenied',
  data: {
    objectId: command.objectId,
    accessId: command.accessId,
    accessType: command.accessType,
    requested: command.representation,
    purposeOfUse: command.purposeOfUse,
    channel: command.channel,
    reasonCode,
  },
});
