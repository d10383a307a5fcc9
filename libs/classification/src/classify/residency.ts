import type { ResidencyRegion } from '@medlineage/domain';

/** Site → legal jurisdiction of its data, maintained by the operator (an input, not taxonomy data). */
export type SiteResidencyMap = Readonly<Record<string, ResidencyRegion>>;

/** The residency of a site's data; UNKNOWN for a site the map does not list. */
export const residencyForSite = (site: string, map: SiteResidencyMap): ResidencyRegion =>
  Object.hasOwn(map, site) ? (map[site] ?? 'UNKNOWN') : 'UNKNOWN';
