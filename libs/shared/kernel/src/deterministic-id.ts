import { v5 as uuidv5 } from 'uuid';

/** Namespace for all MedLineage name-based ids (a fixed random UUID; never change it). */
export const MEDLINEAGE_ID_NAMESPACE = '6f1c2f0e-5b7a-4c1e-9a55-3d8f0b2c7e41';

/**
 * A UUIDv5 derived from its parts, so the same cause always yields the same event id and a
 * retry or redelivery can be recognised as a duplicate. Parts are joined with a separator that
 * cannot occur inside them unescaped.
 */
export function deterministicId(...parts: readonly (string | number | bigint)[]): string {
  const name = parts.map((p) => String(p).replaceAll('\\', '\\\\').replaceAll('|', '\\|')).join('|');
  return uuidv5(name, MEDLINEAGE_ID_NAMESPACE);
}
