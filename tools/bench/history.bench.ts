import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { productCodec } from '@medlineage/event-sourcing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { HistoryService } from '@medlineage/history';
import {
  CatalogLinkIndex,
  ReadModelDatabase,
  catalogProjection,
  migrateReadModels,
  rebuildProjection,
} from '@medlineage/read-models';
import { numberArg, result, round, type Bench } from './bench-result';
import { percentile } from './bench-support';
import { buildHistoryWorkload } from './history-workload';

/**
 * Latency of a full dataset history (the dataset, its 1,000 member objects with ~10 events each,
 * their derivatives and the consuming model) through HistoryService on the embedded store, as the
 * API runs it: links from the catalog read model (`CatalogLinkIndex`, caught up). Baseline in the same run, alternating with
 * it: reading exactly the streams that timeline covers through the store's fastest read
 * (`readStreams`), without decoding, link-following or sorting: the floor of any history read.
 * For context, the same streams read one `readStream` at a time.
 */
export const historyBench: Bench = {
  name: 'history',
  description: 'p50/p99 of a full dataset timeline (1,000 objects) vs raw reads of the same streams',
  async run(args, log) {
    const members = numberArg(args, 'objects', 1000);
    const noiseObjects = numberArg(args, 'noise', 2000);
    const iterations = numberArg(args, 'iterations', 100);
    const warmup = numberArg(args, 'warmup', 10);
    const codec = productCodec();
    const dir = mkdtempSync(join(tmpdir(), 'medlineage-bench-history-'));
    try {
      const path = join(dir, 'events.db');
      let t = performance.now();
      // Durability is not what is measured here: build without an fsync per command.
      const writer = new EmbeddedEventStore({ path, synchronous: 'normal' });
      const w = await buildHistoryWorkload(writer, codec, { members, noiseObjects });
      const total = Number((await writer.headPosition())?.commit ?? 0n);
      await writer.close();
      log(
        `workload: ${total} events from ${w.commands} commands (${round((performance.now() - t) / 1000)} s); ` +
          `dataset of ${w.memberCount} objects (${w.derivedCount} de-identified, with derivatives), ` +
          `${w.noiseObjectCount} unrelated objects, ${w.subjectCount} subjects, a second dataset; ` +
          `file ${round(statSync(path).size / 2 ** 20)} MiB`,
      );

      const store = new EmbeddedEventStore({ path });
      // As the API runs it: links from the catalog read model (caught up here), plus the log past
      // its checkpoint.
      const readModels = ReadModelDatabase.open({ url: `sqlite:${join(dir, 'read-models.db')}` });
      await migrateReadModels(readModels.db);
      await rebuildProjection({ store, codec, db: readModels.db, projection: catalogProjection });
      const history = new HistoryService(store, codec, {
        index: new CatalogLinkIndex(readModels.db, store, codec),
      });
      const entity = { kind: 'dataset', id: w.datasetId } as const;
      t = performance.now();
      const first = await history.timeline(entity);
      const firstMs = performance.now() - t;
      t = performance.now();
      await new HistoryService(store, codec).timeline(entity);
      log(
        `first timeline of a process: ${round(firstMs)} ms with the catalog's links (as the API runs it), ` +
          `${round(performance.now() - t)} ms scanning all ${total} events for them (ScanLinkIndex)`,
      );
      const streams = [...new Set(first.map((e) => e.streamName))];
      const rawRead = async (): Promise<number> => {
        let n = 0;
        for await (const s of store.readStreams(streams)) n += s.events.length;
        return n;
      };
      const perStreamRead = async (): Promise<number> => {
        let n = 0;
        for (const name of streams) for await (const _ of store.readStream(name)) n += 1;
        return n;
      };
      for (const read of [rawRead, perStreamRead]) {
        const n = await read();
        if (n !== first.length) throw new Error(`raw read ${n} events, timeline ${first.length}`);
      }
      log(`timeline: ${first.length} events from ${streams.length} streams`);

      const ours: number[] = [];
      const raw: number[] = [];
      const perStream: number[] = [];
      let cpuMs = 0;
      for (let i = 0; i < warmup + iterations; i++) {
        // Alternating, so both sides see the same machine noise.
        const cpu = process.cpuUsage();
        t = performance.now();
        const n = (await history.timeline(entity)).length;
        const timelineMs = performance.now() - t;
        const used = process.cpuUsage(cpu);
        t = performance.now();
        await rawRead();
        const rawMs = performance.now() - t;
        t = performance.now();
        await perStreamRead();
        const perStreamMs = performance.now() - t;
        if (n !== first.length) throw new Error(`timeline changed: ${n} events, first ${first.length}`);
        if (i < warmup) continue;
        cpuMs += (used.user + used.system) / 1000;
        ours.push(timelineMs);
        raw.push(rawMs);
        perStream.push(perStreamMs);
      }
      await store.close();
      await readModels.close();
      log(
        `HistoryService.timeline (dataset, includeLinked), ${iterations} runs after ${warmup} warm-up: ` +
          `p50 ${round(percentile(ours, 0.5))} ms, p99 ${round(percentile(ours, 0.99))} ms, ` +
          `${first.length} events per timeline (${round(first.length / (percentile(ours, 0.5) / 1000), 0)} events/s at p50)`,
      );
      log(
        `CPU per timeline, all threads (GC helpers included): ${round(cpuMs / iterations)} ms on average; ` +
          'wall time far above it means the machine was busy',
      );
      log(
        `raw readStreams of the same ${streams.length} streams (baseline): p50 ${round(percentile(raw, 0.5))} ms, ` +
          `p99 ${round(percentile(raw, 0.99))} ms`,
      );
      log(
        `context: the same streams one readStream each: p50 ${round(percentile(perStream, 0.5))} ms, ` +
          `p99 ${round(percentile(perStream, 0.99))} ms`,
      );
      log('target: p99 < 100 ms; ratio = timeline p99 / raw p99 (lower is better, 1.0 = the raw floor)');
      return result({
        bench: 'history',
        metric: 'dataset_timeline_p99_ms',
        value: round(percentile(ours, 0.99)),
        baseline: round(percentile(raw, 0.99)),
        unit: 'ms',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
