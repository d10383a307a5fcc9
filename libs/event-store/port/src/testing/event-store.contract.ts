import { randomUUID } from 'node:crypto';
import type {
  AllSubscription,
  EventStore,
  EventToAppend,
  RecordedEvent,
  SubscriptionMessage,
} from '../event-store';
import {
  EventStoreError,
  ExpectedVersionConflictError,
  InvalidEventStoreRequestError,
} from '../event-store-errors';
import { comparePositions } from '../positions';
import { collect, makeEvents } from './contract-helpers';
import { describeReadStreams } from './read-streams.contract';

export { collect, makeEvents } from './contract-helpers';

export interface EventStoreUnderTest {
  readonly store: EventStore;
  /** Called after the suite; closes clients, removes files. */
  teardown(): Promise<void>;
}

/**
 * The semantics every {@link EventStore} adapter must have. Stream names are unique per test so
 * the suite also runs against a shared server whose log already holds other data.
 */
export function testEventStoreContract(name: string, factory: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreUnderTest;
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    let counter = 0;
    const stream = (category = 'contract') => `${category}${run}-${++counter}`;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject.teardown();
    });

    describe('append and read a stream', () => {
      it('creates a stream with no_stream and reads it back byte for byte', async () => {
        const s = stream();
        const events = makeEvents(3);
        const result = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await collect(store.readStream(s));
        expect(read.map(strip)).toEqual(events.map((e, i) => ({ ...e, revision: BigInt(i), streamName: s })));
        expect(comparePositions(result.position, last(read).position)).toBe(0);
        expect(await store.streamRevision(s)).toBe(2n);
      });

      it('reads a stream that does not exist as empty', async () => {
        const s = stream();
        expect(await collect(store.readStream(s))).toEqual([]);
        expect(await store.streamRevision(s)).toBeNull();
      });

      it('reads forwards from a revision and backwards from the end, with maxCount', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(5), { expectedRevision: 'no_stream' });
        const fwd = await collect(store.readStream(s, { fromRevision: 2n, maxCount: 2 }));
        expect(fwd.map((e) => e.revision)).toEqual([2n, 3n]);
        const back = await collect(store.readStream(s, { direction: 'backwards', maxCount: 3 }));
        expect(back.map((e) => e.revision)).toEqual([4n, 3n, 2n]);
        const backFrom = await collect(store.readStream(s, { direction: 'backwards', fromRevision: 1n }));
        expect(backFrom.map((e) => e.revision)).toEqual([1n, 0n]);
      });

      it('pages through a stream longer than one read page', async () => {
        const s = stream();
        for (let i = 0; i < 3; i++) {
          await store.appendToStream(s, makeEvents(500), {
            expectedRevision: i === 0 ? 'no_stream' : BigInt(i * 500 - 1),
          });
        }
        const all = await collect(store.readStream(s));
        expect(all).toHaveLength(1500);
        expect(all.every((e, i) => e.revision === BigInt(i))).toBe(true);
      });
    });

    describeReadStreams(() => store, stream);

    describe('expected revision', () => {
      it('appends at the exact current revision and refuses a stale or future one', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(2), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(s, makeEvents(1), { expectedRevision: 1n })).resolves.toMatchObject(
          {
            nextExpectedRevision: 2n,
          },
        );
        const stale = store.appendToStream(s, makeEvents(1), { expectedRevision: 1n });
        await expect(stale).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        await expect(stale).rejects.toMatchObject({ streamName: s, actual: 2n, retriable: false });
        await expect(store.appendToStream(s, makeEvents(1), { expectedRevision: 7n })).rejects.toBeInstanceOf(
          ExpectedVersionConflictError,
        );
        expect(await store.streamRevision(s)).toBe(2n);
      });

      it('no_stream fails on an existing stream', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(1), { expectedRevision: 'no_stream' });
        await expect(
          store.appendToStream(s, makeEvents(1), { expectedRevision: 'no_stream' }),
        ).rejects.toMatchObject({
          type: 'expected-version-conflict',
          actual: 0n,
        });
      });

      it('stream_exists fails on a missing stream and passes on an existing one', async () => {
        const s = stream();
        await expect(
          store.appendToStream(s, makeEvents(1), { expectedRevision: 'stream_exists' }),
        ).rejects.toMatchObject({ type: 'expected-version-conflict', actual: null });
        await store.appendToStream(s, makeEvents(1), { expectedRevision: 'any' });
        await expect(
          store.appendToStream(s, makeEvents(1), { expectedRevision: 'stream_exists' }),
        ).resolves.toMatchObject({ nextExpectedRevision: 1n });
      });

      it('concurrent writers at the same revision: exactly one wins', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(1), { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 5 }, () => store.appendToStream(s, makeEvents(1), { expectedRevision: 0n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(rejected.every((o) => o.reason instanceof ExpectedVersionConflictError)).toBe(true);
        expect(await store.streamRevision(s)).toBe(1n);
      });
    });

    describe('idempotent retries (same ids, same expected revision)', () => {
      it('a repeated no_stream append writes nothing and returns the original result', async () => {
        const s = stream();
        const events = makeEvents(3);
        const first = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(s, events, { expectedRevision: 'no_stream' });
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(comparePositions(again.position, first.position)).toBe(0);
        expect(await collect(store.readStream(s))).toHaveLength(3);
      });

      it('a repeated exact-revision append succeeds even after later appends', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(2), { expectedRevision: 'no_stream' });
        const batch = makeEvents(2);
        const first = await store.appendToStream(s, batch, { expectedRevision: 1n });
        await store.appendToStream(s, makeEvents(1), { expectedRevision: 3n });
        const again = await store.appendToStream(s, batch, { expectedRevision: 1n });
        expect(again.nextExpectedRevision).toBe(3n);
        expect(comparePositions(again.position, first.position)).toBe(0);
        expect(await store.streamRevision(s)).toBe(4n);
        expect(new Set((await collect(store.readStream(s))).map((e) => e.id)).size).toBe(5);
      });

      it('a different batch at a stale revision is a conflict, not a repeat', async () => {
        const s = stream();
        const batch = makeEvents(2);
        await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        const altered = [batch[0] as EventToAppend, ...makeEvents(1)];
        await expect(
          store.appendToStream(s, altered, { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        const longer = [...batch, ...makeEvents(1)];
        await expect(
          store.appendToStream(s, longer, { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        expect(await store.streamRevision(s)).toBe(1n);
      });
    });

    describe('global log', () => {
      it('reads appended events forwards in order from a position (inclusive) and backwards (exclusive)', async () => {
        const a = stream('logA');
        const b = stream('logB');
        const before = await store.headPosition();
        await store.appendToStream(a, makeEvents(2), { expectedRevision: 'no_stream' });
        const rb = await store.appendToStream(b, makeEvents(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(a, makeEvents(1), { expectedRevision: 1n });
        expect(comparePositions(rb.position, (await store.headPosition()) ?? rb.position)).toBeLessThan(0);

        const mine = (e: RecordedEvent) => e.streamName === a || e.streamName === b;
        const fwd = (await collect(store.readAll(before ? { fromPosition: before } : {}))).filter(mine);
        expect(fwd.map((e) => `${e.streamName}@${e.revision}`)).toEqual([
          `${a}@0`,
          `${a}@1`,
          `${b}@0`,
          `${a}@2`,
        ]);
        for (let i = 1; i < fwd.length; i++) {
          expect(
            comparePositions((fwd[i - 1] as RecordedEvent).position, (fwd[i] as RecordedEvent).position),
          ).toBe(-1);
        }
        const fromB = (await collect(store.readAll({ fromPosition: rb.position, maxCount: 2 }))).filter(mine);
        expect(fromB.map((e) => `${e.streamName}@${e.revision}`)).toEqual([`${b}@0`, `${a}@2`]);
        const beforeB = await collect(
          store.readAll({ direction: 'backwards', fromPosition: rb.position, maxCount: 2 }),
        );
        expect(beforeB.map((e) => `${e.streamName}@${e.revision}`)).toEqual([`${a}@1`, `${a}@0`]);
        const tail = await collect(store.readAll({ direction: 'backwards', maxCount: 1 }));
        expect(tail.map((e) => `${e.streamName}@${e.revision}`)).toEqual([`${a}@2`]);
      });

      it('never yields system events', async () => {
        const s = stream();
        await store.setStreamMetadata(s, { custom: { owner: 'contract' } });
        await store.appendToStream(s, makeEvents(1), { expectedRevision: 'any' });
        const tail = await collect(store.readAll({ direction: 'backwards', maxCount: 50 }));
        expect(tail.some((e) => e.type.startsWith('$') || e.streamName.startsWith('$'))).toBe(false);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up from a checkpoint, reports caughtUp, then delivers live events, filtered', async () => {
        const mine = `sub${run}`;
        const other = `oth${run}`;
        const checkpoint = await store.headPosition();
        const s1 = `${mine}-1`;
        await store.appendToStream(s1, makeEvents(2, 'Kept'), { expectedRevision: 'no_stream' });
        await store.appendToStream(`${other}-1`, makeEvents(2, 'Kept'), { expectedRevision: 'no_stream' });
        await store.appendToStream(s1, makeEvents(1, 'Dropped'), { expectedRevision: 1n });

        const sub = store.subscribeToAll({
          ...(checkpoint ? { fromPosition: checkpoint } : {}),
          filter: { categories: [mine], eventTypes: ['Kept'] },
        });
        const iterator = sub[Symbol.asyncIterator]();
        const msgs = await nextUntil(iterator, (m) => m.kind === 'caughtUp');
        // Live: appended only after catch-up has finished.
        await store.appendToStream(`${mine}-2`, makeEvents(1, 'Kept'), { expectedRevision: 'no_stream' });
        msgs.push(
          ...(await nextUntil(iterator, (m) => m.kind === 'event' && m.event.streamName === `${mine}-2`)),
        );
        await sub.close();
        const events = msgs.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
        expect(events.map((e) => `${e.streamName}@${e.revision}:${e.type}`)).toEqual([
          `${s1}@0:Kept`,
          `${s1}@1:Kept`,
          `${mine}-2@0:Kept`,
        ]);
        const caughtUpAt = msgs.findIndex((m) => m.kind === 'caughtUp');
        expect(caughtUpAt).toBeGreaterThan(1);
        expect(caughtUpAt).toBeLessThan(
          msgs.findIndex((m) => m.kind === 'event' && m.event.streamName === `${mine}-2`),
        );
      });

      it('resumes strictly after the stored position', async () => {
        const s = stream('resume');
        await store.appendToStream(s, makeEvents(3), { expectedRevision: 'no_stream' });
        const second = (await collect(store.readStream(s)))[1] as RecordedEvent;
        const sub = store.subscribeToAll({
          fromPosition: second.position,
          filter: { categories: [streamCategoryOf(s)] },
        });
        const msgs = await collectUntil(sub, (m) => m.some((x) => x.kind === 'caughtUp'));
        expect(msgs.flatMap((m) => (m.kind === 'event' ? [m.event.revision] : []))).toEqual([2n]);
      });
    });

    describe('stream metadata', () => {
      it('sets and reads metadata with optimistic concurrency', async () => {
        const s = stream();
        expect(await store.getStreamMetadata(s)).toEqual({
          streamName: s,
          metadata: {},
          metadataRevision: null,
        });
        const first = await store.setStreamMetadata(
          s,
          { maxCount: 10, custom: { retention: 'R10Y' } },
          {
            expectedMetadataRevision: 'no_stream',
          },
        );
        expect(first.metadataRevision).toBe(0n);
        await expect(
          store.setStreamMetadata(s, { maxCount: 5 }, { expectedMetadataRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        await store.setStreamMetadata(
          s,
          { maxCount: 5, custom: { retention: 'R5Y' } },
          { expectedMetadataRevision: 0n },
        );
        const read = await store.getStreamMetadata(s);
        expect(read.metadataRevision).toBe(1n);
        expect(read.metadata).toMatchObject({ maxCount: 5, custom: { retention: 'R5Y' } });
      });

      it('maxCount and truncateBefore hide older events from stream reads', async () => {
        const s = stream();
        await store.appendToStream(s, makeEvents(6), { expectedRevision: 'no_stream' });
        await store.setStreamMetadata(s, { maxCount: 3 });
        expect((await collect(store.readStream(s))).map((e) => e.revision)).toEqual([3n, 4n, 5n]);
        await store.setStreamMetadata(s, { truncateBefore: 5n });
        expect((await collect(store.readStream(s))).map((e) => e.revision)).toEqual([5n]);
      });
    });

    describe('bad requests fail before any write', () => {
      it.each([
        ['a non-UUID id', [{ ...makeEvents(1)[0], id: 'not-a-uuid' }]],
        ['an empty type', [{ ...makeEvents(1)[0], type: '' }]],
        ['no events', []],
      ])('refuses %s', async (_what, events) => {
        const s = stream();
        await expect(
          store.appendToStream(s, events as EventToAppend[], { expectedRevision: 'any' }),
        ).rejects.toBeInstanceOf(InvalidEventStoreRequestError);
        expect(await store.streamRevision(s)).toBeNull();
      });

      it('refuses system and malformed stream names', async () => {
        for (const bad of ['$all', '', 'has space', '../x', 'x\u0000y']) {
          await expect(
            store.appendToStream(bad, makeEvents(1), { expectedRevision: 'any' }),
          ).rejects.toBeInstanceOf(EventStoreError);
        }
      });
    });
  });
}

/** Consumes a subscription until `done` holds for the messages so far, then closes it. */
export async function collectUntil(
  sub: AllSubscription,
  done: (messages: SubscriptionMessage[]) => boolean,
): Promise<SubscriptionMessage[]> {
  const messages: SubscriptionMessage[] = [];
  for await (const message of sub) {
    messages.push(message);
    if (done(messages)) break;
  }
  await sub.close();
  return messages;
}

function strip(e: RecordedEvent) {
  return {
    id: e.id,
    type: e.type,
    data: Buffer.from(e.data),
    metadata: Buffer.from(e.metadata),
    revision: e.revision,
    streamName: e.streamName,
  };
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

function streamCategoryOf(s: string): string {
  return s.slice(0, s.indexOf('-'));
}

/** Pulls messages until one satisfies `stop` (inclusive); fails if the subscription ends first. */
async function nextUntil(
  iterator: AsyncIterator<SubscriptionMessage>,
  stop: (message: SubscriptionMessage) => boolean,
): Promise<SubscriptionMessage[]> {
  const out: SubscriptionMessage[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new Error('subscription ended early');
    out.push(next.value);
    if (stop(next.value)) return out;
  }
}
