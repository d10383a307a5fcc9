import type { DerivedObjectCreatedData, ObjectIngestedData } from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import { comparePositions, type EventStore, type GlobalPosition } from '@medlineage/event-store';
import type { EventMetadata } from '@medlineage/kernel';

/** An object reached through a secondary index, with the event that established the link. */
export interface IndexedObjectLink {
  readonly objectId: string;
  readonly position: GlobalPosition;
  /** Envelope `recordedAt` of that event, so "as of T" can drop links the platform did not yet know. */
  readonly recordedAt: Date;
}

/**
 * The secondary lookups history needs that no stream answers by itself. The default
 * ({@link ScanLinkIndex}) builds them from the global log; a read model (e.g. the lineage or
 * catalog projection) can implement this interface instead and be passed to `HistoryService`.
 * Results are in global-position order.
 */
export interface HistoryLinkIndex {
  /** Objects whose ObjectIngested carries this pseudonymous study key. */
  objectsOfStudy(studyKey: string): Promise<readonly IndexedObjectLink[]>;
  /** Objects ingested for this pseudonymous subject, or derived with it among their subjects. */
  objectsOfSubject(subjectId: string): Promise<readonly IndexedObjectLink[]>;
  /** Objects whose DerivedObjectCreated names this object among `derivedFrom`. */
  derivativesOf(objectId: string): Promise<readonly IndexedObjectLink[]>;
}

const INDEXED_TYPES: ReadonlySet<string> = new Set(['ObjectIngested', 'DerivedObjectCreated']);

/**
 * {@link HistoryLinkIndex} built by scanning the global log: O(log) — one pass over every stored
 * event the first time, where only ObjectIngested and DerivedObjectCreated are decoded (everything
 * else is skipped by type, before decoding) — then incremental: each lookup first catches up from
 * the last position seen, so it reflects the store at the time of the call. Memory is
 * O(objects). Suited to investigations and the CLI; long-lived services should plug in a
 * projection instead.
 */
export class ScanLinkIndex implements HistoryLinkIndex {
  private readonly byStudy = new Map<string, IndexedObjectLink[]>();
  private readonly bySubject = new Map<string, IndexedObjectLink[]>();
  private readonly byDerivationSource = new Map<string, IndexedObjectLink[]>();
  private last: GlobalPosition | null = null;
  private catchingUp: Promise<void> | null = null;
  /** Events read from the log so far (for tests and diagnostics). */
  scannedEvents = 0;

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    /** Index only what comes after this position (a read model holds what came before). */
    after: GlobalPosition | null = null,
  ) {
    this.last = after;
  }

  async objectsOfStudy(studyKey: string): Promise<readonly IndexedObjectLink[]> {
    await this.catchUp();
    return this.byStudy.get(studyKey) ?? [];
  }

  async objectsOfSubject(subjectId: string): Promise<readonly IndexedObjectLink[]> {
    await this.catchUp();
    return this.bySubject.get(subjectId) ?? [];
  }

  async derivativesOf(objectId: string): Promise<readonly IndexedObjectLink[]> {
    await this.catchUp();
    return this.byDerivationSource.get(objectId) ?? [];
  }

  /** Reads the log from the last position seen to its end. Concurrent callers share one scan. */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.scan().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  private async scan(): Promise<void> {
    const from = this.last;
    for await (const recorded of this.store.readAll({ fromPosition: from ?? 'start' })) {
      // readAll forwards is inclusive of `fromPosition`: skip what was already indexed.
      if (from !== null && comparePositions(recorded.position, from) <= 0) continue;
      this.last = recorded.position;
      this.scannedEvents++;
      if (!INDEXED_TYPES.has(recorded.type)) continue;
      const recordedAt = this.codec.decode<EventMetadata>(recorded.metadata, 'EventMetadata').value
        .recordedAt;
      const at = { position: recorded.position, recordedAt };
      if (recorded.type === 'ObjectIngested') {
        const d = this.codec.decode<ObjectIngestedData>(recorded.data, recorded.type).value;
        const link = { objectId: d.objectId, ...at };
        if (d.studyKey !== null) push(this.byStudy, d.studyKey, link);
        if (d.subjectId !== null) push(this.bySubject, d.subjectId, link);
      } else {
        const d = this.codec.decode<DerivedObjectCreatedData>(recorded.data, recorded.type).value;
        const link = { objectId: d.objectId, ...at };
        for (const source of new Set(d.derivedFrom)) push(this.byDerivationSource, source, link);
        for (const subject of new Set(d.subjectIds)) push(this.bySubject, subject, link);
      }
    }
  }
}

function push(map: Map<string, IndexedObjectLink[]>, key: string, link: IndexedObjectLink): void {
  const links = map.get(key);
  if (links === undefined) map.set(key, [link]);
  else links.push(link);
}
