import { streamName } from '../stream-name';

export const POLICY_STREAM_CATEGORY = 'policy';
export const TAXONOMY_STREAM_CATEGORY = 'taxonomy';

/** `policy-<policyId>`. */
export const policyStreamName = (policyId: string): string => streamName(POLICY_STREAM_CATEGORY, policyId);

/** `taxonomy-<taxonomyId>`. */
export const taxonomyStreamName = (taxonomyId: string): string =>
  streamName(TAXONOMY_STREAM_CATEGORY, taxonomyId);
