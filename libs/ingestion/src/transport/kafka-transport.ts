import {
  Kafka,
  KafkaJSError,
  Partitioners,
  logLevel,
  type Consumer,
  type EachBatchPayload,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import type { Logger } from 'pino';
import {
  MessageTooLargeError,
  TransportUnavailableError,
  type ConsumeOptions,
  type MessageConsumer,
  type MessageProducer,
  type MessageTransport,
  type OutgoingMessage,
} from './message-transport';

export interface KafkaTransportOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** Commit after this many handled records of a batch (and always at the end of one). @defaultValue 100 */
  readonly commitEvery?: number;
  /** @defaultValue 10000 */
  readonly sessionTimeoutMs?: number;
}

/**
 * kafkajs behind the transport port: idempotent producer (acks=all, one request in flight, so
 * retries can neither duplicate nor reorder), consumers with manual commits AFTER handling.
 * The only file that imports kafkajs, so a move to another client stays local.
 */
export class KafkaTransport implements MessageTransport {
  private readonly kafka: Kafka;
  private readonly closers = new Set<() => Promise<void>>();

  constructor(private readonly options: KafkaTransportOptions) {
    const log = options.logger.child({ component: 'kafkajs' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 200, retries: 8 },
      // kafkajs logs protocol events (never record payloads); route them to our logger.
      logCreator:
        () =>
        ({ level, log: entry }: LogEntry) => {
          const { message, ...rest } = entry;
          // Expected and harmless here: retries are bounded on purpose (a gateway must fail rather
          // than hang when the broker is gone), and a record duplicated by an app-level resend is
          // recognised downstream (deterministic ids). Don't cry wolf on every producer start.
          if (message.startsWith('Limiting retries for the idempotent producer')) return;
          if (level <= logLevel.ERROR) log.error(rest, message);
          else log.warn(rest, message);
        },
    });
  }

  async producer(): Promise<MessageProducer> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Explicit, so kafkajs does not warn about its v2 default change (murmur2, as Java clients).
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await guard('connecting the producer', () => producer.connect());
    const close = () => producer.disconnect();
    this.closers.add(close);
    return new KafkaProducer(producer, () => this.closers.delete(close));
  }

  consumer(): MessageConsumer {
    return new KafkaConsumer(this.kafka, this.options);
  }

  async ensureTopics(topics: readonly { topic: string; partitions: number }[]): Promise<void> {
    const admin = this.kafka.admin();
    await guard('connecting the admin client', () => admin.connect());
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: -1,
          })),
        });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.closers].map((c) => c()));
    this.closers.clear();
  }
}

class KafkaProducer implements MessageProducer {
  constructor(
    private readonly producer: Producer,
    private readonly onClose: () => void,
  ) {}

  async send(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    await guard(`producing to ${topic}`, () =>
      this.producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          ...(m.headers ? { headers: { ...m.headers } } : {}),
        })),
      }),
    );
  }

  async close(): Promise<void> {
    this.onClose();
    await this.producer.disconnect();
  }
}

class KafkaConsumer implements MessageConsumer {
  private consumer: Consumer | undefined;
  private stopRequested = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaTransportOptions,
  ) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  async start(options: ConsumeOptions): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: 1_000,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await guard('connecting the consumer', () => consumer.connect());
    await guard('subscribing', () =>
      consumer.subscribe({ topics: [...options.topics], fromBeginning: true }),
    );
    const commitEvery = this.options.commitEvery ?? 100;
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.eachBatch(payload, options, commitEvery),
    });
  }

  private async eachBatch(
    payload: EachBatchPayload,
    options: ConsumeOptions,
    commitEvery: number,
  ): Promise<void> {
    // kafkajs hands these as functions closed over the batch; call them through the payload.
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    let uncommitted: string | undefined;
    let count = 0;
    const commit = async () => {
      if (uncommitted === undefined) return;
      // Kafka commits the NEXT offset to read.
      const next = (BigInt(uncommitted) + 1n).toString();
      // Through the batch payload, not consumer.commitOffsets: the latter silently does nothing once
      // a stop has begun, which would lose the commit of records handled before the stop.
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
      });
      uncommitted = undefined;
      count = 0;
    };
    for (const m of batch.messages) {
      // A rebalance or stop: leave the rest for whoever owns the partition next.
      if (!payload.isRunning() || payload.isStale() || this.stopRequested) break;
      try {
        await options.handle(
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ?? null,
            value: m.value ?? null,
            headers: stringHeaders(m.headers),
          },
          heartbeat,
        );
      } catch (error) {
        // Abandoned because we are stopping: not resolved, not committed, redelivered later.
        if (this.stopRequested) break;
        throw error;
      }
      payload.resolveOffset(m.offset);
      uncommitted = m.offset;
      if (++count >= commitEvery) await commit();
      await heartbeat();
    }
    await commit();
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    await this.consumer?.disconnect();
  }
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (Buffer.isBuffer(v)) out[k] = v.toString('utf8');
    else if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** kafkajs errors → transport errors: too large is fatal for the record, the rest is retriable. */
async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const type = error instanceof KafkaJSError ? (error as { type?: unknown }).type : undefined;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') {
      throw new MessageTooLargeError(`${what}: ${message}`);
    }
    throw new TransportUnavailableError(`${what}: ${message}`, { cause: error });
  }
}
