/** A record as delivered: where it sits in its log, and its bytes. */
export interface TransportMessage {
  readonly topic: string;
  readonly partition: number;
  /** Offset as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface OutgoingMessage {
  /** Partitioning key: records with one key stay in order (one study's instances, say). */
  readonly key: string;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface MessageProducer {
  /** Resolves once the broker acknowledged every record (acks=all). */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** Called by a consumer between records of a long batch so the group does not evict it. */
export type Heartbeat = () => Promise<void>;

export interface ConsumeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Processes one record. The consumer commits its offset only after this resolves (and never
   * commits past a record that is still being retried). Records of one partition are handled in
   * order, one at a time.
   */
  handle(message: TransportMessage, heartbeat: Heartbeat): Promise<void>;
  /**
   * Partitions handled at the same time (records within a partition stay strictly sequential).
   * Ingest is mostly waiting on storage, so overlapping partitions raises throughput.
   * @defaultValue 1
   */
  readonly partitionsConcurrently?: number;
}

export interface MessageConsumer {
  /** Joins the group and starts delivering; resolves once running. */
  start(options: ConsumeOptions): Promise<void>;
  /** Stops fetching, lets the record in hand finish (or abandons its retries), commits, leaves the group. */
  stop(): Promise<void>;
  /** True while a stop is in progress: handlers retrying a record should give up. */
  readonly stopping: boolean;
}

/**
 * How MedLineage talks to its message broker. Kafka in production (kafkajs, the only file that
 * imports it), an in-process log in embedded mode. WARNING: delivery is at-least-once; handlers
 * must be idempotent (deterministic event ids do that).
 */
export interface MessageTransport {
  producer(): Promise<MessageProducer>;
  consumer(): MessageConsumer;
  /** Creates topics if missing (idempotent). */
  ensureTopics(topics: readonly { topic: string; partitions: number }[]): Promise<void>;
  close(): Promise<void>;
}

/** The retriable/fatal split every transport error carries. */
export class TransportUnavailableError extends Error {
  readonly retriable = true;
  readonly type = 'transport-unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportUnavailableError';
  }
}

export class MessageTooLargeError extends Error {
  readonly retriable = false;
  readonly type = 'message-too-large';
  constructor(message: string) {
    super(message);
    this.name = 'MessageTooLargeError';
  }
}
