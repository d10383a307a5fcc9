import { assertNever, type PurposeOfUse } from '@medlineage/kernel';
import type { ContentRepresentation } from '../common/vocabularies';
import type { AccessDenialReason } from './data-object.events';
import type { DataObjectState } from './data-object.state';

/** Purposes that may read content not yet classified: care cannot wait, and the classifier must read. */
export const PURPOSES_ALLOWED_BEFORE_CLASSIFICATION: readonly PurposeOfUse[] = [
  'TREAT',
  'ETREAT',
  'SYSADMIN',
];

/** Purposes that must be served a de-identified derivative when the original bears PHI. */
export const PURPOSES_REQUIRING_DEIDENTIFIED_CONTENT: readonly PurposeOfUse[] = ['HRESCH'];

/**
 * Why an access to an existing or once-known object must be refused, or null if it may proceed.
 * The object must not be 'absent' (unknown objects are not audited as denials: no existence oracle).
 */
export function accessDenialReason(
  state: Exclude<DataObjectState, { readonly status: 'absent' }>,
  representation: ContentRepresentation,
  purpose: PurposeOfUse,
): AccessDenialReason | null {
  switch (state.status) {
    case 'rejected':
      return 'OBJECT_REJECTED';
    case 'disposed':
      return 'OBJECT_DISPOSED';
    case 'quarantined':
      return representation === 'METADATA_ONLY' ? null : 'OBJECT_QUARANTINED';
    case 'stored':
    case 'under-review':
      return representation === 'METADATA_ONLY' || PURPOSES_ALLOWED_BEFORE_CLASSIFICATION.includes(purpose)
        ? null
        : 'NOT_YET_CLASSIFIED';
    case 'classified':
      return representation === 'ORIGINAL' &&
        state.classification.phiBearing &&
        PURPOSES_REQUIRING_DEIDENTIFIED_CONTENT.includes(purpose)
        ? 'DEIDENTIFIED_CONTENT_REQUIRED'
        : null;
    default:
      return assertNever(state, 'data object state');
  }
}
