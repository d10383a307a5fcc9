import { createHash } from 'node:crypto';
import type { EventCodec } from '@medlineage/event-codec';
import type { MessageProducer, TransportMessage } from './transport/message-transport';

/** `com.medlineage.messages.deadletter.DeadLetterReason`. */
export type DeadLetterReason =
  | 'SCHEMA_INCOMPATIBLE'
  | 'UNKNOWN_SCHEMA'
  | 'MALFORMED_PAYLOAD'
  | 'VALIDATION_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'OVERSIZE'
  | 'DOMAIN_REJECTED'
  | 'RETRIES_EXHAUSTED'
  | 'UNKNOWN';

export interface DeadLetterSink {
  /**
   * Keeps the ORIGINAL record (bytes and key untouched) on the dead-letter topic with the reason in
   * an Avro `DeadLetter` header record. Resolves only once the broker has it: a caller commits the
   * original offset after this, so a failed dead-letter write means no commit.
   */
  deadLetter(
    message: TransportMessage,
    reason: DeadLetterReason,
    detail: string,
    attempts: number,
    firstFailedAt: Date,
  ): Promise<void>;
}

export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/** Dead letters as `<topic>.dlq` records: value = original bytes, header `medlineage-dead-letter` = Avro reason. */
export class TopicDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly producer: MessageProducer,
    private readonly codec: EventCodec,
    private readonly consumerGroup: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async deadLetter(
    message: TransportMessage,
    reason: DeadLetterReason,
    detail: string,
    attempts: number,
    firstFailedAt: Date,
  ): Promise<void> {
    const payload = message.value ?? Buffer.alloc(0);
    const record = this.codec.encode('DeadLetter', {
      originalTopic: message.topic,
      originalPartition: message.partition,
      originalOffset: message.offset,
      consumerGroup: this.consumerGroup,
      reasonCode: reason,
      detail,
      payloadSha256: createHash('sha256').update(payload).digest('hex'),
      payloadSizeBytes: payload.length,
      attempts,
      firstFailedAt,
      failedAt: this.clock(),
    });
    await this.producer.send(deadLetterTopic(message.topic), [
      {
        key: message.key?.toString('utf8') ?? `${message.partition}:${message.offset}`,
        value: payload,
        headers: { 'medlineage-dead-letter': record.toString('base64') },
      },
    ]);
  }
}
