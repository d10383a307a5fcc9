import { assertNever } from '@medlineage/kernel';
import type { DisposalEvidence, ObjectLocation, VersionRef } from '../common/value-objects';
import type { DataClass, StorageTier } from '../common/vocabularies';
import type { DataObjectEvent, ObjectClassifiedData } from './data-object.events';

/** Facts about an object that exists (was ingested or derived), whatever its status. */
export interface ObjectFacts {
  readonly objectId: string;
  readonly origin: 'ingested' | 'derived';
  readonly subjectIds: readonly string[];
  readonly contentSha256: string;
  readonly sizeBytes: number;
  readonly location: ObjectLocation;
  readonly tier: StorageTier;
  readonly activeHoldIds: readonly string[];
  /** Ids of de-identified derivatives recorded by ObjectDeidentified. */
  readonly deidentifiedAs: readonly string[];
  /** From the latest classification; a reclassification resets `expired`. */
  readonly retention: {
    readonly retentionClass: string;
    readonly retainUntil: Date;
    readonly expired: boolean;
  } | null;
}

export interface PendingReview {
  readonly reviewId: string;
  readonly taxonomy: VersionRef;
  readonly candidateClasses: readonly DataClass[];
}

export type DataObjectState =
  | { readonly status: 'absent' }
  | { readonly status: 'rejected'; readonly objectId: string; readonly requestId: string }
  | { readonly status: 'stored'; readonly object: ObjectFacts }
  | { readonly status: 'under-review'; readonly object: ObjectFacts; readonly review: PendingReview }
  | {
      readonly status: 'classified';
      readonly object: ObjectFacts;
      readonly classification: ObjectClassifiedData;
    }
  | { readonly status: 'quarantined'; readonly object: ObjectFacts }
  | { readonly status: 'disposed'; readonly object: ObjectFacts; readonly evidence: DisposalEvidence };

export type DataObjectStatus = DataObjectState['status'];

/** States in which the object's content exists and may be read or derived from (subject to rules). */
export type ExistingObjectState = Extract<DataObjectState, { readonly object: ObjectFacts }>;

export const initialDataObjectState = (): DataObjectState => ({ status: 'absent' });

/**
 * Folds one event. Events are facts already decided, so an event that does not fit the current
 * status (which `decide` never produces) leaves the state unchanged rather than throwing.
 */
export function evolveDataObject(state: DataObjectState, event: DataObjectEvent): DataObjectState {
  switch (event.type) {
    case 'ObjectIngested': {
      if (state.status !== 'absent') return state;
      const d = event.data;
      return {
        status: 'stored',
        object: {
          objectId: d.objectId,
          origin: 'ingested',
          subjectIds: d.subjectId === null ? [] : [d.subjectId],
          contentSha256: d.contentSha256,
          sizeBytes: d.sizeBytes,
          location: d.location,
          tier: d.storageTier,
          activeHoldIds: [],
          deidentifiedAs: [],
          retention: null,
        },
      };
    }
    case 'DerivedObjectCreated': {
      if (state.status !== 'absent') return state;
      const d = event.data;
      return {
        status: 'stored',
        object: {
          objectId: d.objectId,
          origin: 'derived',
          subjectIds: d.subjectIds,
          contentSha256: d.contentSha256,
          sizeBytes: d.sizeBytes,
          location: d.location,
          tier: d.storageTier,
          activeHoldIds: [],
          deidentifiedAs: [],
          retention: null,
        },
      };
    }
    case 'ObjectRejected':
      return state.status === 'absent'
        ? { status: 'rejected', objectId: event.data.objectId, requestId: event.data.requestId }
        : state;
    case 'ObjectClassified': {
      if (state.status !== 'stored' && state.status !== 'under-review' && state.status !== 'classified') {
        return state;
      }
      const d = event.data;
      return {
        status: 'classified',
        object: {
          ...state.object,
          retention: { retentionClass: d.retentionClass, retainUntil: d.retainUntil, expired: false },
        },
        classification: d,
      };
    }
    case 'ClassificationReviewRequested': {
      if (state.status !== 'stored' && state.status !== 'classified') return state;
      const d = event.data;
      return {
        status: 'under-review',
        object: state.object,
        review: { reviewId: d.reviewId, taxonomy: d.taxonomy, candidateClasses: d.candidateClasses },
      };
    }
    case 'ClassificationReviewResolved':
      // CLASSIFIED is followed by ObjectClassified in the same decision, which moves the state on.
      return state.status === 'under-review' && event.data.outcome === 'QUARANTINED'
        ? { status: 'quarantined', object: state.object }
        : state;
    case 'ObjectDeidentified':
      return updateFacts(state, (o) => ({
        ...o,
        deidentifiedAs: [...o.deidentifiedAs, event.data.derivedObjectId],
      }));
    case 'ObjectTierChanged':
      return updateFacts(state, (o) => ({ ...o, tier: event.data.toTier, location: event.data.to }));
    case 'LegalHoldPlaced':
      return updateFacts(state, (o) => ({ ...o, activeHoldIds: [...o.activeHoldIds, event.data.holdId] }));
    case 'LegalHoldReleased':
      return updateFacts(state, (o) => ({
        ...o,
        activeHoldIds: o.activeHoldIds.filter((id) => id !== event.data.holdId),
      }));
    case 'RetentionExpired':
      return updateFacts(state, (o) =>
        o.retention === null ? o : { ...o, retention: { ...o.retention, expired: true } },
      );
    case 'ObjectDisposed':
      return 'object' in state && state.status !== 'disposed'
        ? { status: 'disposed', object: state.object, evidence: event.data.evidence }
        : state;
    case 'ObjectAccessed':
    case 'ObjectAccessDenied':
      return state;
    default:
      return assertNever(event, 'data object event');
  }
}

function updateFacts(state: DataObjectState, update: (facts: ObjectFacts) => ObjectFacts): DataObjectState {
  switch (state.status) {
    case 'absent':
    case 'rejected':
      return state;
    case 'stored':
    case 'quarantined':
      return { ...state, object: update(state.object) };
    case 'under-review':
      return { ...state, object: update(state.object) };
    case 'classified':
      return { ...state, object: update(state.object) };
    case 'disposed':
      return { ...state, object: update(state.object) };
    default:
      return assertNever(state, 'data object state');
  }
}
