import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatPosition, type EventStore, type GlobalPosition } from '@medlineage/event-store';
import type { HistoryEntity, HistoryLink, HistoryService, TimelineEntry } from '@medlineage/history';
import {
  getCatalogObject,
  getSubjectConsent,
  searchAudit,
  searchCatalog,
  traceLineage,
  type AuditEntry,
  type AuditSearch,
  type CatalogEntry,
  type CatalogSearch,
  type LineageDirection,
  type LineageGraph,
  type Page,
  projectionReports,
  PROJECTIONS,
  type ServingReadModels,
  type SubjectConsent,
} from '@medlineage/read-models';
import { EVENT_STORE, HISTORY, READ_MODELS } from './api.dependencies';

export class SearchCatalogQuery extends Query<Page<CatalogEntry>> {
  constructor(readonly search: CatalogSearch) {
    super();
  }
}

export class GetCatalogObjectQuery extends Query<CatalogEntry | null> {
  constructor(readonly objectId: string) {
    super();
  }
}

export class SearchAuditQuery extends Query<Page<AuditEntry>> {
  constructor(readonly search: AuditSearch) {
    super();
  }
}

export class GetSubjectConsentQuery extends Query<SubjectConsent> {
  constructor(readonly subjectId: string) {
    super();
  }
}

export class TraceLineageQuery extends Query<LineageGraph> {
  constructor(
    readonly nodeId: string,
    readonly direction: LineageDirection,
    readonly depth: number,
  ) {
    super();
  }
}

export interface ProjectionStatusView {
  readonly projection: string;
  /** Active generation (what queries read); null before the projector first ran. */
  readonly version: number | null;
  /** Schema version that built the active generation, and the one this build writes. */
  readonly schemaVersion: number | null;
  readonly codeSchemaVersion: number;
  /** True when the active generation is from another schema: readable, not fed until rebuilt. */
  readonly stale: boolean;
  readonly position: string;
  readonly eventsApplied: number;
  readonly headPosition: string | null;
  /** Decimal text: the store's position units can exceed 2^53 on EventStoreDB. */
  readonly lag: string;
  readonly caughtUp: boolean;
  /** A blue/green rebuild under way (or interrupted) beside the active generation. */
  readonly rebuilding: {
    readonly version: number;
    readonly position: string;
    readonly eventsApplied: number;
    readonly lag: string;
  } | null;
}

export class GetProjectionStatusQuery extends Query<readonly ProjectionStatusView[]> {}

/** A timeline entry as JSON: positions and revisions as text, times as ISO-8601. */
export interface TimelineEntryView {
  readonly position: string;
  readonly streamName: string;
  readonly revision: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly schemaVersion: { readonly writer: number; readonly current: number };
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: { readonly kind: string; readonly id: string };
  readonly purposeOfUse: string | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly producer: { readonly name: string; readonly version: string };
  readonly node: { readonly kind: string; readonly id: string };
  readonly depth: number;
  readonly via: {
    readonly from: { readonly kind: string; readonly id: string } | null;
    readonly to: { readonly kind: string; readonly id: string };
    readonly relation: string;
    readonly establishedAt: string;
  } | null;
  readonly summary: string;
}

export class GetTimelineQuery extends Query<readonly TimelineEntryView[]> {
  constructor(
    readonly entity: HistoryEntity,
    readonly asOf: Date | undefined,
  ) {
    super();
  }
}

@QueryHandler(SearchCatalogQuery)
export class SearchCatalogHandler implements IQueryHandler<SearchCatalogQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ServingReadModels) {}
  async execute(query: SearchCatalogQuery): Promise<Page<CatalogEntry>> {
    return searchCatalog(await this.readModels.view(), query.search);
  }
}

@QueryHandler(GetCatalogObjectQuery)
export class GetCatalogObjectHandler implements IQueryHandler<GetCatalogObjectQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ServingReadModels) {}
  async execute(query: GetCatalogObjectQuery): Promise<CatalogEntry | null> {
    return getCatalogObject(await this.readModels.view(), query.objectId);
  }
}

@QueryHandler(SearchAuditQuery)
export class SearchAuditHandler implements IQueryHandler<SearchAuditQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ServingReadModels) {}
  async execute(query: SearchAuditQuery): Promise<Page<AuditEntry>> {
    return searchAudit(await this.readModels.view(), query.search);
  }
}

@QueryHandler(GetSubjectConsentQuery)
export class GetSubjectConsentHandler implements IQueryHandler<GetSubjectConsentQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ServingReadModels) {}
  async execute(query: GetSubjectConsentQuery): Promise<SubjectConsent> {
    return getSubjectConsent(await this.readModels.view(), query.subjectId);
  }
}

@QueryHandler(TraceLineageQuery)
export class TraceLineageHandler implements IQueryHandler<TraceLineageQuery> {
  constructor(@Inject(READ_MODELS) private readonly readModels: ServingReadModels) {}
  async execute(query: TraceLineageQuery): Promise<LineageGraph> {
    return traceLineage(await this.readModels.view(), query.nodeId, query.direction, query.depth);
  }
}

@QueryHandler(GetProjectionStatusQuery)
export class GetProjectionStatusHandler implements IQueryHandler<GetProjectionStatusQuery> {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ServingReadModels,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}
  async execute(): Promise<readonly ProjectionStatusView[]> {
    const head = await this.events.headPosition();
    const reports = await projectionReports(this.readModels.db, this.events, PROJECTIONS, head);
    return reports.map((r) => ({
      projection: r.projection,
      version: r.active?.generation ?? null,
      schemaVersion: r.active?.schemaVersion ?? null,
      codeSchemaVersion: r.codeSchemaVersion,
      stale: r.stale,
      position: r.active?.position ?? 'start',
      eventsApplied: r.active?.eventsApplied ?? 0,
      headPosition: head === null ? null : formatPosition(head),
      lag: String(r.active?.lag ?? 0n),
      caughtUp: r.active?.caughtUp ?? false,
      rebuilding:
        r.rebuilding === null
          ? null
          : {
              version: r.rebuilding.generation,
              position: r.rebuilding.position,
              eventsApplied: r.rebuilding.eventsApplied,
              lag: String(r.rebuilding.lag),
            },
    }));
  }
}

@QueryHandler(GetTimelineQuery)
export class GetTimelineHandler implements IQueryHandler<GetTimelineQuery> {
  constructor(@Inject(HISTORY) private readonly history: HistoryService) {}
  async execute(query: GetTimelineQuery): Promise<readonly TimelineEntryView[]> {
    const entries = await this.history.timeline(
      query.entity,
      query.asOf === undefined ? {} : { asOf: query.asOf },
    );
    return entries.map(toTimelineView);
  }
}

const position = (p: GlobalPosition): string => formatPosition(p);

function toLinkView(link: HistoryLink): NonNullable<TimelineEntryView['via']> {
  return {
    from: link.from === null ? null : { kind: link.from.kind, id: link.from.id },
    to: { kind: link.to.kind, id: link.to.id },
    relation: link.relation,
    establishedAt: position(link.establishedAt),
  };
}

function toTimelineView(e: TimelineEntry): TimelineEntryView {
  return {
    position: position(e.position),
    streamName: e.streamName,
    revision: String(e.revision),
    eventId: e.eventId,
    eventType: e.eventType,
    schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: e.recordedAt.toISOString(),
    actor: { kind: e.actor.kind, id: e.actor.id },
    purposeOfUse: e.purposeOfUse,
    correlationId: e.correlationId,
    causationId: e.causationId,
    producer: { name: e.producer.name, version: e.producer.version },
    node: { kind: e.node.kind, id: e.node.id },
    depth: e.depth,
    via: e.via === null ? null : toLinkView(e.via),
    summary: e.summary,
  };
}

export const QUERY_HANDLERS = [
  SearchCatalogHandler,
  GetCatalogObjectHandler,
  SearchAuditHandler,
  GetSubjectConsentHandler,
  TraceLineageHandler,
  GetProjectionStatusHandler,
  GetTimelineHandler,
];
