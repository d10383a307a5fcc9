import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError, type RecordedEvent } from '@medlineage/event-store';
import { collect, makeEvents, testEventStoreContract } from '@medlineage/event-store/testing';
import { EmbeddedEventStore } from './embedded-event-store';

testEventStoreContract('embedded (SQLite file, WAL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medlineage-es-'));
  const store = new EmbeddedEventStore({ path: join(dir, 'events.db'), pollIntervalMs: 20 });
  return Promise.resolve({
    store,
    teardown: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});

describe('EmbeddedEventStore beyond the contract', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-es-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an event id already stored at another position of the stream, writing nothing', async () => {
    const store = new EmbeddedEventStore({ path: join(dir, 'e.db') });
    const [a, b] = makeEvents(2);
    if (!a || !b) throw new Error('no events');
    await store.appendToStream('dup-a', [a], { expectedRevision: 'no_stream' });
    await expect(store.appendToStream('dup-a', [b, a], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      DuplicateEventIdError,
    );
    expect(await store.streamRevision('dup-a')).toBe(0n); // b was rolled back with the batch
    // Ids are unique per stream: another stream may carry the same id (as on EventStoreDB).
    await expect(
      store.appendToStream('dup-b', [a], { expectedRevision: 'no_stream' }),
    ).resolves.toMatchObject({
      nextExpectedRevision: 0n,
    });
    await store.close();
  });

  it('readStreams reads what one batch cannot hold one stream at a time, with the same result', async () => {
    const store = new EmbeddedEventStore({ path: join(dir, 'batch.db'), synchronous: 'normal' });
    // Six streams of 900 events: more than a batch's row budget, each within one page.
    const names = Array.from({ length: 6 }, (_, i) => `budget-${i}`);
    for (const name of names)
      await store.appendToStream(name, makeEvents(900), { expectedRevision: 'no_stream' });
    const read = await collect(store.readStreams(names));
    expect(read.map((r) => r.events.length)).toEqual(names.map(() => 900));
    for (const r of read) {
      const single = await collect(store.readStream(r.streamName));
      expect(r.events.map((e) => [e.id, e.revision, e.position.commit])).toEqual(
        single.map((e) => [e.id, e.revision, e.position.commit]),
      );
    }
    await store.close();
  });

  it('a subscription catching up lets timers and signals run between pages', async () => {
    const store = new EmbeddedEventStore({ path: join(dir, 'catch-up.db'), synchronous: 'normal' });
    await store.appendToStream('long', makeEvents(5_000), { expectedRevision: 'no_stream' });
    // Every read resolves at once (better-sqlite3 is synchronous): without a turn of the event loop
    // between pages, a timer (or Ctrl-C's SIGINT handler) would wait for the whole catch-up.
    let deliveredWhenTimerRan: number | null = null;
    let delivered = 0;
    setImmediate(() => (deliveredWhenTimerRan = delivered));
    const subscription = store.subscribeToAll({ fromPosition: 'start' });
    for await (const message of subscription) {
      if (message.kind === 'event') delivered += 1;
      if (message.kind === 'caughtUp') break;
    }
    await subscription.close();
    expect(delivered).toBe(5_000);
    expect(deliveredWhenTimerRan).not.toBeNull();
    expect(deliveredWhenTimerRan).toBeLessThan(5_000);
    await store.close();
  });

  it('keeps everything across close and reopen', async () => {
    const path = join(dir, 'e.db');
    const first = new EmbeddedEventStore({ path });
    await first.appendToStream('keep-1', makeEvents(3), { expectedRevision: 'no_stream' });
    await first.close();
    const second = new EmbeddedEventStore({ path });
    expect(await second.streamRevision('keep-1')).toBe(2n);
    expect(await second.headPosition()).toEqual({ commit: 3n, prepare: 3n });
    await second.close();
  });

  it('a writer killed mid-append leaves no torn batch and no gap; other processes see its commits live', async () => {
    const path = join(dir, 'crash.db');
    const batchSize = 250;
    const reader = new EmbeddedEventStore({ path, pollIntervalMs: 10 });
    for (let round = 0; round < 4; round++) {
      const tag = randomUUID().slice(0, 8);
      const child = spawn(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          join(__dirname, 'test-support/append-loop.fixture.ts'),
          path,
          String(batchSize),
          tag,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      // Wait, through a live subscription, until this writer has committed a few batches, then kill it
      // while it is most likely inside the next transaction.
      const sub = reader.subscribeToAll({ fromPosition: (await reader.headPosition()) ?? 'start' });
      let seen = 0;
      for await (const m of sub) {
        if (m.kind === 'event' && m.event.metadata.toString().startsWith(`${tag}:`)) seen += 1;
        if (seen >= batchSize * (3 + round)) break;
      }
      await sub.close();
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    }

    const all = await collect(reader.readAll());
    expect(all.length % batchSize).toBe(0);
    all.forEach((e, i) => expect(e.position.commit).toBe(BigInt(i + 1))); // no gap in the global order
    const perBatch = new Map<string, number>();
    for (const e of all) {
      const [tag, batch] = e.metadata.toString().split(':');
      const key = `${tag}:${batch}`;
      perBatch.set(key, (perBatch.get(key) ?? 0) + 1);
    }
    expect([...perBatch.values()].every((n) => n === batchSize)).toBe(true); // no torn batch
    const byStream = new Map<string, RecordedEvent[]>();
    for (const e of all) byStream.set(e.streamName, [...(byStream.get(e.streamName) ?? []), e]);
    for (const events of byStream.values()) {
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i))); // no gap in a stream
    }
    // And the file is still writable after the crashes.
    await reader.appendToStream('after-crash', makeEvents(1), { expectedRevision: 'no_stream' });
    await reader.close();
  });
});
