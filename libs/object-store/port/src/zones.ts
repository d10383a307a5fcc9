import { STORAGE_ZONES, type StorageZone } from '@medlineage/domain';
import { InvalidObjectStoreRequestError } from './object-store-errors';

/**
 * Lower-case zone names, used for bucket suffixes and directory names. A fixed table rather than
 * `zone.toLowerCase()`: a zone string that is not one of ours then has no name at all.
 */
const ZONE_NAMES: Readonly<Record<StorageZone, string>> = {
  QUARANTINE: 'quarantine',
  HOT: 'hot',
  WARM: 'warm',
  COLD: 'cold',
  DEIDENTIFIED: 'deidentified',
  EXPORTS: 'exports',
};

/**
 * Returns `zone` if it is a storage zone, else throws. The type already says so; this is for
 * values that arrived from JSON, a CLI or JavaScript, since zones become paths and bucket names.
 */
export function validateZone(zone: unknown): StorageZone {
  const known: readonly unknown[] = STORAGE_ZONES;
  if (typeof zone !== 'string' || !known.includes(zone)) {
    throw new InvalidObjectStoreRequestError(`unknown storage zone (one of ${STORAGE_ZONES.join(', ')})`);
  }
  return zone as StorageZone;
}

/** The zone's lower-case name (`quarantine`, `hot`…), validated first. */
export function zoneName(zone: StorageZone): string {
  return ZONE_NAMES[validateZone(zone)];
}
