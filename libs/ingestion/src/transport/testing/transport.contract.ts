import { randomUUID } from 'node:crypto';
import type { MessageTransport, TransportMessage } from '../message-transport';

/**
 * Semantics both transports (Kafka, in-process) must share: keyed order, commit only after
 * handling, redelivery of what was not committed, independent consumer groups.
 */
export function testTransportContract(name: string, factory: () => Promise<MessageTransport>): void {
  describe(`MessageTransport contract: ${name}`, () => {
    let transport: MessageTransport;
    beforeAll(async () => {
      transport = await factory();
    });
    afterAll(async () => {
      await transport.close();
    });

    const fresh = async () => {
      const topic = `contract.${randomUUID().slice(0, 8)}`;
      await transport.ensureTopics([{ topic, partitions: 3 }]);
      return topic;
    };

    it('delivers every record once to a group, in order per key', async () => {
      const topic = await fresh();
      const producer = await transport.producer();
      const sent = Array.from({ length: 30 }, (_, i) => ({
        key: `study-${i % 4}`,
        value: Buffer.from(String(i)),
      }));
      await producer.send(topic, sent);
      const got: TransportMessage[] = [];
      const consumer = transport.consumer();
      const done = new Promise<void>((resolve) => {
        void consumer.start({
          groupId: `g-${randomUUID()}`,
          topics: [topic],
          handle: (m) => {
            got.push(m);
            if (got.length === sent.length) resolve();
            return Promise.resolve();
          },
        });
      });
      await done;
      await consumer.stop();
      await producer.close();
      expect(got.map((m) => Number(m.value?.toString())).sort((a, b) => a - b)).toEqual(
        sent.map((_, i) => i),
      );
      for (let k = 0; k < 4; k++) {
        const ofKey = got
          .filter((m) => m.key?.toString() === `study-${k}`)
          .map((m) => Number(m.value?.toString()));
        expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
      }
    });

    it('redelivers a record whose handling did not finish to the next consumer of the group', async () => {
      const topic = await fresh();
      const groupId = `g-${randomUUID()}`;
      const producer = await transport.producer();
      await producer.send(
        topic,
        Array.from({ length: 5 }, (_, i) => ({ key: 'one-key', value: Buffer.from(String(i)) })),
      );

      // First consumer: handles 0 and 1, then is stopped while handling 2 (which it abandons).
      const first = transport.consumer();
      const handledByFirst: number[] = [];
      let reachedTwo: () => void = () => undefined;
      const atTwo = new Promise<void>((resolve) => (reachedTwo = resolve));
      await first.start({
        groupId,
        topics: [topic],
        handle: async (m) => {
          const n = Number(m.value?.toString());
          if (n === 2) {
            reachedTwo();
            await new Promise<void>((resolve) => {
              const check = () => (first.stopping ? resolve() : setImmediate(check));
              check();
            });
            throw new Error('abandoned: stopping');
          }
          handledByFirst.push(n);
        },
      });
      await atTwo;
      await first.stop();

      // Second consumer of the same group resumes exactly at the abandoned record.
      const second = transport.consumer();
      const handledBySecond: number[] = [];
      const all = new Promise<void>((resolve) => {
        void second.start({
          groupId,
          topics: [topic],
          handle: (m) => {
            handledBySecond.push(Number(m.value?.toString()));
            if (handledBySecond.includes(4)) resolve();
            return Promise.resolve();
          },
        });
      });
      await all;
      await second.stop();
      await producer.close();
      expect(handledByFirst).toEqual([0, 1]);
      expect(handledBySecond).toEqual([2, 3, 4]);
    });
  });
}
