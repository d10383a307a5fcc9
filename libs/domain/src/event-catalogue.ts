import { DATA_OBJECT_EVENT_TYPES, type DataObjectEvent } from './data-object/data-object.events';
import { DATASET_EVENT_TYPES, type DatasetEvent } from './dataset/dataset.events';
import { MODEL_EVENT_TYPES, type ModelEvent } from './model/model.events';
import { POLICY_EVENT_TYPES, type PolicyEvent, type TaxonomyEvent } from './policy/policy.events';
import {
  SUBJECT_CONSENT_EVENT_TYPES,
  type SubjectConsentEvent,
} from './subject-consent/subject-consent.events';

/** Every event of the product, in its current-version shape. */
export type DomainEventUnion =
  DataObjectEvent | SubjectConsentEvent | DatasetEvent | ModelEvent | PolicyEvent | TaxonomyEvent;

export type EventType = DomainEventUnion['type'];

/** Every persisted event type string. Stable forever: a type string is never renamed or reused. */
export const ALL_EVENT_TYPES: readonly EventType[] = [
  ...DATA_OBJECT_EVENT_TYPES,
  ...SUBJECT_CONSENT_EVENT_TYPES,
  ...DATASET_EVENT_TYPES,
  ...MODEL_EVENT_TYPES,
  ...POLICY_EVENT_TYPES,
];

/** Folder names under `schemas/avro/events/`. */
export const AGGREGATE_FOLDERS = ['data-object', 'subject-consent', 'dataset', 'model', 'policy'] as const;
export type AggregateFolder = (typeof AGGREGATE_FOLDERS)[number];

/** Schema folder of each event type: `schemas/avro/events/<folder>/<type>.v<N>.avsc`. */
export const AGGREGATE_OF_EVENT: Readonly<Record<EventType, AggregateFolder>> = {
  ObjectIngested: 'data-object',
  ObjectRejected: 'data-object',
  ObjectClassified: 'data-object',
  ClassificationReviewRequested: 'data-object',
  ClassificationReviewResolved: 'data-object',
  ObjectDeidentified: 'data-object',
  DerivedObjectCreated: 'data-object',
  ObjectTierChanged: 'data-object',
  LegalHoldPlaced: 'data-object',
  LegalHoldReleased: 'data-object',
  RetentionExpired: 'data-object',
  ObjectDisposed: 'data-object',
  ObjectAccessed: 'data-object',
  ObjectAccessDenied: 'data-object',
  SubjectConsentRecorded: 'subject-consent',
  SubjectConsentRestricted: 'subject-consent',
  SubjectConsentRevoked: 'subject-consent',
  DatasetDefined: 'dataset',
  DatasetVersionCreated: 'dataset',
  DatasetVersionInvalidated: 'dataset',
  DatasetExportIssued: 'dataset',
  DatasetConsumedByTrainingRun: 'dataset',
  ModelRegistered: 'model',
  PolicyVersionPublished: 'policy',
  TaxonomyVersionPublished: 'policy',
};

/**
 * Current (highest) schema version of each event type; the TS data types have that version's
 * shape. Older versions are decoded via Avro resolution or an upcaster (see upcasters.ts).
 */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<EventType, number>> = {
  ObjectIngested: 3,
  ObjectRejected: 1,
  ObjectClassified: 2,
  ClassificationReviewRequested: 1,
  ClassificationReviewResolved: 1,
  ObjectDeidentified: 1,
  DerivedObjectCreated: 1,
  ObjectTierChanged: 1,
  LegalHoldPlaced: 1,
  LegalHoldReleased: 1,
  RetentionExpired: 1,
  ObjectDisposed: 1,
  ObjectAccessed: 2,
  ObjectAccessDenied: 1,
  SubjectConsentRecorded: 2,
  SubjectConsentRestricted: 1,
  SubjectConsentRevoked: 1,
  DatasetDefined: 1,
  DatasetVersionCreated: 1,
  DatasetVersionInvalidated: 1,
  DatasetExportIssued: 1,
  DatasetConsumedByTrainingRun: 1,
  ModelRegistered: 1,
  PolicyVersionPublished: 1,
  TaxonomyVersionPublished: 1,
};

/** Type guard for a persisted type string. */
export function isEventType(value: string): value is EventType {
  return (ALL_EVENT_TYPES as readonly string[]).includes(value);
}

/** Narrows an event to some of the types (e.g. one aggregate's, or those a projection handles). */
export function isOneOf<T extends EventType>(
  event: DomainEventUnion,
  types: readonly T[],
): event is Extract<DomainEventUnion, { readonly type: T }> {
  return (types as readonly EventType[]).includes(event.type);
}
