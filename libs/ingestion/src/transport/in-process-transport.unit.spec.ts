import { waitFor } from '@medlineage/testing';
import { InProcessTransport } from './in-process-transport';
import { testTransportContract } from './testing/transport.contract';

testTransportContract('in-process', () => Promise.resolve(new InProcessTransport()));

describe('InProcessTransport lanes', () => {
  it('delivers everything with more lanes asked for than there are partitions', async () => {
    const transport = new InProcessTransport(2);
    const producer = await transport.producer();
    await producer.send(
      'lanes',
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 3}`, value: Buffer.from([i]), headers: {} })),
    );
    const seen: number[] = [];
    const consumer = transport.consumer();
    await consumer.start({
      groupId: 'g',
      topics: ['lanes'],
      partitionsConcurrently: 8,
      handle: (message) => {
        seen.push(message.value?.[0] ?? -1);
        return Promise.resolve();
      },
    });
    await waitFor(() => transport.lag('g', 'lanes') === 0, { intervalMs: 5, description: 'no lag' });
    await consumer.stop();
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('starts and stops with nothing assigned', async () => {
    const transport = new InProcessTransport();
    const consumer = transport.consumer();
    await consumer.start({ groupId: 'g', topics: [], handle: () => Promise.resolve() });
    await consumer.stop();
  });
});
