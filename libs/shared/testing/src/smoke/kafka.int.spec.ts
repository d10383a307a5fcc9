import { Kafka, logLevel, Partitioners, type Admin, type Consumer, type Producer } from 'kafkajs';

import { describeWithKafka, uniqueName, waitFor } from '../index';

// Explicit: jest-circus applies only the global testTimeout (5 s default), not a project's.
const TIMEOUT_MS = 60_000;

describeWithKafka('Kafka smoke: produce and consume through a consumer group', (kafka) => {
  let client: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const topic = uniqueName('smoke');

  beforeAll(async () => {
    client = new Kafka({
      clientId: uniqueName('smoke-client'),
      brokers: [...kafka().brokers],
      logLevel: logLevel.WARN,
    });
    admin = client.admin();
    await admin.connect();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin?.disconnect();
  }, TIMEOUT_MS);

  it(
    'reads back the key, value and headers it wrote',
    async () => {
      if (!admin) throw new Error('admin not connected');
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);

      // The explicit partitioner also silences kafkajs' "default partitioner changed" notice.
      producer = client.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const payload = JSON.stringify({ kind: 'SmokeTest', at: new Date().toISOString() });
      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'study-1', value: payload, headers: { 'content-type': 'application/json' } }],
      });

      // A short fetch wait lets disconnect() return promptly instead of finishing a 5 s long poll.
      consumer = client.consumer({ groupId: uniqueName('smoke-group'), maxWaitTimeInMs: 250 });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received: {
        key: string | undefined;
        value: string | undefined;
        contentType: string | undefined;
      }[] = [];
      await consumer.run({
        eachMessage: ({ message }) => {
          received.push({
            key: message.key?.toString('utf8'),
            value: message.value?.toString('utf8'),
            contentType: message.headers?.['content-type']?.toString(),
          });
          return Promise.resolve();
        },
      });

      // Joining the group and fetching takes a moment; wait for the message, not for a fixed time.
      await waitFor(() => received.length > 0, {
        timeoutMs: 60_000,
        description: 'the consumer group to get the message',
      });
      expect(received).toEqual([{ key: 'study-1', value: payload, contentType: 'application/json' }]);
    },
    TIMEOUT_MS,
  );
});
