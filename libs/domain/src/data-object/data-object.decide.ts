import { assertNever } from '@medlineage/kernel';
import { DomainError } from '../domain-error';
import { distinct } from '../common/same-value';
import { accessDenialReason } from './data-object.access';
import { evaluateSignals } from './data-object.classification';
import type {
  ChangeStorageTier,
  ClassifyObject,
  CreateDerivedObject,
  DataObjectCommand,
  DeidentifyObject,
  DisposeObject,
  ExpireRetention,
  IngestObject,
  PlaceLegalHold,
  RecordObjectAccess,
  RejectObject,
  ReleaseLegalHold,
  ResolveClassificationReview,
} from './data-object.commands';
import type { DataObjectEvent, ObjectClassified } from './data-object.events';
import type {
  DataObjectState,
  DataObjectStatus,
  ExistingObjectState,
  ObjectFacts,
} from './data-object.state';

/** CID 7050 code every PS3.15 de-identification must include. */
export const BASIC_PROFILE_CODE = '113100';
/** CID 7050 "Clean Pixel Data": required when pixels are declared to carry burned-in text. */
export const CLEAN_PIXEL_DATA_CODE = '113101';

/** Statuses a derivation may read from: the content exists and is not withheld. */
const DERIVABLE_STATUSES: readonly DataObjectStatus[] = ['stored', 'under-review', 'classified'];

export function decideDataObject(command: DataObjectCommand, state: DataObjectState): DataObjectEvent[] {
  switch (command.type) {
    case 'IngestObject':
      return ingest(command, state);
    case 'RejectObject':
      return reject(command, state);
    case 'CreateDerivedObject':
      return createDerived(command, state);
    case 'ClassifyObject':
      return classify(command, state);
    case 'ResolveClassificationReview':
      return resolveReview(command, state);
    case 'DeidentifyObject':
      return deidentify(command, state);
    case 'ChangeStorageTier':
      return changeTier(command, state);
    case 'PlaceLegalHold':
      return placeHold(command, state);
    case 'ReleaseLegalHold':
      return releaseHold(command, state);
    case 'ExpireRetention':
      return expireRetention(command, state);
    case 'DisposeObject':
      return dispose(command, state);
    case 'RecordObjectAccess':
      return recordAccess(command, state);
    default:
      return assertNever(command, 'data object command');
  }
}

function ingest(c: IngestObject, state: DataObjectState): DataObjectEvent[] {
  if (state.status === 'absent') {
    return [
      {
        type: 'ObjectIngested',
        data: {
          objectId: c.objectId,
          requestId: c.requestId,
          gatewayId: c.gatewayId,
          site: c.site,
          subjectId: c.subjectId,
          studyKey: c.studyKey,
          location: c.location,
          contentSha256: c.contentSha256,
          sizeBytes: c.sizeBytes,
          originalName: c.originalName,
          storageTier: c.storageTier,
          contentSniff: c.contentSniff,
          identity: c.identity,
        },
      },
    ];
  }
  if (state.status === 'rejected')
    throw new DomainError('object.rejected', `object ${c.objectId} was rejected`);
  if (state.status === 'disposed')
    throw new DomainError('object.disposed', `object ${c.objectId} was disposed`);
  return sameContentOrConflict(state.object, c.contentSha256);
}

function createDerived(c: CreateDerivedObject, state: DataObjectState): DataObjectEvent[] {
  if (state.status === 'rejected')
    throw new DomainError('object.rejected', `object ${c.objectId} was rejected`);
  if (state.status === 'disposed')
    throw new DomainError('object.disposed', `object ${c.objectId} was disposed`);
  if (state.status !== 'absent') return sameContentOrConflict(state.object, c.contentSha256);
  if (c.sources.length === 0 || c.sources.some((s) => s.objectId === c.objectId)) {
    throw new DomainError(
      'object.derivation-invalid',
      `derived object ${c.objectId} needs other objects as sources`,
    );
  }
  const unavailable = c.sources.filter((s) => !DERIVABLE_STATUSES.includes(s.status));
  if (unavailable.length > 0) {
    throw new DomainError(
      'object.derivation-source-unavailable',
      `sources ${unavailable.map((s) => `${s.objectId} (${s.status})`).join(', ')} cannot be derived from`,
    );
  }
  return [
    {
      type: 'DerivedObjectCreated',
      data: {
        objectId: c.objectId,
        derivedFrom: c.sources.map((s) => s.objectId),
        transformation: c.transformation,
        tool: c.tool,
        options: c.options,
        subjectIds: distinct(c.sources.flatMap((s) => s.subjectIds)).sort(),
        location: c.location,
        contentSha256: c.contentSha256,
        sizeBytes: c.sizeBytes,
        storageTier: c.storageTier,
      },
    },
  ];
}

/** Re-delivering the same content is a no-op; different content under the same id is a conflict. */
function sameContentOrConflict(object: ObjectFacts, contentSha256: string): DataObjectEvent[] {
  if (object.contentSha256 === contentSha256) return [];
  throw new DomainError(
    'object.content-conflict',
    `object ${object.objectId} already holds different content`,
  );
}

function reject(c: RejectObject, state: DataObjectState): DataObjectEvent[] {
  switch (state.status) {
    case 'absent':
      return [
        {
          type: 'ObjectRejected',
          data: {
            objectId: c.objectId,
            requestId: c.requestId,
            gatewayId: c.gatewayId,
            site: c.site,
            reasonCode: c.reasonCode,
            detail: c.detail,
            claimedSha256: c.claimedSha256,
            observedSha256: c.observedSha256,
            quarantine: c.quarantine,
          },
        },
      ];
    case 'rejected':
      if (state.requestId === c.requestId) return [];
      throw new DomainError(
        'object.rejection-conflict',
        `object ${c.objectId} was rejected for another request`,
      );
    case 'disposed':
      throw new DomainError('object.disposed', `object ${c.objectId} was disposed`);
    case 'stored':
    case 'under-review':
    case 'classified':
    case 'quarantined':
      throw new DomainError('object.already-ingested', `object ${c.objectId} was already accepted`);
    default:
      return assertNever(state, 'data object state');
  }
}

function classify(c: ClassifyObject, state: DataObjectState): DataObjectEvent[] {
  const existing = requireLiveObject(state, c.objectId);
  switch (existing.status) {
    case 'quarantined':
      throw new DomainError('object.quarantined', `object ${c.objectId} is quarantined`);
    case 'under-review':
      if (
        existing.review.taxonomy.id === c.taxonomy.id &&
        existing.review.taxonomy.version === c.taxonomy.version
      ) {
        return []; // the same evaluation, redelivered
      }
      throw new DomainError(
        'object.review-pending',
        `object ${c.objectId} awaits review ${existing.review.reviewId}`,
      );
    case 'classified': {
      const current = existing.classification.taxonomy;
      if (current.id !== c.taxonomy.id) {
        throw new DomainError(
          'object.taxonomy-mismatch',
          `object ${c.objectId} is classified under ${current.id}`,
        );
      }
      if (c.taxonomy.version === current.version) return []; // first classification under a version wins
      if (c.taxonomy.version < current.version) {
        throw new DomainError(
          'object.classification-stale',
          `object ${c.objectId} is classified under version ${current.version}, newer than ${c.taxonomy.version}`,
        );
      }
      break;
    }
    case 'stored':
      break;
    default:
      return assertNever(existing, 'live object state');
  }
  const verdict = evaluateSignals(c.signals);
  if (verdict.kind === 'review') {
    return [
      {
        type: 'ClassificationReviewRequested',
        data: {
          objectId: c.objectId,
          reviewId: c.reviewId,
          taxonomy: c.taxonomy,
          reasonCode: verdict.reason,
          candidateClasses: verdict.candidateClasses,
          signalRuleIds: c.signals.map((s) => s.ruleId),
          detail: `${verdict.reason}: candidates [${verdict.candidateClasses.join(', ')}] from rules [${c.signals
            .map((s) => s.ruleId)
            .join(', ')}]`,
        },
      },
    ];
  }
  return [
    classified(c.objectId, c.taxonomy, c.attributes, verdict.dataClass, {
      basis: 'RULES',
      reviewId: null,
      matchedRuleIds: verdict.matchedRuleIds,
    }),
  ];
}

function resolveReview(c: ResolveClassificationReview, state: DataObjectState): DataObjectEvent[] {
  const existing = requireLiveObject(state, c.objectId);
  if (existing.status !== 'under-review') {
    throw new DomainError('object.no-review-pending', `object ${c.objectId} has no pending review`);
  }
  if (existing.review.reviewId !== c.reviewId) {
    throw new DomainError(
      'object.review-unknown',
      `object ${c.objectId} awaits review ${existing.review.reviewId}`,
    );
  }
  const resolved: DataObjectEvent = {
    type: 'ClassificationReviewResolved',
    data: { objectId: c.objectId, reviewId: c.reviewId, outcome: c.outcome, note: c.note },
  };
  if (c.outcome === 'QUARANTINED') return [resolved];
  if (c.classification === null) {
    throw new DomainError(
      'object.review-classification-missing',
      `review ${c.reviewId} needs a classification`,
    );
  }
  const { dataClass, ...attributes } = c.classification;
  return [
    resolved,
    classified(c.objectId, existing.review.taxonomy, attributes, dataClass, {
      basis: 'MANUAL_REVIEW',
      reviewId: c.reviewId,
      matchedRuleIds: [],
    }),
  ];
}

function classified(
  objectId: string,
  taxonomy: ClassifyObject['taxonomy'],
  a: ClassifyObject['attributes'],
  dataClass: ObjectClassified['data']['dataClass'],
  how: Pick<ObjectClassified['data'], 'basis' | 'reviewId' | 'matchedRuleIds'>,
): ObjectClassified {
  return {
    type: 'ObjectClassified',
    data: {
      objectId,
      taxonomy,
      basis: how.basis,
      reviewId: how.reviewId,
      dataClass,
      format: a.format,
      modality: a.modality,
      dicom: a.dicom,
      sensitivity: a.sensitivity,
      phiBearing: a.phiBearing,
      retentionClass: a.retentionClass,
      retainUntil: a.retainUntil,
      residency: a.residency,
      eligibleUses: a.eligibleUses,
      matchedRuleIds: how.matchedRuleIds,
    },
  };
}

function deidentify(c: DeidentifyObject, state: DataObjectState): DataObjectEvent[] {
  const existing = requireLiveObject(state, c.objectId);
  switch (existing.status) {
    case 'quarantined':
      throw new DomainError('object.quarantined', `object ${c.objectId} is quarantined`);
    case 'stored':
      throw new DomainError('object.not-classified', `object ${c.objectId} must be classified first`);
    case 'under-review':
      throw new DomainError('object.review-pending', `object ${c.objectId} awaits review`);
    case 'classified':
      break;
    default:
      return assertNever(existing, 'live object state');
  }
  if (existing.object.deidentifiedAs.includes(c.derivedObjectId)) return [];
  if (c.derivedObjectId === c.objectId) {
    throw new DomainError('object.derivation-invalid', `object ${c.objectId} cannot be its own derivative`);
  }
  const codes = c.profile.methodCodes;
  if (!codes.includes(BASIC_PROFILE_CODE)) {
    throw new DomainError(
      'object.deidentification-profile-invalid',
      `profile must include ${BASIC_PROFILE_CODE}`,
    );
  }
  if (existing.classification.dicom?.burnedInAnnotation === 'YES' && !codes.includes(CLEAN_PIXEL_DATA_CODE)) {
    throw new DomainError(
      'object.deidentification-profile-invalid',
      `burned-in annotation requires ${CLEAN_PIXEL_DATA_CODE} (Clean Pixel Data)`,
    );
  }
  return [
    {
      type: 'ObjectDeidentified',
      data: {
        objectId: c.objectId,
        derivedObjectId: c.derivedObjectId,
        profile: c.profile,
        tool: c.tool,
        patientIdentityRemoved: c.patientIdentityRemoved,
        uidMappingRef: c.uidMappingRef,
        outputSha256: c.outputSha256,
      },
    },
  ];
}

function changeTier(c: ChangeStorageTier, state: DataObjectState): DataObjectEvent[] {
  const { object } = requireLiveObject(state, c.objectId);
  if (object.tier === c.toTier) return [];
  return [
    {
      type: 'ObjectTierChanged',
      data: {
        objectId: c.objectId,
        fromTier: object.tier,
        toTier: c.toTier,
        from: object.location,
        to: c.to,
        reason: c.reason,
      },
    },
  ];
}

function placeHold(c: PlaceLegalHold, state: DataObjectState): DataObjectEvent[] {
  const { object } = requireLiveObject(state, c.objectId);
  if (object.activeHoldIds.includes(c.holdId)) return [];
  return [
    {
      type: 'LegalHoldPlaced',
      data: { objectId: c.objectId, holdId: c.holdId, kind: c.kind, matterRef: c.matterRef },
    },
  ];
}

function releaseHold(c: ReleaseLegalHold, state: DataObjectState): DataObjectEvent[] {
  const { object } = requireLiveObject(state, c.objectId);
  if (!object.activeHoldIds.includes(c.holdId)) {
    throw new DomainError('object.hold-not-active', `hold ${c.holdId} is not active on object ${c.objectId}`);
  }
  return [{ type: 'LegalHoldReleased', data: { objectId: c.objectId, holdId: c.holdId, reason: c.reason } }];
}

function expireRetention(c: ExpireRetention, state: DataObjectState): DataObjectEvent[] {
  const { object } = requireLiveObject(state, c.objectId);
  const { retention } = object;
  if (retention === null) {
    throw new DomainError('object.not-classified', `object ${c.objectId} has no retention class yet`);
  }
  if (retention.expired) return [];
  if (c.at.getTime() < retention.retainUntil.getTime()) {
    throw new DomainError(
      'object.retention-not-expired',
      `object ${c.objectId} is retained until ${retention.retainUntil.toISOString()}`,
    );
  }
  return [
    {
      type: 'RetentionExpired',
      data: {
        objectId: c.objectId,
        retentionClass: retention.retentionClass,
        retainUntil: retention.retainUntil,
      },
    },
  ];
}

/**
 * Disposal is final and must be defensible: no active legal hold, retention over (quarantined
 * content, which has no retention obligation, may go at once), absence verified for at least one
 * removed version, and a second person's approval.
 */
function dispose(c: DisposeObject, state: DataObjectState): DataObjectEvent[] {
  const existing = requireLiveObject(state, c.objectId);
  const { object } = existing;
  if (object.activeHoldIds.length > 0) {
    throw new DomainError(
      'object.legal-hold-active',
      `object ${c.objectId} is under legal hold ${object.activeHoldIds.join(', ')}`,
    );
  }
  if (existing.status !== 'quarantined' && object.retention?.expired !== true) {
    throw new DomainError('object.retention-not-expired', `object ${c.objectId} is still under retention`);
  }
  if (!c.evidence.verifiedAbsent || c.evidence.removedVersions.length === 0) {
    throw new DomainError('object.disposal-unverified', `disposal of ${c.objectId} lacks verified evidence`);
  }
  if (c.evidence.approvedBy === c.actor.id) {
    throw new DomainError(
      'object.disposal-needs-second-approver',
      `disposal of ${c.objectId} must be approved by someone other than its executor`,
    );
  }
  return [{ type: 'ObjectDisposed', data: { objectId: c.objectId, evidence: c.evidence } }];
}

function recordAccess(c: RecordObjectAccess, state: DataObjectState): DataObjectEvent[] {
  if (state.status === 'absent') throw new DomainError('object.not-found', `object ${c.objectId} is unknown`);
  if ('object' in state) {
    const wantsDerivative = c.representation === 'DEIDENTIFIED_DERIVATIVE';
    const knownDerivative =
      c.derivativeObjectId !== null && state.object.deidentifiedAs.includes(c.derivativeObjectId);
    if (wantsDerivative ? !knownDerivative : c.derivativeObjectId !== null) {
      throw new DomainError(
        'object.unknown-derivative',
        `derivative ${c.derivativeObjectId ?? '(none)'} does not match ${c.representation} of object ${c.objectId}`,
      );
    }
  }
  const denial = accessDenialReason(state, c.representation, c.purposeOfUse);
  if (denial !== null) {
    return [
      {
        type: 'ObjectAccessDenied',
        data: {
          objectId: c.objectId,
          accessId: c.accessId,
          accessType: c.accessType,
          requested: c.representation,
          purposeOfUse: c.purposeOfUse,
          channel: c.channel,
          reasonCode: denial,
        },
      },
    ];
  }
  return [
    {
      type: 'ObjectAccessed',
      data: {
        objectId: c.objectId,
        accessId: c.accessId,
        accessType: c.accessType,
        returned: c.representation,
        derivativeObjectId: c.derivativeObjectId,
        bytesReturned: c.representation === 'METADATA_ONLY' ? 0 : c.bytesReturned,
        purposeOfUse: c.purposeOfUse,
        channel: c.channel,
      },
    },
  ];
}

/** The object exists and has not been disposed; otherwise the matching refusal. */
function requireLiveObject(
  state: DataObjectState,
  objectId: string,
): Exclude<ExistingObjectState, { readonly status: 'disposed' }> {
  switch (state.status) {
    case 'absent':
    case 'rejected':
      throw new DomainError('object.not-ingested', `object ${objectId} was never accepted`);
    case 'disposed':
      throw new DomainError('object.disposed', `object ${objectId} was disposed`);
    case 'stored':
    case 'under-review':
    case 'classified':
    case 'quarantined':
      return state;
    default:
      return assertNever(state, 'data object state');
  }
}
