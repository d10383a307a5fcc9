import { streamName } from '../stream-name';

export const SUBJECT_CONSENT_STREAM_CATEGORY = 'consent';

/** `consent-<subjectId>`: one stream per pseudonymous subject, holding all of its consents. */
export const subjectConsentStreamName = (subjectId: string): string =>
  streamName(SUBJECT_CONSENT_STREAM_CATEGORY, subjectId);
