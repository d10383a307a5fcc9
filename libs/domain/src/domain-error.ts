/**
 * Every reason a decider refuses a command, as a stable machine-readable code
 * (`<aggregate>.<rule>`). Codes are part of the API: callers map them to HTTP statuses and DLQ
 * details, so never rename one; add a new code instead.
 */
export const DOMAIN_ERROR_CODES = [
  // data object
  'object.not-found',
  'object.not-ingested',
  'object.rejected',
  'object.already-ingested',
  'object.content-conflict',
  'object.rejection-conflict',
  'object.disposed',
  'object.quarantined',
  'object.not-classified',
  'object.review-pending',
  'object.no-review-pending',
  'object.review-unknown',
  'object.review-classification-missing',
  'object.classification-stale',
  'object.taxonomy-mismatch',
  'object.deidentification-profile-invalid',
  'object.derivation-invalid',
  'object.derivation-source-unavailable',
  'object.unknown-derivative',
  'object.hold-not-active',
  'object.retention-not-expired',
  'object.legal-hold-active',
  'object.disposal-unverified',
  'object.disposal-needs-second-approver',
  // subject consent
  'consent.not-recorded',
  'consent.subject-mismatch',
  'consent.already-active',
  'consent.terms-conflict',
  'consent.id-reused',
  'consent.unknown-consent',
  'consent.revoked',
  'consent.no-permitted-uses',
  'consent.invalid-period',
  'consent.restriction-would-empty',
  // dataset
  'dataset.not-defined',
  'dataset.already-defined',
  'dataset.definition-invalid',
  'dataset.version-not-monotonic',
  'dataset.version-conflict',
  'dataset.version-unknown',
  'dataset.version-already-invalidated',
  'dataset.version-invalidated',
  'dataset.manifest-invalid',
  'dataset.policy-not-published',
  'dataset.policy-not-effective',
  'dataset.taxonomy-not-published',
  'dataset.consent-check-invalid',
  'dataset.deidentification-required',
  'dataset.residency-violation',
  'dataset.purpose-mismatch',
  'dataset.export-invalid',
  // model
  'model.already-registered',
  'model.registration-invalid',
  // policy and taxonomy
  'policy.version-not-increasing',
  'policy.version-conflict',
  'policy.effective-date-regression',
  'policy.definition-invalid',
  'taxonomy.version-not-increasing',
  'taxonomy.version-conflict',
  'taxonomy.definition-invalid',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * A command refused by a business rule. Thrown only from `decide`; never retriable (the same
 * command against the same state is refused again), so message consumers dead-letter it with
 * `code` as the reason detail. Messages carry ids and codes only, never PHI.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly retriable = false;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Type guard for callers that catch `unknown`. */
export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
