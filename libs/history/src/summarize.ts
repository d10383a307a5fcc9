import type { DomainEventUnion } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';

const list = (values: readonly string[]): string => (values.length === 0 ? '-' : values.join(','));
const day = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * One PHI-free line about an event, from its data: ids (UUIDs, pseudonymous keys), codes from fixed
 * vocabularies, classes, versions, counts. Deliberately omitted: sealed envelopes (`identity`,
 * `originalName`), keyed hashes of names, and every free-text field (`detail`, `note`, a free-text
 * `reason` such as LegalHoldReleased's, `description`, `matterRef`, titles), since free text is where
 * PHI leaks in. A `reason` that is a vocabulary code (ObjectTierChanged's) is printed.
 */
export function summarizeEvent(event: DomainEventUnion): string {
  switch (event.type) {
    case 'ObjectIngested': {
      const d = event.data;
      return `object ${d.objectId} ingested at site ${d.site} from gateway ${d.gatewayId}; subject ${d.subjectId ?? '-'}, study ${d.studyKey ?? '-'}, tier ${d.storageTier}, ${d.sizeBytes} bytes${d.identity === null ? '' : ', identity sealed'}`;
    }
    case 'ObjectRejected':
      return `object ${event.data.objectId} rejected: ${event.data.reasonCode}`;
    case 'ObjectClassified': {
      const d = event.data;
      return `object ${d.objectId} classified ${d.dataClass} (${d.format}${d.modality === null ? '' : `/${d.modality}`}) by ${d.basis} under taxonomy ${d.taxonomy.id} v${d.taxonomy.version}; sensitivity ${d.sensitivity}, retention ${d.retentionClass} until ${day(d.retainUntil)}, residency ${d.residency}`;
    }
    case 'ClassificationReviewRequested':
      return `object ${event.data.objectId} sent to review ${event.data.reviewId}: ${event.data.reasonCode}; candidates ${list(event.data.candidateClasses)}`;
    case 'ClassificationReviewResolved':
      return `object ${event.data.objectId} review ${event.data.reviewId} resolved: ${event.data.outcome}`;
    case 'ObjectDeidentified':
      return `object ${event.data.objectId} de-identified as ${event.data.derivedObjectId} with profile ${event.data.profile.profileId} v${event.data.profile.profileVersion} (${event.data.tool.name} ${event.data.tool.version})`;
    case 'DerivedObjectCreated':
      return `object ${event.data.objectId} derived from ${list(event.data.derivedFrom)} by ${event.data.transformation} (${event.data.tool.name} ${event.data.tool.version}); tier ${event.data.storageTier}`;
    case 'ObjectTierChanged':
      return `object ${event.data.objectId} moved ${event.data.fromTier} -> ${event.data.toTier}: ${event.data.reason}`;
    case 'LegalHoldPlaced':
      return `object ${event.data.objectId} legal hold ${event.data.holdId} placed: ${event.data.kind}`;
    case 'LegalHoldReleased':
      return `object ${event.data.objectId} legal hold ${event.data.holdId} released`;
    case 'RetentionExpired':
      return `object ${event.data.objectId} retention ${event.data.retentionClass} expired (until ${day(event.data.retainUntil)})`;
    case 'ObjectDisposed':
      return `object ${event.data.objectId} disposed by ${event.data.evidence.method}; verified absent: ${event.data.evidence.verifiedAbsent ? 'yes' : 'no'}, approved by ${event.data.evidence.approvedBy}`;
    case 'ObjectAccessed':
      return `object ${event.data.objectId} accessed (${event.data.accessType}, ${event.data.returned}${event.data.derivativeObjectId === null ? '' : ` via ${event.data.derivativeObjectId}`}) for ${event.data.purposeOfUse} over ${event.data.channel ?? 'unknown channel'}`;
    case 'ObjectAccessDenied':
      return `object ${event.data.objectId} access denied (${event.data.accessType}, ${event.data.requested}) for ${event.data.purposeOfUse}: ${event.data.reasonCode}`;
    case 'SubjectConsentRecorded':
      return `subject ${event.data.subjectId} consent ${event.data.consentId} recorded (form ${event.data.formId} v${event.data.formVersion}, ${event.data.signatory}); permits ${list(event.data.permittedUses)}, excludes ${list(event.data.excludedDataClasses)}`;
    case 'SubjectConsentRestricted':
      return `subject ${event.data.subjectId} consent ${event.data.consentId} restricted: removed ${list(event.data.removedUses)}, excluded ${list(event.data.newlyExcludedDataClasses)}`;
    case 'SubjectConsentRevoked':
      return `subject ${event.data.subjectId} consent ${event.data.consentId} revoked: ${event.data.scope} from ${day(event.data.effectiveAt)}`;
    case 'DatasetDefined':
      return `dataset ${event.data.datasetId} defined for ${event.data.purpose} under policy ${event.data.governingPolicyId}; classes ${list(event.data.allowedDataClasses)}, residency ${event.data.residency}${event.data.requiresDeidentification ? ', de-identification required' : ''}`;
    case 'DatasetVersionCreated': {
      const d = event.data;
      return `dataset ${d.datasetId} v${d.version} created: ${d.manifest.objectCount} objects, ${d.manifest.subjectCount} subjects, ${d.excludedByConsentCount} excluded by consent; policy ${d.policy.id} v${d.policy.version}`;
    }
    case 'DatasetVersionInvalidated':
      return `dataset ${event.data.datasetId} v${event.data.version} invalidated: ${event.data.reasonCode}; ${event.data.affectedObjectIds.length} objects, ${event.data.affectedSubjectIds.length} subjects affected`;
    case 'DatasetExportIssued':
      return `dataset ${event.data.datasetId} v${event.data.version} exported as ${event.data.exportId} to ${event.data.recipientId} (${event.data.destinationResidency}) for ${event.data.purpose}`;
    case 'DatasetConsumedByTrainingRun':
      return `dataset ${event.data.datasetId} v${event.data.version} consumed by training run ${event.data.trainingRunId} for model ${event.data.modelId} (${event.data.trainer.name} ${event.data.trainer.version})`;
    case 'ModelRegistered':
      return `model ${event.data.modelId} v${event.data.version} registered from run ${event.data.trainingRunId}; trained on ${list(event.data.trainedOn.map((r) => `${r.datasetId}@v${r.version}`))}, for ${event.data.intendedUse}`;
    case 'PolicyVersionPublished':
      return `policy ${event.data.policyId} v${event.data.version} published, effective ${day(event.data.effectiveFrom)}`;
    case 'TaxonomyVersionPublished':
      return `taxonomy ${event.data.taxonomyId} v${event.data.version} published, effective ${day(event.data.effectiveFrom)}`;
    default:
      return assertNever(event, 'domain event');
  }
}
