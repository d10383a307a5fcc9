import DataLoader from 'dataloader';
import type { EventCodec } from '@medlineage/event-codec';
import { parsePosition, type EventStore, type GlobalPosition } from '@medlineage/event-store';
import { ScanLinkIndex, type HistoryLinkIndex, type IndexedObjectLink } from '@medlineage/history';
import type { ReadModelDb } from './database';
import { activeGenerationInfo } from './generation-registry';
import { withGenerations } from './generations';
import type { LinkKind } from './projections/catalog';
import { START } from './projector';
import { chunks, padded } from './lookup-keys';
import { executePrepared } from './prepared';
import { toBigInt } from './schema';

/** The first catalog schema with `catalog_links`. */
const LINKS_SCHEMA = 3;

/** Events past its anchor that a {@link CatalogLinkIndex} scans (keeping their links) before it re-anchors. */
const TAIL_EVENTS = 200_000;
/** Keys whose links a {@link CatalogLinkIndex} keeps before it re-anchors. */
const CACHED_KEYS = 200_000;

/** Where a CatalogLinkIndex reads: one catalog generation up to a checkpoint, the log after it. */
interface Anchor {
  readonly generation: number;
  /** The generation's checkpoint when anchored: links up to it come from the table. */
  readonly checkpoint: string;
  /** The log past `checkpoint`, scanned as new events arrive. */
  readonly tail: ScanLinkIndex;
  /**
   * Links read from the table, by kind and key. Up to `checkpoint` they can no longer change (the
   * projector has applied everything before it), so they are read once.
   */
  readonly cached: Map<string, readonly IndexedObjectLink[]>;
}

/**
 * History's link lookups answered by the catalog read model: what the active catalog generation
 * held up to its checkpoint when this index anchored there, plus the log past that checkpoint
 * scanned as {@link ScanLinkIndex} does, so that a lookup reflects the store at the time of the
 * call. A `ScanLinkIndex` alone reads the whole log on first use and keeps every link in memory
 * (4.1 s and 85 MiB at 1M events, in every process that starts); this one reads a key's links once
 * and keeps at most {@link CACHED_KEYS} keys and {@link TAIL_EVENTS} events' links before it
 * re-anchors at the catalog's checkpoint of the moment (as it does when the generation switches).
 *
 * Lookups issued together (history asks for the derivatives of a whole traversal level at once)
 * are read with one query per hundred keys. While the active catalog generation predates the links
 * (stale until `projections rebuild catalog`), lookups scan the log instead.
 */
export class CatalogLinkIndex implements HistoryLinkIndex {
  private readonly loaders: Readonly<Record<LinkKind, DataLoader<string, readonly IndexedObjectLink[]>>>;
  private anchor: Anchor | null = null;
  /** For a catalog generation without links: the whole log, scanned. */
  private scanned: ScanLinkIndex | null = null;

  constructor(
    private readonly db: ReadModelDb,
    private readonly store: EventStore,
    private readonly codec: EventCodec,
  ) {
    const loader = (kind: LinkKind) =>
      new DataLoader<string, readonly IndexedObjectLink[]>((keys) => this.load(kind, keys), {
        cache: false,
      });
    this.loaders = {
      study: loader('study'),
      subject: loader('subject'),
      'derived-from': loader('derived-from'),
    };
  }

  objectsOfStudy(studyKey: string): Promise<readonly IndexedObjectLink[]> {
    return this.loaders.study.load(studyKey);
  }

  objectsOfSubject(subjectId: string): Promise<readonly IndexedObjectLink[]> {
    return this.loaders.subject.load(subjectId);
  }

  derivativesOf(objectId: string): Promise<readonly IndexedObjectLink[]> {
    return this.loaders['derived-from'].load(objectId);
  }

  private async load(kind: LinkKind, keys: readonly string[]): Promise<(readonly IndexedObjectLink[])[]> {
    const active = await activeGenerationInfo(this.db, 'catalog');
    if (active === undefined || active.schemaVersion < LINKS_SCHEMA) {
      this.scanned ??= new ScanLinkIndex(this.store, this.codec);
      const { scanned } = this;
      return Promise.all(keys.map((key) => lookup(scanned, kind, key)));
    }
    let anchor = this.anchor;
    if (
      anchor === null ||
      anchor.generation !== active.generation ||
      anchor.tail.scannedEvents > TAIL_EVENTS ||
      anchor.cached.size > CACHED_KEYS
    ) {
      const after: GlobalPosition | null = active.position === START ? null : parsePosition(active.position);
      anchor = {
        generation: active.generation,
        checkpoint: active.position,
        tail: new ScanLinkIndex(this.store, this.codec, after),
        cached: new Map(),
      };
      this.anchor = anchor;
    }
    const missing = keys.filter((key) => !anchor.cached.has(cacheKey(kind, key)));
    if (missing.length > 0) await this.read(anchor, kind, missing);
    const { tail, cached } = anchor;
    return Promise.all(
      keys.map(async (key) => {
        const later = await lookup(tail, kind, key);
        const stored = cached.get(cacheKey(kind, key)) ?? [];
        return later.length === 0 ? stored : [...stored, ...later];
      }),
    );
  }

  /** Reads the links of `keys` up to the anchor's checkpoint into its cache. */
  private async read(anchor: Anchor, kind: LinkKind, keys: readonly string[]): Promise<void> {
    const byKey = new Map<string, IndexedObjectLink[]>(keys.map((k) => [k, []]));
    if (anchor.checkpoint !== START) {
      // Only rows up to the checkpoint: the projector may have committed more since, and those
      // come from the tail (exactly once either way).
      const upTo = parsePosition(anchor.checkpoint);
      const view = withGenerations(this.db, { catalog: anchor.generation });
      for (const chunk of chunks(keys)) {
        const params = {
          kind,
          keys: padded(chunk),
          commit: String(upTo.commit),
          prepare: String(upTo.prepare),
        };
        const { rows } = await executePrepared(view, 'catalog.links', params, (p) =>
          view
            .selectFrom('catalog_links')
            .select(['link_key', 'commit_pos', 'prepare_pos', 'object_id', 'recorded_at'])
            .where('link_kind', '=', p.kind)
            .where('link_key', 'in', Object.values(p.keys))
            .where((eb) => eb(eb.refTuple('commit_pos', 'prepare_pos'), '<=', eb.tuple(p.commit, p.prepare)))
            .orderBy('commit_pos')
            .orderBy('prepare_pos'),
        );
        for (const row of rows) {
          byKey.get(row.link_key)?.push({
            objectId: row.object_id,
            position: { commit: toBigInt(row.commit_pos), prepare: toBigInt(row.prepare_pos) },
            recordedAt: new Date(row.recorded_at),
          });
        }
      }
    }
    for (const [key, links] of byKey) anchor.cached.set(cacheKey(kind, key), links);
  }
}

const cacheKey = (kind: LinkKind, key: string): string => `${kind}\u0000${key}`;

function lookup(index: HistoryLinkIndex, kind: LinkKind, key: string): Promise<readonly IndexedObjectLink[]> {
  switch (kind) {
    case 'study':
      return index.objectsOfStudy(key);
    case 'subject':
      return index.objectsOfSubject(key);
    case 'derived-from':
      return index.derivativesOf(key);
  }
}
