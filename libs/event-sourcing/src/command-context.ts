import type { Actor, Producer, PurposeOfUse, SourceOffset } from '@medlineage/kernel';

/**
 * Who, why and what caused a command: everything the envelope of the resulting events needs.
 * `causeId` identifies the cause exactly once (a Kafka record as `topic:partition:offset`, an
 * API request id): event ids are derived from it, so a redelivered cause yields the same ids and
 * is recognised as already handled.
 */
export interface CommandContext {
  readonly causeId: string;
  readonly actor: Actor;
  readonly purposeOfUse: PurposeOfUse | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly occurredAt: Date;
  readonly producer: Producer;
  readonly source: SourceOffset | null;
}
