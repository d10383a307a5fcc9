import type { EventStore, RecordedEvent } from '../event-store';
import { EventStoreError } from '../event-store-errors';
import { formatPosition } from '../positions';
import { collect, makeEvents } from './contract-helpers';

/** Everything a reader sees of an event, comparable with toEqual. */
const seen = (e: RecordedEvent) => ({
  streamName: e.streamName,
  revision: e.revision,
  position: formatPosition(e.position),
  id: e.id,
  type: e.type,
  data: Buffer.from(e.data),
  metadata: Buffer.from(e.metadata),
  createdAt: e.createdAt.getTime(),
});

/** `readStreams`, part of the contract suite: each item must be what `readStream` reads. */
export function describeReadStreams(store: () => EventStore, stream: () => string): void {
  describe('readStreams', () => {
    const asReadStream = async (name: string) => (await collect(store().readStream(name))).map(seen);

    it('yields one item per name, in the order given, each stream whole as readStream reads it', async () => {
      const [a, b, c, missing] = [stream(), stream(), stream(), stream()];
      await store().appendToStream(a, makeEvents(3), { expectedRevision: 'no_stream' });
      await store().appendToStream(b, makeEvents(1), { expectedRevision: 'no_stream' });
      await store().appendToStream(a, makeEvents(2), { expectedRevision: 2n }); // a is split in the log
      await store().appendToStream(c, makeEvents(2), { expectedRevision: 'no_stream' });

      const names = [c, a, missing, b, a];
      const read = await collect(store().readStreams(names));

      expect(read.map((r) => r.streamName)).toEqual(names);
      for (const r of read) expect(r.events.map(seen)).toEqual(await asReadStream(r.streamName));
      expect(read[1]?.events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(read[2]?.events).toEqual([]);
    });

    it('hides what retention settings hide, and reads streams longer than a page whole', async () => {
      const [kept, long, small] = [stream(), stream(), stream()];
      await store().appendToStream(kept, makeEvents(6), { expectedRevision: 'no_stream' });
      await store().setStreamMetadata(kept, { maxCount: 2 });
      for (let i = 0; i < 3; i++) {
        await store().appendToStream(long, makeEvents(500), {
          expectedRevision: i === 0 ? 'no_stream' : BigInt(i * 500 - 1),
        });
      }
      await store().appendToStream(small, makeEvents(1), { expectedRevision: 'no_stream' });

      const read = await collect(store().readStreams([kept, long, small]));

      expect(read[0]?.events.map((e) => e.revision)).toEqual([4n, 5n]);
      expect(read[1]?.events).toHaveLength(1500);
      expect(read[1]?.events.every((e, i) => e.revision === BigInt(i))).toBe(true);
      for (const r of read) expect(r.events.map(seen)).toEqual(await asReadStream(r.streamName));
    });

    it('keeps the order across more streams than one request holds', async () => {
      const names = Array.from({ length: 150 }, () => stream());
      for (const [i, name] of names.entries()) {
        await store().appendToStream(name, makeEvents(1 + (i % 3)), { expectedRevision: 'no_stream' });
      }
      const shuffled = [...names].reverse();
      const read = await collect(store().readStreams(shuffled));
      expect(read.map((r) => r.streamName)).toEqual(shuffled);
      expect(read.map((r) => r.events.length)).toEqual(shuffled.map((n) => 1 + (names.indexOf(n) % 3)));
      expect(read.every((r) => r.events.every((e) => e.streamName === r.streamName))).toBe(true);
    });

    it('yields nothing for no names and refuses a malformed name', async () => {
      expect(await collect(store().readStreams([]))).toEqual([]);
      await expect(collect(store().readStreams([stream(), '$all']))).rejects.toBeInstanceOf(EventStoreError);
    });
  });
}
