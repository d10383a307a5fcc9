import type { EncryptedEnvelope } from '@medlineage/kernel';
import type { DomainEventUnion, EventType } from '../event-catalogue';
import type {
  ObjectAccessedV1Data,
  ObjectClassifiedV1Data,
  ObjectIngestedV1Data,
  ObjectIngestedV2Data,
  SubjectConsentRecordedV1Data,
} from '../legacy-events';
import type { DicomAttributes, DisposalEvidence, ObjectLocation } from '../common/value-objects';
import type {
  ObjectAccessedData,
  ObjectClassifiedData,
  ObjectIngestedData,
} from '../data-object/data-object.events';
import type { SubjectConsentRecordedData } from '../subject-consent/subject-consent.events';

/*
 * Realistic, PHI-free samples: one per event type in its current schema version, and one per
 * superseded version in that version's shape. Used by the codec to prove that the TS types and
 * the Avro schemas agree. Ids are fixed so the output is deterministic.
 */

export const SAMPLE_IDS = {
  objectId: '3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c01',
  derivedObjectId: '8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
  requestId: 'c0ffee00-1234-4abc-8def-0123456789ab',
  reviewId: '5b7e2d10-9f3c-4e8a-b1d2-7c6a5e4f3b21',
  accessId: 'a1c3e5f7-2b4d-4f6a-8c0e-1a3b5c7d9e0f',
  subjectId: 'subk3qxm7vd2hq4ntl6rbw5ypz3fga7ej2o',
  consentId: 'd4e5f6a7-b8c9-4d0e-9f1a-2b3c4d5e6f70',
  datasetId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  exportId: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
  modelId: '2c4e6a8b-0d1f-4a3c-9e5b-7d9f1b3d5f7a',
  policyId: 'secondary-use',
  taxonomyId: 'medlineage-core',
  trainingRunId: 'run-2026-11-20-lung-nodule-017',
} as const;

const at = (iso: string): Date => new Date(iso);

const sha = {
  content: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  derived: '60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752',
  name: '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  manifest: 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9',
  disposal: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
  consentForm: '7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730',
  policyDoc: 'f2ca1bb6c7e907d06dafe4687e579fce76b37e4e93b7605022da52e6ccc26fd2',
  taxonomyDoc: '486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7',
  model: 'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb',
  observed: '3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d',
} as const;

const quarantined: ObjectLocation = {
  zone: 'QUARANTINE',
  bucket: 'ml-quarantine-eu',
  key: `sha256/9f/86/${sha.content}`,
  versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY',
};
const curatedWarm: ObjectLocation = {
  zone: 'WARM',
  bucket: 'ml-warm-eu',
  key: `sha256/9f/86/${sha.content}`,
  versionId: 'Zt9q2V0sXb.kH7uQ1m4LrA8cWJpYf3dE',
};
const deidentified: ObjectLocation = {
  zone: 'DEIDENTIFIED',
  bucket: 'ml-deid-eu',
  key: `sha256/60/30/${sha.derived}`,
  versionId: null,
};

/** Sealed original file name: bytes are opaque test values, not real ciphertext of anything. */
const sealedName: EncryptedEnvelope = {
  keyId: `subject-key/${SAMPLE_IDS.subjectId}/1`,
  algorithm: 'AES_256_GCM',
  iv: Uint8Array.from([0x3a, 0x91, 0x0c, 0x5e, 0x77, 0x12, 0xd4, 0x08, 0xee, 0x41, 0x9b, 0x60]),
  ciphertext: Uint8Array.from([
    0x8f, 0x02, 0xc4, 0x1d, 0x6b, 0xa0, 0x33, 0xfe, 0x59, 0x7c, 0x11, 0xe8, 0x40, 0x9d,
  ]),
  authTag: Uint8Array.from([
    0x5c, 0xb1, 0x27, 0x03, 0xfa, 0x6e, 0x90, 0x44, 0x1b, 0xd8, 0x72, 0x0f, 0xa9, 0x35, 0xc6, 0x81,
  ]),
  aad: `${SAMPLE_IDS.subjectId}:originalName`,
};

const ctDicom: DicomAttributes = {
  sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
  transferSyntaxUid: '1.2.840.10008.1.2.1',
  burnedInAnnotation: 'NO',
  numberOfFrames: null,
  bodyPartExamined: 'CHEST',
  seriesKey: '2.25.171340911845104213786307352011478934203',
  instanceKey: '2.25.286125744905187040117329315853398652011',
  manufacturer: 'SIEMENS',
  manufacturerModelName: 'SOMATOM Force',
  stationName: 'CT01',
  studyYear: 2026,
};

const ingestedV3: ObjectIngestedData = {
  objectId: SAMPLE_IDS.objectId,
  requestId: SAMPLE_IDS.requestId,
  gatewayId: 'gw-radiology-eu-01',
  site: 'site-uk-rgh',
  subjectId: SAMPLE_IDS.subjectId,
  studyKey: 'stk6m2zq4wa7yr3pd5hx',
  location: quarantined,
  contentSha256: sha.content,
  sizeBytes: 527_104,
  originalName: { hmacSha256: sha.name, sealed: sealedName },
  storageTier: 'HOT',
  contentSniff: 'dicom-part10',
  identity: { ...sealedName, aad: `${SAMPLE_IDS.subjectId}:identity` },
};

const classifiedV2: ObjectClassifiedData = {
  objectId: SAMPLE_IDS.objectId,
  taxonomy: { id: SAMPLE_IDS.taxonomyId, version: 4 },
  basis: 'RULES',
  reviewId: null,
  dataClass: 'IMAGING',
  format: 'DICOM',
  modality: 'CT',
  dicom: ctDicom,
  sensitivity: 'RESTRICTED',
  phiBearing: true,
  retentionClass: 'imaging-adult-8y',
  retainUntil: at('2034-11-20T09:15:00.000Z'),
  residency: 'UK',
  eligibleUses: ['CLINICAL_CARE', 'RESEARCH', 'MODEL_TRAINING'],
  matchedRuleIds: ['dicom.magic', 'dicom.sop-class.ct'],
};

const accessedV2: ObjectAccessedData = {
  objectId: SAMPLE_IDS.objectId,
  accessId: SAMPLE_IDS.accessId,
  accessType: 'DOWNLOAD',
  returned: 'DEIDENTIFIED_DERIVATIVE',
  derivativeObjectId: SAMPLE_IDS.derivedObjectId,
  bytesReturned: 498_112,
  purposeOfUse: 'HRESCH',
  channel: 'DICOMWEB',
};

const consentV2: SubjectConsentRecordedData = {
  subjectId: SAMPLE_IDS.subjectId,
  consentId: SAMPLE_IDS.consentId,
  site: 'site-uk-rgh',
  formId: 'research-broad-consent',
  formVersion: '3.1',
  permittedUses: ['RESEARCH', 'MODEL_TRAINING'],
  excludedDataClasses: ['GENOMICS'],
  effectiveFrom: at('2026-01-12T10:30:00.000Z'),
  expiresAt: at('2036-01-12T10:30:00.000Z'),
  signatory: 'SUBJECT',
  evidenceSha256: sha.consentForm,
};

const disposal: DisposalEvidence = {
  method: 'CRYPTO_SHRED_AND_DELETE',
  removedVersions: [quarantined, curatedWarm],
  destroyedKeyIds: [`object-key/${SAMPLE_IDS.objectId}/1`],
  verifiedAbsent: true,
  verificationMethod: 'head-each-version-404',
  verifiedAt: at('2034-12-01T08:00:00.000Z'),
  manifestSha256: sha.disposal,
  approvedBy: 'staff-7f3a91',
  certificateRef: null,
};

/** One sample per event type, current schema version, in ALL_EVENT_TYPES order. Fresh copies on every call. */
export function sampleEvents(): DomainEventUnion[] {
  return structuredClone(currentSamples());
}

function currentSamples(): DomainEventUnion[] {
  return [
    { type: 'ObjectIngested', data: ingestedV3 },
    {
      type: 'ObjectRejected',
      data: {
        objectId: '6d5c4b3a-2910-4f8e-9d7c-6b5a49382716',
        requestId: 'c0ffee00-1234-4abc-8def-0123456789ac',
        gatewayId: 'gw-radiology-eu-01',
        site: 'site-uk-rgh',
        reasonCode: 'CHECKSUM_MISMATCH',
        detail: 'sha256 of stored bytes differs from claim',
        claimedSha256: sha.content,
        observedSha256: sha.observed,
        quarantine: {
          zone: 'QUARANTINE',
          bucket: 'ml-quarantine-eu',
          key: `sha256/3e/23/${sha.observed}`,
          versionId: null,
        },
      },
    },
    { type: 'ObjectClassified', data: classifiedV2 },
    {
      type: 'ClassificationReviewRequested',
      data: {
        objectId: SAMPLE_IDS.objectId,
        reviewId: SAMPLE_IDS.reviewId,
        taxonomy: { id: SAMPLE_IDS.taxonomyId, version: 4 },
        reasonCode: 'CONFLICTING_SIGNALS',
        candidateClasses: ['IMAGING', 'CLINICAL_NOTE'],
        signalRuleIds: ['dicom.sop-class.encapsulated-pdf', 'text.report-heuristics'],
        detail: 'CONFLICTING_SIGNALS: candidates [IMAGING, CLINICAL_NOTE]',
      },
    },
    {
      type: 'ClassificationReviewResolved',
      data: {
        objectId: SAMPLE_IDS.objectId,
        reviewId: SAMPLE_IDS.reviewId,
        outcome: 'CLASSIFIED',
        note: 'encapsulated radiology report; classed as clinical note',
      },
    },
    {
      type: 'ObjectDeidentified',
      data: {
        objectId: SAMPLE_IDS.objectId,
        derivedObjectId: SAMPLE_IDS.derivedObjectId,
        profile: {
          profileId: 'ps315-basic+cd+md+pc+di',
          profileVersion: '2',
          standardEdition: '2024b',
          methodCodes: ['113100', '113105', '113107', '113108', '113109'],
          options: { dateShift: 'per-subject', uidStrategy: 'hmac-2.25', privateTags: 'remove' },
        },
        tool: { name: 'medlineage-deid', version: '0.4.2' },
        patientIdentityRemoved: true,
        uidMappingRef: `vault://uid-map/${SAMPLE_IDS.subjectId}/2026-11`,
        outputSha256: sha.derived,
      },
    },
    {
      type: 'DerivedObjectCreated',
      data: {
        objectId: SAMPLE_IDS.derivedObjectId,
        derivedFrom: [SAMPLE_IDS.objectId],
        transformation: 'DEIDENTIFICATION',
        tool: { name: 'medlineage-deid', version: '0.4.2' },
        options: { profileId: 'ps315-basic+cd+md+pc+di' },
        subjectIds: [SAMPLE_IDS.subjectId],
        location: deidentified,
        contentSha256: sha.derived,
        sizeBytes: 498_112,
        storageTier: 'HOT',
      },
    },
    {
      type: 'ObjectTierChanged',
      data: {
        objectId: SAMPLE_IDS.objectId,
        fromTier: 'HOT',
        toTier: 'WARM',
        from: quarantined,
        to: curatedWarm,
        reason: 'LIFECYCLE_POLICY',
      },
    },
    {
      type: 'LegalHoldPlaced',
      data: {
        objectId: SAMPLE_IDS.objectId,
        holdId: 'hold-2026-0042',
        kind: 'LITIGATION',
        matterRef: 'LEG-2026-117',
      },
    },
    {
      type: 'LegalHoldReleased',
      data: { objectId: SAMPLE_IDS.objectId, holdId: 'hold-2026-0042', reason: 'matter closed' },
    },
    {
      type: 'RetentionExpired',
      data: {
        objectId: SAMPLE_IDS.objectId,
        retentionClass: 'imaging-adult-8y',
        retainUntil: at('2034-11-20T09:15:00.000Z'),
      },
    },
    { type: 'ObjectDisposed', data: { objectId: SAMPLE_IDS.objectId, evidence: disposal } },
    { type: 'ObjectAccessed', data: accessedV2 },
    {
      type: 'ObjectAccessDenied',
      data: {
        objectId: SAMPLE_IDS.objectId,
        accessId: 'b2d4f6a8-3c5e-4a7b-9d1f-2e4a6c8e0b1d',
        accessType: 'VIEW',
        requested: 'ORIGINAL',
        purposeOfUse: 'HRESCH',
        channel: 'REST_API',
        reasonCode: 'DEIDENTIFIED_CONTENT_REQUIRED',
      },
    },
    { type: 'SubjectConsentRecorded', data: consentV2 },
    {
      type: 'SubjectConsentRestricted',
      data: {
        subjectId: SAMPLE_IDS.subjectId,
        consentId: SAMPLE_IDS.consentId,
        removedUses: ['MODEL_TRAINING'],
        newlyExcludedDataClasses: ['CLINICAL_NOTE'],
      },
    },
    {
      type: 'SubjectConsentRevoked',
      data: {
        subjectId: SAMPLE_IDS.subjectId,
        consentId: SAMPLE_IDS.consentId,
        scope: 'WITHDRAW_FROM_EXISTING_USE',
        effectiveAt: at('2026-11-21T14:00:00.000Z'),
      },
    },
    {
      type: 'DatasetDefined',
      data: {
        datasetId: SAMPLE_IDS.datasetId,
        name: 'Chest CT nodules 2026',
        description: 'Adult chest CT, de-identified, for nodule segmentation training',
        purpose: 'MODEL_TRAINING',
        ownerId: 'team-imaging-ai',
        residency: 'UK',
        governingPolicyId: SAMPLE_IDS.policyId,
        allowedDataClasses: ['IMAGING'],
        requiresDeidentification: true,
      },
    },
    {
      type: 'DatasetVersionCreated',
      data: {
        datasetId: SAMPLE_IDS.datasetId,
        version: 1,
        manifest: {
          objectIds: [SAMPLE_IDS.derivedObjectId, 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'],
          objectCount: 2,
          subjectCount: 2,
          totalSizeBytes: 1_003_520,
          manifestSha256: sha.manifest,
        },
        policy: { id: SAMPLE_IDS.policyId, version: 3 },
        taxonomy: { id: SAMPLE_IDS.taxonomyId, version: 4 },
        consentCheckedAsOf: at('2026-11-20T06:00:00.000Z'),
        excludedByConsentCount: 17,
        deidentificationProfileId: 'ps315-basic+cd+md+pc+di',
      },
    },
    {
      type: 'DatasetVersionInvalidated',
      data: {
        datasetId: SAMPLE_IDS.datasetId,
        version: 1,
        reasonCode: 'CONSENT_REVOKED',
        affectedObjectIds: [SAMPLE_IDS.derivedObjectId],
        affectedSubjectIds: [SAMPLE_IDS.subjectId],
        detail: 'subject withdrew consent from existing use',
      },
    },
    {
      type: 'DatasetExportIssued',
      data: {
        datasetId: SAMPLE_IDS.datasetId,
        version: 1,
        exportId: SAMPLE_IDS.exportId,
        recipientId: 'org-uk-univ-imaging-lab',
        purpose: 'MODEL_TRAINING',
        destinationResidency: 'UK',
        dataUseAgreementRef: 'DUA-2026-031',
        manifestSha256: sha.manifest,
        expiresAt: at('2027-11-20T00:00:00.000Z'),
      },
    },
    {
      type: 'DatasetConsumedByTrainingRun',
      data: {
        datasetId: SAMPLE_IDS.datasetId,
        version: 1,
        trainingRunId: SAMPLE_IDS.trainingRunId,
        modelId: SAMPLE_IDS.modelId,
        manifestSha256: sha.manifest,
        trainer: { name: 'monai', version: '1.4.0' },
        codeRef: 'git+https://git.example.org/imaging/nodule-seg.git@4f2a9c1',
      },
    },
    {
      type: 'ModelRegistered',
      data: {
        modelId: SAMPLE_IDS.modelId,
        name: 'lung-nodule-seg',
        version: '1.4.0',
        trainingRunId: SAMPLE_IDS.trainingRunId,
        trainedOn: [{ datasetId: SAMPLE_IDS.datasetId, version: 1 }],
        artifactSha256: sha.model,
        intendedUse: 'MODEL_TRAINING',
        framework: { name: 'pytorch', version: '2.5.1' },
      },
    },
    {
      type: 'PolicyVersionPublished',
      data: {
        policyId: SAMPLE_IDS.policyId,
        version: 3,
        title: 'Secondary use of clinical data',
        documentSha256: sha.policyDoc,
        effectiveFrom: at('2026-07-01T00:00:00.000Z'),
        allowedResidencies: ['UK', 'EU'],
        deidentificationRequiredFor: ['RESEARCH', 'MODEL_TRAINING', 'COMMERCIAL_USE'],
        maxConsentCheckAgeHours: 24,
      },
    },
    {
      type: 'TaxonomyVersionPublished',
      data: {
        taxonomyId: SAMPLE_IDS.taxonomyId,
        version: 4,
        documentSha256: sha.taxonomyDoc,
        effectiveFrom: at('2026-09-01T00:00:00.000Z'),
        dataClasses: ['IMAGING', 'GENOMICS', 'EHR_STRUCTURED', 'CLINICAL_NOTE', 'MIXED'],
        retentionClasses: [
          {
            id: 'imaging-adult-8y',
            retainForDays: 2922,
            description: 'NHS Records Management Code 2023: imaging',
          },
          { id: 'genomics-30y', retainForDays: 10_958, description: 'Genomic records: 30 years' },
        ],
        ruleCount: 142,
      },
    },
  ];
}

/** The sample of one event type, typed as that event. */
export function sampleEvent<T extends EventType>(type: T): Extract<DomainEventUnion, { readonly type: T }> {
  const found = sampleEvents().find(
    (e): e is Extract<DomainEventUnion, { readonly type: T }> => e.type === type,
  );
  if (found === undefined) throw new Error(`no sample for ${type}`);
  return found;
}

/** Data of a superseded schema version, in that version's shape. */
export interface LegacyEventSample {
  readonly eventType: EventType;
  readonly version: number;
  readonly data: Record<string, unknown>;
}

/** One sample per superseded schema version. Fresh copies on every call. */
export function sampleLegacyData(): LegacyEventSample[] {
  return structuredClone(legacySamples());
}

function legacySamples(): LegacyEventSample[] {
  const { contentSha256, contentSniff, ...ingestedCommon } = ingestedV3;
  const ingestedV1: ObjectIngestedV1Data = { ...ingestedCommon, sha256: contentSha256 };
  const ingestedV2: ObjectIngestedV2Data = { ...ingestedV1, contentSniff };
  const classifiedV1: ObjectClassifiedV1Data = { ...classifiedV2, residency: 'eu-west-2' };
  const { channel: _channel, ...accessedV1 }: ObjectAccessedData = accessedV2;
  const { permittedUses, ...consentCommon } = consentV2;
  const consentV1: SubjectConsentRecordedV1Data = { ...consentCommon, scopes: permittedUses };
  return [
    { eventType: 'ObjectIngested', version: 1, data: { ...ingestedV1 } },
    { eventType: 'ObjectIngested', version: 2, data: { ...ingestedV2 } },
    { eventType: 'ObjectClassified', version: 1, data: { ...classifiedV1 } },
    { eventType: 'ObjectAccessed', version: 1, data: { ...(accessedV1 satisfies ObjectAccessedV1Data) } },
    { eventType: 'SubjectConsentRecorded', version: 1, data: { ...consentV1 } },
  ];
}
