/** Why a payload could not be encoded or decoded; stable codes for dead-letter reasons and metrics. */
export type CodecErrorCode =
  | 'UNKNOWN_SUBJECT'
  | 'UNKNOWN_FINGERPRINT'
  | 'NOT_SINGLE_OBJECT'
  | 'CORRUPT_PAYLOAD'
  | 'SCHEMA_INCOMPATIBLE'
  | 'INVALID_VALUE'
  | 'SCHEMA_CATALOGUE_INVALID';

/**
 * Every codec failure is fatal for the message at hand (retrying the same bytes gives the same
 * answer), so `retriable` is always false: callers dead-letter, they don't retry.
 * Messages name schemas, fingerprints and field paths, never field values (which may be PHI).
 */
export class CodecError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CodecError';
  }
}
