import type { Logger } from 'pino';
import type { ResidencyRegion } from '@medlineage/domain';
import { EventSourcedRepository, productCodec } from '@medlineage/event-sourcing';
import type { EventStore } from '@medlineage/event-store';
import type { SubjectKeyRing } from '@medlineage/key-vault';
import type { ObjectStore } from '@medlineage/object-store';
import { TopicDeadLetterSink, deadLetterTopic } from '../dead-letters';
import { Gateway, type GatewayConfig } from '../gateway/gateway';
import { INGEST_TOPIC } from '../ingest-request';
import { IngestService, type IngestConfig, type IngestOutcome } from '../ingest-service';
import { startIngestWorker, INGEST_GROUP } from '../ingest-worker';
import type { MessageConsumer, MessageProducer, MessageTransport } from '../transport/message-transport';
import type { PipelineSecrets } from './secrets';

export const PRODUCER = { name: '@medlineage/ingestion', version: '0.1.0' } as const;
export const INGEST_PARTITIONS = 6;

export interface PipelineParts {
  readonly transport: MessageTransport;
  readonly objects: ObjectStore;
  readonly events: EventStore;
  readonly keys: SubjectKeyRing;
  readonly secrets: PipelineSecrets;
  readonly logger: Logger;
  readonly sites: Readonly<Record<string, { readonly residency: ResidencyRegion }>>;
  /** Ingest topic (tests use their own). @defaultValue INGEST_TOPIC */
  readonly topic?: string;
  /** Consumer group of the ingest workers. @defaultValue INGEST_GROUP */
  readonly groupId?: string;
  /** Limits for ingest. @defaultValue 512 MiB parse, 64 GiB object */
  readonly limits?: Partial<Pick<IngestConfig, 'maxParseBytes' | 'maxObjectBytes'>>;
}

/**
 * Gateway → transport → ingest → event store, assembled from whichever adapters a deployment uses
 * (embedded: in-process transport, filesystem objects, SQLite events; real: Kafka, MinIO,
 * EventStoreDB or SQLite). Nothing here knows which.
 */
export class IngestPipeline {
  readonly codec = productCodec();
  readonly repository: EventSourcedRepository;
  private producer: MessageProducer | undefined;
  private worker: MessageConsumer | undefined;

  constructor(readonly parts: PipelineParts) {
    this.repository = new EventSourcedRepository(parts.events, this.codec);
  }

  get topic(): string {
    return this.parts.topic ?? INGEST_TOPIC;
  }

  get groupId(): string {
    return this.parts.groupId ?? INGEST_GROUP;
  }

  async ensureTopics(): Promise<void> {
    await this.parts.transport.ensureTopics([
      { topic: this.topic, partitions: INGEST_PARTITIONS },
      { topic: deadLetterTopic(this.topic), partitions: 1 },
    ]);
  }

  async gateway(config: Omit<GatewayConfig, 'secret' | 'producer'>): Promise<Gateway> {
    return new Gateway(
      {
        objects: this.parts.objects,
        producer: await this.sharedProducer(),
        codec: this.codec,
        logger: this.parts.logger,
      },
      { topic: this.topic, ...config, secret: this.parts.secrets.gatewaySecret, producer: PRODUCER },
    );
  }

  async startIngest(onOutcome?: (outcome: IngestOutcome) => void): Promise<MessageConsumer> {
    const deadLetters = new TopicDeadLetterSink(await this.sharedProducer(), this.codec, this.groupId);
    const service = new IngestService(
      {
        objects: this.parts.objects,
        repository: this.repository,
        codec: this.codec,
        keys: this.parts.keys,
        deadLetters,
        logger: this.parts.logger,
      },
      {
        sites: this.parts.sites,
        pseudonymKey: this.parts.secrets.pseudonymKey,
        maxParseBytes: this.parts.limits?.maxParseBytes ?? 512 * 2 ** 20,
        maxObjectBytes: this.parts.limits?.maxObjectBytes ?? 64 * 2 ** 30,
        producer: PRODUCER,
      },
    );
    this.worker = await startIngestWorker({
      transport: this.parts.transport,
      service,
      deadLetters,
      logger: this.parts.logger,
      topic: this.topic,
      groupId: this.groupId,
      ...(onOutcome ? { onOutcome } : {}),
    });
    return this.worker;
  }

  async close(): Promise<void> {
    await this.worker?.stop();
    await this.producer?.close();
    await this.parts.transport.close();
    await this.parts.objects.close();
    await this.parts.keys.close();
    await this.parts.events.close();
  }

  private async sharedProducer(): Promise<MessageProducer> {
    this.producer ??= await this.parts.transport.producer();
    return this.producer;
  }
}
