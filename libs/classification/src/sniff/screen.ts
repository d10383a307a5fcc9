import type { RejectionReason } from '@medlineage/domain';
import type { SniffResult } from './signal';

/** Rules whose signal means the bytes are broken in a way no reader accepts. */
export const MALFORMED_RULE_IDS: readonly string[] = [
  'content.empty',
  'gzip.header-invalid',
  'gzip.truncated',
  'gzip.corrupt',
  'bgzf.truncated',
  'bgzf.corrupt',
  'bgzf.block-invalid',
  'bgzf.size-mismatch',
];

export type ContentScreen =
  | { readonly admit: true }
  | {
      readonly admit: false;
      readonly reasonCode: Extract<RejectionReason, 'EXECUTABLE_CONTENT' | 'MALFORMED_CONTENT'>;
      /** Fixed vocabulary (rule ids, sniff hints): safe for `ObjectRejected.detail`. */
      readonly detail: string;
    };

/**
 * What the gateway does with sniffed content before classifying it: executables and content
 * proven broken are rejected; everything else (including conflicting content, which goes to
 * review) is admitted. Only the top layer's `content.empty` counts: an empty gzip is a file.
 */
export function screenContent(result: SniffResult): ContentScreen {
  if (result.executable) {
    return {
      admit: false,
      reasonCode: 'EXECUTABLE_CONTENT',
      detail: `executable content: ${result.contentSniff}`,
    };
  }
  const broken = result.signals.find((s) => MALFORMED_RULE_IDS.includes(s.ruleId));
  if (broken !== undefined) {
    return { admit: false, reasonCode: 'MALFORMED_CONTENT', detail: `malformed content: ${broken.ruleId}` };
  }
  return { admit: true };
}
