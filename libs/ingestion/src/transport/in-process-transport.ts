import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type {
  ConsumeOptions,
  MessageConsumer,
  MessageProducer,
  MessageTransport,
  OutgoingMessage,
  TransportMessage,
} from './message-transport';

interface Topic {
  readonly partitions: TransportMessage[][];
}

/**
 * Embedded mode's broker: an in-memory, partitioned, append-only log per topic with committed
 * offsets per consumer group, the same keying (one key → one partition → in order) and the same
 * commit-after-handling contract as Kafka. Not durable: it lives as long as the process, which
 * is what the demo and single-process runs need.
 */
export class InProcessTransport implements MessageTransport {
  private readonly topics = new Map<string, Topic>();
  private readonly committed = new Map<string, number>();
  private readonly appended = new EventEmitter().setMaxListeners(0);

  constructor(private readonly defaultPartitions = 3) {}

  producer(): Promise<MessageProducer> {
    return Promise.resolve({
      send: (topic: string, messages: readonly OutgoingMessage[]) => {
        const t = this.topic(topic);
        for (const m of messages) {
          const partition = partitionOf(m.key, t.partitions.length);
          const log = t.partitions[partition] ?? [];
          log.push({
            topic,
            partition,
            offset: String(log.length),
            key: Buffer.from(m.key),
            value: m.value,
            headers: { ...m.headers },
          });
        }
        this.appended.emit('append');
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    });
  }

  consumer(): MessageConsumer {
    return new InProcessConsumer(this);
  }

  ensureTopics(topics: readonly { topic: string; partitions: number }[]): Promise<void> {
    for (const t of topics) this.topic(t.topic, t.partitions);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.appended.emit('close');
    return Promise.resolve();
  }

  /** Records not yet committed by a group, across all partitions of a topic. */
  lag(groupId: string, topic: string): number {
    const t = this.topics.get(topic);
    if (!t) return 0;
    return t.partitions.reduce((n, log, p) => n + log.length - this.committedOffset(groupId, topic, p), 0);
  }

  /** @internal */
  topic(name: string, partitions = this.defaultPartitions): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { partitions: Array.from({ length: partitions }, () => []) };
      this.topics.set(name, t);
    }
    return t;
  }

  /** @internal */
  committedOffset(groupId: string, topic: string, partition: number): number {
    return this.committed.get(`${groupId}|${topic}|${partition}`) ?? 0;
  }

  /** @internal */
  commit(groupId: string, topic: string, partition: number, next: number): void {
    this.committed.set(`${groupId}|${topic}|${partition}`, next);
  }

  /** @internal */
  waitForAppend(signal: { stopped: boolean }): Promise<void> {
    return new Promise((resolve) => {
      if (signal.stopped) return resolve();
      const done = () => {
        this.appended.off('append', done);
        this.appended.off('close', done);
        resolve();
      };
      this.appended.on('append', done);
      this.appended.on('close', done);
    });
  }

  /** @internal wakes idle consumers (used by stop). */
  wake(): void {
    this.appended.emit('append');
  }
}

class InProcessConsumer implements MessageConsumer {
  private readonly signal = { stopped: false };
  private loop: Promise<void> | undefined;

  constructor(private readonly transport: InProcessTransport) {}

  get stopping(): boolean {
    return this.signal.stopped;
  }

  start(options: ConsumeOptions): Promise<void> {
    this.loop = this.run(options);
    return Promise.resolve();
  }

  private async run(options: ConsumeOptions): Promise<void> {
    const assignments = options.topics.flatMap((topic) =>
      this.transport.topic(topic).partitions.map((_, partition) => ({ topic, partition })),
    );
    // No more lanes than partitions: a lane without one would only wait. No partitions, no lanes
    // (and nothing to consume: partitions are fixed when a topic is created).
    const lanes = Math.min(Math.max(1, options.partitionsConcurrently ?? 1), assignments.length);
    // Lane i drains partitions i, i + lanes, …: each partition has exactly one lane, so its records
    // stay in order, while lanes overlap each other's waits on storage.
    await Promise.all(
      Array.from({ length: lanes }, (_, lane) =>
        this.lane(
          options,
          assignments.filter((_, i) => i % lanes === lane),
        ),
      ),
    );
  }

  private async lane(
    options: ConsumeOptions,
    assignments: readonly { topic: string; partition: number }[],
  ): Promise<void> {
    const heartbeat = () => Promise.resolve();
    while (!this.signal.stopped) {
      let delivered = 0;
      for (const { topic, partition } of assignments) {
        const log = this.transport.topic(topic).partitions[partition] ?? [];
        let next = this.transport.committedOffset(options.groupId, topic, partition);
        while (next < log.length && !this.signal.stopped) {
          const message = log[next];
          if (!message) break;
          try {
            await options.handle(message, heartbeat);
          } catch (error) {
            // Abandoned because we are stopping: left uncommitted for the next consumer.
            if (this.signal.stopped) return;
            throw error;
          }
          next += 1;
          this.transport.commit(options.groupId, topic, partition, next);
          delivered += 1;
        }
      }
      if (delivered === 0) await this.transport.waitForAppend(this.signal);
    }
  }

  async stop(): Promise<void> {
    this.signal.stopped = true;
    this.transport.wake();
    await this.loop;
  }
}

/** Stable key → partition, like Kafka's default partitioner (hash of the key modulo partitions). */
function partitionOf(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}
