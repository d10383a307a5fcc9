import {
  DATASET_EVENT_TYPES,
  DATA_OBJECT_EVENT_TYPES,
  SUBJECT_CONSENT_EVENT_TYPES,
  dataObjectDecider,
  dataObjectStreamName,
  datasetDecider,
  datasetStreamName,
  isOneOf,
  modelStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
  type DataObjectState,
  type DatasetState,
  type DomainEventUnion,
  type EventType,
  type SubjectConsentState,
} from '@medlineage/domain';
import type { EventCodec } from '@medlineage/event-codec';
import { comparePositions, type EventStore } from '@medlineage/event-store';
import { assertNever, foldEvents } from '@medlineage/kernel';
import { decodeRecorded, type DecodedEvent } from './decode-recorded';
import { ScanLinkIndex, type HistoryLinkIndex, type IndexedObjectLink } from './link-index';
import { TimelineEntryBuilder } from './timeline-entries';
import type {
  HistoryEntity,
  HistoryLink,
  HistoryNode,
  HistoryNodeKind,
  LinkRelation,
  TimelineEntry,
} from './timeline';

export interface HistoryServiceOptions {
  /** Secondary lookups (study → objects, subject → objects, object → derivatives). @defaultValue a {@link ScanLinkIndex} */
  readonly index?: HistoryLinkIndex;
  /** Links followed from the entity asked about (derivation chains, dataset → object → derivative). @defaultValue 8 */
  readonly maxDepth?: number;
}

export interface TimelineOptions {
  /**
   * Only what the platform KNEW at this instant: events whose envelope `recordedAt` ≤ asOf, and
   * only links established by such events. `recordedAt` rather than `occurredAt`, because an
   * investigator asks what the platform could have acted on at T; a late-recorded event that
   * occurred earlier was not yet known. Each entry carries both times.
   */
  readonly asOf?: Date;
  /** Follow links (derivatives, dataset members, consuming models, subject/study objects). @defaultValue true */
  readonly includeLinked?: boolean;
}

export interface ObjectAsOf {
  readonly objectId: string;
  readonly state: DataObjectState;
}

/** An entity's state at an instant, folded with the domain deciders' `evolve`, and its lineage then. */
export type EntityAsOf =
  | {
      readonly kind: 'object';
      readonly id: string;
      readonly at: Date;
      readonly state: DataObjectState;
      readonly lineage: readonly HistoryLink[];
    }
  | {
      readonly kind: 'dataset';
      readonly id: string;
      readonly at: Date;
      readonly state: DatasetState;
      readonly lineage: readonly HistoryLink[];
    }
  | {
      readonly kind: 'subject';
      readonly id: string;
      readonly at: Date;
      readonly consent: SubjectConsentState;
      /** The subject's own objects (ingested for it, or derived with it among their subjects). */
      readonly objects: readonly ObjectAsOf[];
      readonly lineage: readonly HistoryLink[];
    }
  | {
      readonly kind: 'study';
      readonly id: string;
      readonly at: Date;
      readonly objects: readonly ObjectAsOf[];
      readonly lineage: readonly HistoryLink[];
    };

interface Visit {
  readonly node: HistoryNode;
  readonly depth: number;
  readonly via: HistoryLink | null;
}

interface Traversal {
  readonly visits: readonly Visit[];
  readonly eventsByNode: ReadonlyMap<string, readonly DecodedEvent[]>;
  readonly entries: readonly TimelineEntry[];
  readonly links: readonly HistoryLink[];
}

const nodeKey = (node: HistoryNode): string => `${node.kind}:${node.id}`;

const STREAM_OF: Readonly<Record<HistoryNodeKind, (id: string) => string>> = {
  object: dataObjectStreamName,
  dataset: datasetStreamName,
  consent: subjectConsentStreamName,
  model: modelStreamName,
};
const streamOf = (node: HistoryNode): string => STREAM_OF[node.kind](node.id);

/**
 * History replay for investigators, straight from the event store: every event touching an entity
 * and what is linked to it, in global order, and the entity's state as of any instant. Reads
 * through the EventStore port and decodes with the EventCodec; never opens a sealed envelope (it
 * holds no keys).
 */
export class HistoryService {
  private readonly index: HistoryLinkIndex;
  private readonly maxDepth: number;

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    options: HistoryServiceOptions = {},
  ) {
    this.index = options.index ?? new ScanLinkIndex(store, codec);
    this.maxDepth = options.maxDepth ?? 8;
  }

  /** Ordered by global position; each event once, however many links reach it. */
  async timeline(entity: HistoryEntity, options: TimelineOptions = {}): Promise<readonly TimelineEntry[]> {
    return (await this.traverse(entity, options, false)).entries;
  }

  async asOf(entity: HistoryEntity, at: Date): Promise<EntityAsOf> {
    const t = await this.traverse(entity, { asOf: at, includeLinked: true }, true);
    /** The node's events of its aggregate's types, to fold with that aggregate's decider. */
    const events = <T extends EventType>(
      node: HistoryNode,
      types: readonly T[],
    ): Extract<DomainEventUnion, { readonly type: T }>[] =>
      (t.eventsByNode.get(nodeKey(node)) ?? []).map((e) => e.event).filter((e) => isOneOf(e, types));
    const objectState = (objectId: string): ObjectAsOf => ({
      objectId,
      state: foldEvents(dataObjectDecider, events({ kind: 'object', id: objectId }, DATA_OBJECT_EVENT_TYPES)),
    });
    const ownObjects = (relation: LinkRelation): readonly ObjectAsOf[] =>
      t.visits.filter((v) => v.via?.relation === relation).map((v) => objectState(v.node.id));

    switch (entity.kind) {
      case 'object':
        return { kind: 'object', id: entity.id, at, state: objectState(entity.id).state, lineage: t.links };
      case 'dataset':
        return {
          kind: 'dataset',
          id: entity.id,
          at,
          state: foldEvents(datasetDecider, events({ kind: 'dataset', id: entity.id }, DATASET_EVENT_TYPES)),
          lineage: t.links,
        };
      case 'subject':
        return {
          kind: 'subject',
          id: entity.id,
          at,
          consent: foldEvents(
            subjectConsentDecider,
            events({ kind: 'consent', id: entity.id }, SUBJECT_CONSENT_EVENT_TYPES),
          ),
          objects: ownObjects('subject-object'),
          lineage: t.links,
        };
      case 'study':
        return { kind: 'study', id: entity.id, at, objects: ownObjects('study-member'), lineage: t.links };
      default:
        return assertNever(entity.kind, 'history entity kind');
    }
  }

  /** `keepEvents`: also return each node's decoded events (as-of folds them; a timeline does not). */
  private async traverse(
    entity: HistoryEntity,
    options: TimelineOptions,
    keepEvents: boolean,
  ): Promise<Traversal> {
    const asOf = options.asOf ?? null;
    const includeLinked = options.includeLinked ?? true;
    const known = (recordedAt: Date): boolean => asOf === null || recordedAt.getTime() <= asOf.getTime();

    const visited = new Set<string>();
    const visits: Visit[] = [];
    const links = new Map<string, HistoryLink>();
    const eventsByNode = new Map<string, readonly DecodedEvent[]>();
    const entries: TimelineEntry[] = [];
    const builder = new TimelineEntryBuilder();

    let level: Visit[] = [];
    const enqueue = (next: Visit[], visit: Visit): void => {
      const key = nodeKey(visit.node);
      if (visited.has(key)) return;
      visited.add(key);
      next.push(visit);
    };
    const addLink = (link: HistoryLink, depth: number, next: Visit[]): void => {
      const key = `${link.from === null ? '-' : nodeKey(link.from)}>${nodeKey(link.to)}:${link.relation}`;
      if (!links.has(key)) links.set(key, link);
      enqueue(next, { node: link.to, depth, via: link });
    };
    const fromIndex = (
      found: readonly IndexedObjectLink[],
      from: HistoryNode | null,
      relation: LinkRelation,
    ) =>
      found
        .filter((l) => known(l.recordedAt))
        .map((l): HistoryLink => ({
          from,
          to: { kind: 'object', id: l.objectId },
          relation,
          establishedAt: l.position,
        }));

    switch (entity.kind) {
      case 'object':
        enqueue(level, { node: { kind: 'object', id: entity.id }, depth: 0, via: null });
        break;
      case 'dataset':
        enqueue(level, { node: { kind: 'dataset', id: entity.id }, depth: 0, via: null });
        break;
      case 'study':
        // A study has no stream: its objects are the entity itself (depth 0).
        for (const link of fromIndex(await this.index.objectsOfStudy(entity.id), null, 'study-member')) {
          addLink(link, 0, level);
        }
        break;
      case 'subject':
        enqueue(level, { node: { kind: 'consent', id: entity.id }, depth: 0, via: null });
        if (includeLinked) {
          for (const link of fromIndex(
            await this.index.objectsOfSubject(entity.id),
            null,
            'subject-object',
          )) {
            addLink(link, 1, level);
          }
        }
        break;
      default:
        return assertNever(entity.kind, 'history entity kind');
    }

    while (level.length > 0) {
      const next: Visit[] = [];
      // Links found in each visit's own events, in visit order; index lookups come after the level.
      const followed: { readonly visit: Visit; readonly links: HistoryLink[] }[] = [];
      let k = 0;
      for await (const stream of this.store.readStreams(level.map((v) => streamOf(v.node)))) {
        const visit = level[k++];
        if (visit === undefined || stream.streamName !== streamOf(visit.node)) {
          throw new Error(`readStreams answered ${stream.streamName} out of order`);
        }
        const decoded = stream.events.map((r) => decodeRecorded(this.codec, r));
        const events = asOf === null ? decoded : decoded.filter((e) => known(e.metadata.recordedAt));
        visits.push(visit);
        if (keepEvents) eventsByNode.set(nodeKey(visit.node), events);
        // Each node is visited once and each node kind has its own streams, so no event can
        // arrive twice: no de-duplication by position is needed.
        for (const e of events) entries.push(builder.entry(e, visit));
        if (includeLinked && visit.depth < this.maxDepth) {
          followed.push({ visit, links: linksInEvents(visit.node, events) });
        }
      }
      // One lookup per object node, issued together: concurrent lookups share one index catch-up
      // instead of one each (a 1,000-object dataset would otherwise catch up 1,000 times).
      const derivatives = await Promise.all(
        followed.map(({ visit }) =>
          visit.node.kind === 'object' ? this.index.derivativesOf(visit.node.id) : Promise.resolve(NO_LINKS),
        ),
      );
      for (const [f, { visit, links: own }] of followed.entries()) {
        for (const link of own) addLink(link, visit.depth + 1, next);
        for (const link of fromIndex(derivatives[f] ?? NO_LINKS, visit.node, 'derived')) {
          addLink(link, visit.depth + 1, next);
        }
      }
      level = next;
    }

    return {
      visits,
      eventsByNode,
      entries: entries.sort(byPosition),
      links: [...links.values()].sort((a, b) => comparePositions(a.establishedAt, b.establishedAt)),
    };
  }
}

const NO_LINKS: readonly IndexedObjectLink[] = [];

/**
 * `comparePositions` on entries, written out: a 10,000-entry timeline sorts with ~100,000
 * comparisons, which took 4.8 ms through the imported function and 2.2 ms with this copy.
 */
function byPosition(a: TimelineEntry, b: TimelineEntry): number {
  const x = a.position;
  const y = b.position;
  if (x.commit !== y.commit) return x.commit < y.commit ? -1 : 1;
  return x.prepare < y.prepare ? -1 : x.prepare > y.prepare ? 1 : 0;
}

/** Links a node's own events establish (the index supplies the ones recorded in other streams). */
function linksInEvents(node: HistoryNode, events: readonly DecodedEvent[]): HistoryLink[] {
  const links: HistoryLink[] = [];
  const to = (kind: HistoryNodeKind, id: string, relation: LinkRelation, e: DecodedEvent): void => {
    links.push({ from: node, to: { kind, id }, relation, establishedAt: e.recorded.position });
  };
  switch (node.kind) {
    case 'object':
      for (const e of events) {
        if (e.event.type === 'ObjectDeidentified') to('object', e.event.data.derivedObjectId, 'derived', e);
      }
      break;
    case 'dataset':
      for (const e of events) {
        if (e.event.type === 'DatasetVersionCreated') {
          for (const objectId of e.event.data.manifest.objectIds) to('object', objectId, 'member', e);
        } else if (e.event.type === 'DatasetConsumedByTrainingRun') {
          to('model', e.event.data.modelId, 'consumer', e);
        }
      }
      break;
    case 'consent':
    case 'model':
      // Leaves: a model's other training datasets and a subject's objects are not this entity's lineage.
      break;
    default:
      return assertNever(node.kind, 'history node kind');
  }
  return links;
}
