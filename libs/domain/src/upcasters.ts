import type { ResidencyRegion } from './common/vocabularies';
import type { EventType } from './event-catalogue';

/**
 * Turns the decoded data of version `fromVersion` into the shape of `fromVersion + 1`, for steps
 * Avro schema resolution cannot express. Pure: same input, same output, no I/O.
 */
export interface EventUpcaster {
  readonly eventType: EventType;
  readonly fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/** ISO 3166-1 alpha-2 codes of EU member states, as v1 classifiers wrote them (any case). */
const EU_COUNTRIES = new Set(
  'at be bg hr cy cz dk ee fi fr de gr hu ie it lv lt lu mt nl pl pt ro sk si es se'.split(' '),
);

/** Cloud regions whose jurisdiction differs from their prefix. */
const REGION_EXCEPTIONS: Readonly<Record<string, ResidencyRegion>> = {
  'eu-west-2': 'UK', // AWS London
  'europe-west2': 'UK', // GCP London
  uksouth: 'UK', // Azure
  ukwest: 'UK',
  'eu-central-2': 'CH', // AWS Zurich
  'europe-west6': 'CH', // GCP Zurich
  switzerlandnorth: 'CH',
  'ap-southeast-2': 'AU', // AWS Sydney
  'ap-southeast-4': 'AU', // AWS Melbourne
  'australia-southeast1': 'AU',
  australiaeast: 'AU',
  'ca-central-1': 'CA',
  'ca-west-1': 'CA',
  'northamerica-northeast1': 'CA',
  canadacentral: 'CA',
};

/**
 * Maps the free-text residency of ObjectClassified v1 (a cloud region such as 'eu-west-1' or a
 * country code such as 'DE') to a jurisdiction. Anything unrecognised becomes UNKNOWN, which blocks
 * exports until the object is reclassified: guessing a jurisdiction would be worse than refusing.
 */
export function residencyFromLegacyText(text: string): ResidencyRegion {
  const value = text.trim().toLowerCase();
  const exception = REGION_EXCEPTIONS[value];
  if (exception !== undefined) return exception;
  if (
    value === 'eu' ||
    EU_COUNTRIES.has(value) ||
    /^eu-[a-z]+-\d$/.test(value) || // AWS
    /^europe-[a-z]+\d$/.test(value) || // GCP
    /^(west|north)europe$/.test(value) // Azure
  ) {
    return 'EU';
  }
  if (value === 'uk' || value === 'gb') return 'UK';
  if (value === 'us' || /^us-(gov-)?[a-z]+-\d$/.test(value) || /^us-[a-z]+\d$/.test(value)) return 'US';
  if (value === 'ca') return 'CA';
  if (value === 'ch') return 'CH';
  if (value === 'au') return 'AU';
  return 'UNKNOWN';
}

/** ObjectClassified v1 → v2: `residency` string → ResidencyRegion enum (not Avro-resolvable). */
const objectClassifiedV1ToV2: EventUpcaster = {
  eventType: 'ObjectClassified',
  fromVersion: 1,
  upcast(data) {
    const residency = data['residency'];
    if (typeof residency !== 'string') {
      throw new TypeError(`ObjectClassified v1 residency must be a string, got ${typeof residency}`);
    }
    return { ...data, residency: residencyFromLegacyText(residency) };
  },
};

/**
 * Upcasters for the steps Avro resolution cannot do, keyed by (eventType, fromVersion). Other
 * steps (ObjectIngested v1→v2→v3, ObjectAccessed v1→v2, SubjectConsentRecorded v1→v2) resolve
 * with `current.createResolver(writer)`: added nullable fields default to null, renamed fields
 * carry `aliases`.
 */
export const EVENT_UPCASTERS: readonly EventUpcaster[] = [objectClassifiedV1ToV2];

/** The upcaster for one step, or undefined when Avro resolution handles it. */
export function findUpcaster(eventType: string, fromVersion: number): EventUpcaster | undefined {
  return EVENT_UPCASTERS.find((u) => u.eventType === eventType && u.fromVersion === fromVersion);
}
