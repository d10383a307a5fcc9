import type { Logger } from 'pino';
import type { DeadLetterSink } from './dead-letters';
import { INGEST_TOPIC } from './ingest-request';
import type { IngestOutcome, IngestService } from './ingest-service';
import { reliableHandler } from './reliable-handler';
import type { MessageConsumer, MessageTransport } from './transport/message-transport';

export const INGEST_GROUP = 'medlineage.ingest.v1';

export interface IngestWorkerOptions {
  readonly transport: MessageTransport;
  readonly service: IngestService;
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  readonly groupId?: string;
  readonly topic?: string;
  /** Partitions handled concurrently. @defaultValue 4 */
  readonly partitionsConcurrently?: number;
  /** Called after each record is handled (before its offset is committed). */
  readonly onOutcome?: (outcome: IngestOutcome) => void;
}

/** Starts the ingest consumer group; stop it with the returned consumer's `stop()`. */
export async function startIngestWorker(options: IngestWorkerOptions): Promise<MessageConsumer> {
  const consumer = options.transport.consumer();
  const handle = reliableHandler(
    async (message) => {
      const outcome = await options.service.handle(message);
      options.onOutcome?.(outcome);
    },
    { deadLetters: options.deadLetters, logger: options.logger, isStopping: () => consumer.stopping },
  );
  await consumer.start({
    groupId: options.groupId ?? INGEST_GROUP,
    topics: [options.topic ?? INGEST_TOPIC],
    handle,
    partitionsConcurrently: options.partitionsConcurrently ?? 4,
  });
  return consumer;
}
