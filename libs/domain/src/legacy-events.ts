import type {
  ObjectAccessedData,
  ObjectClassifiedData,
  ObjectIngestedData,
} from './data-object/data-object.events';
import type { SubjectConsentRecordedData } from './subject-consent/subject-consent.events';

/*
 * Data shapes of superseded schema versions, for upcasters and tests. Never produced by deciders.
 */

/** ObjectIngested v2: `contentSha256` was called `sha256`. */
export type ObjectIngestedV2Data = Omit<ObjectIngestedData, 'contentSha256'> & { readonly sha256: string };

/** ObjectIngested v1: as v2 without `contentSniff`. */
export type ObjectIngestedV1Data = Omit<ObjectIngestedV2Data, 'contentSniff'>;

/** ObjectClassified v1: `residency` was free text (a cloud region or a country code). */
export type ObjectClassifiedV1Data = Omit<ObjectClassifiedData, 'residency'> & { readonly residency: string };

/** ObjectAccessed v1: no `channel`. */
export type ObjectAccessedV1Data = Omit<ObjectAccessedData, 'channel'>;

/** SubjectConsentRecorded v1: `permittedUses` was called `scopes`. */
export type SubjectConsentRecordedV1Data = Omit<SubjectConsentRecordedData, 'permittedUses'> & {
  readonly scopes: SubjectConsentRecordedData['permittedUses'];
};
