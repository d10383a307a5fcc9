import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import {
  createProjectors,
  embeddedReadModelUrl,
  migrateReadModels,
  ReadModelDatabase,
  searchCatalog,
  servingView,
  type CatalogEntry,
} from '@medlineage/read-models';

/**
 * Builds the read models the API serves (SQLite beside the embedded events, as `npm run projections
 * -- catch-up` would) and prints what they hold: the second half of the main job.
 */
export async function projectReadModels(
  dataDir: string,
  store: EventStore,
  codec: EventCodec,
  out: (line?: string) => void,
): Promise<void> {
  const readModels = ReadModelDatabase.open({ url: embeddedReadModelUrl(dataDir) });
  try {
    await migrateReadModels(readModels.db);
    const statuses = [];
    for (const projector of await createProjectors({ store, codec, db: readModels.db })) {
      statuses.push(await projector.catchUp());
    }
    out(`\nRead models (${embeddedReadModelUrl(dataDir)}):`);
    for (const s of statuses) {
      out(
        `  ${s.projection.padEnd(8)} generation v${s.version}, ${s.eventsApplied} events applied, lag ${s.lag}`,
      );
    }
    const view = await servingView(readModels.db);
    const all: CatalogEntry[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await searchCatalog(view, { limit: 500, cursor });
      all.push(...page.items);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    const count = (pick: (e: CatalogEntry) => string | null) =>
      [
        ...all.reduce(
          (m, e) => m.set(pick(e) ?? '-', (m.get(pick(e) ?? '-') ?? 0) + 1),
          new Map<string, number>(),
        ),
      ]
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
    out(
      `  catalog: ${all.length} objects; by status: ${count((e) => e.status)}; by tier: ${count((e) => e.tier)}`,
    );
    const imaging = await searchCatalog(view, {
      filter: { dataClass: 'IMAGING', status: 'classified' },
      sort: 'ingestedAt',
      direction: 'desc',
      limit: 3,
    });
    out(
      `  catalog search (classified IMAGING, newest first): ${imaging.items.map((i) => `${i.modality ?? '?'} ${i.objectId}`).join('; ')}`,
    );
  } finally {
    await readModels.close();
  }
}
