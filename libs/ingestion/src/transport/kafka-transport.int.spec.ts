import pino from 'pino';
import { describeWithKafka } from '@medlineage/testing';
import { KafkaTransport } from './kafka-transport';
import { testTransportContract } from './testing/transport.contract';

describeWithKafka('Kafka transport', (kafka) => {
  testTransportContract('Kafka (real broker)', () =>
    Promise.resolve(
      new KafkaTransport({
        brokers: kafka().brokers,
        clientId: 'transport-contract',
        logger: pino({ level: 'silent' }),
        sessionTimeoutMs: 6_000,
      }),
    ),
  );
});
