import { applyDecorators, Controller, Get, Param, Query as QueryString, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  DATA_CLASSES,
  INTENDED_USES,
  OBJECT_FORMATS,
  SENSITIVITIES,
  STORAGE_TIERS,
} from '@medlineage/domain';
import { HISTORY_ENTITY_KINDS, type HistoryEntityKind } from '@medlineage/history';
import { PURPOSES_OF_USE } from '@medlineage/kernel';
import type {
  AuditEntry,
  CatalogEntry,
  CatalogSortField,
  CatalogStatus,
  LineageDirection,
  LineageGraph,
  Page,
  SortDirection,
  SubjectConsent,
} from '@medlineage/read-models';
import { badRequest, notFound } from './http/errors';
import { QueryParams, pathId } from './http/params';
import { Context, RequestContextGuard, type RequestContext } from './http/request-context';
import {
  GetCatalogObjectQuery,
  GetProjectionStatusQuery,
  GetSubjectConsentQuery,
  GetTimelineQuery,
  SearchAuditQuery,
  SearchCatalogQuery,
  TraceLineageQuery,
  type ProjectionStatusView,
  type TimelineEntryView,
} from './queries';
import { RecordApiAccessCommand } from './record-access';

const CATALOG_STATUSES = [
  'ingested',
  'derived',
  'rejected',
  'classified',
  'under-review',
  'quarantined',
  'disposed',
] as const satisfies readonly CatalogStatus[];
const SORT_FIELDS = ['ingestedAt', 'updatedAt', 'objectId'] as const satisfies readonly CatalogSortField[];
const DIRECTIONS = ['asc', 'desc'] as const satisfies readonly SortDirection[];
const LINEAGE_DIRECTIONS = ['upstream', 'downstream'] as const satisfies readonly LineageDirection[];

const CATALOG_PARAMS = [
  'status',
  'subjectId',
  'studyKey',
  'seriesKey',
  'site',
  'dataClass',
  'format',
  'modality',
  'sensitivity',
  'tier',
  'phiBearing',
  'deidentified',
  'underLegalHold',
  'eligibleFor',
  'ingestedFrom',
  'ingestedBefore',
  'sort',
  'direction',
  'limit',
  'cursor',
] as const;
const AUDIT_PARAMS = [
  'actor',
  'subject',
  'object',
  'dataset',
  'model',
  'eventType',
  'from',
  'to',
  'direction',
  'limit',
  'cursor',
] as const;

const MAX_LIMIT = 500;

/** Documents optional query parameters (the handlers validate them by hand). */
function ApiQueries(names: readonly string[]): MethodDecorator {
  return applyDecorators(...names.map((name) => ApiQuery({ name, required: false, type: String })));
}

/** The v1 query API: every route needs X-Actor and X-Purpose-Of-Use; reads of object data are audited. */
@ApiTags('v1')
@ApiHeader({ name: 'X-Actor', required: true, description: 'user:<id> or service:<id>' })
@ApiHeader({ name: 'X-Purpose-Of-Use', required: true, enum: [...PURPOSES_OF_USE] })
@ApiHeader({ name: 'X-Request-Id', required: false, description: 'idempotency key of audited reads' })
@UseGuards(RequestContextGuard)
@Controller('v1')
export class V1Controller {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get('catalog')
  @ApiOperation({ summary: 'Search the catalog (keyset pagination: pass nextCursor back as cursor)' })
  @ApiQueries(CATALOG_PARAMS)
  catalog(@QueryString() query: unknown): Promise<Page<CatalogEntry>> {
    const q = QueryParams.parse(query, CATALOG_PARAMS);
    const ingestedFrom = q.date('ingestedFrom');
    const ingestedBefore = q.date('ingestedBefore');
    const status = q.listOf('status', CATALOG_STATUSES);
    const subjectId = q.string('subjectId');
    const studyKey = q.string('studyKey');
    const seriesKey = q.string('seriesKey');
    const site = q.string('site');
    const dataClass = q.oneOf('dataClass', DATA_CLASSES);
    const format = q.oneOf('format', OBJECT_FORMATS);
    const modality = q.string('modality', 16);
    const sensitivity = q.oneOf('sensitivity', SENSITIVITIES);
    const tier = q.oneOf('tier', STORAGE_TIERS);
    const phiBearing = q.boolean('phiBearing');
    const deidentified = q.boolean('deidentified');
    const underLegalHold = q.boolean('underLegalHold');
    const eligibleFor = q.oneOf('eligibleFor', INTENDED_USES);
    const sort = q.oneOf('sort', SORT_FIELDS);
    const direction = q.oneOf('direction', DIRECTIONS);
    const limit = q.integer('limit', 1, MAX_LIMIT);
    const cursor = q.string('cursor', 2000);
    return this.queryBus.execute(
      new SearchCatalogQuery({
        filter: {
          ...(status === undefined ? {} : { status }),
          ...(subjectId === undefined ? {} : { subjectId }),
          ...(studyKey === undefined ? {} : { studyKey }),
          ...(seriesKey === undefined ? {} : { seriesKey }),
          ...(site === undefined ? {} : { site }),
          ...(dataClass === undefined ? {} : { dataClass }),
          ...(format === undefined ? {} : { format }),
          ...(modality === undefined ? {} : { modality }),
          ...(sensitivity === undefined ? {} : { sensitivity }),
          ...(tier === undefined ? {} : { tier }),
          ...(phiBearing === undefined ? {} : { phiBearing }),
          ...(deidentified === undefined ? {} : { deidentified }),
          ...(underLegalHold === undefined ? {} : { underLegalHold }),
          ...(eligibleFor === undefined ? {} : { eligibleFor }),
          ...(ingestedFrom === undefined ? {} : { ingestedFrom }),
          ...(ingestedBefore === undefined ? {} : { ingestedBefore }),
        },
        ...(sort === undefined ? {} : { sort }),
        ...(direction === undefined ? {} : { direction }),
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      }),
    );
  }

  @Get('objects/:objectId')
  @ApiOperation({ summary: 'One catalog object; the read is recorded as an ObjectAccessed event' })
  @ApiParam({ name: 'objectId' })
  async object(
    @Param('objectId') objectIdParam: string,
    @QueryString() query: unknown,
    @Context() context: RequestContext,
  ): Promise<CatalogEntry> {
    QueryParams.parse(query, []);
    const objectId = pathId('objectId', objectIdParam);
    const entry = await this.queryBus.execute(new GetCatalogObjectQuery(objectId));
    if (entry === null) throw notFound(`object ${objectId} not found`);
    await this.commandBus.execute(
      new RecordApiAccessCommand(objectId, 'object', context, Buffer.byteLength(JSON.stringify(entry))),
    );
    return entry;
  }

  @Get('lineage/:nodeId')
  @ApiOperation({ summary: 'What a node came from (upstream) or what came of it (downstream)' })
  @ApiParam({ name: 'nodeId', description: '<kind>:<id>, e.g. object:<uuid>, model:<uuid>' })
  @ApiQueries(['direction', 'depth'])
  async lineage(@Param('nodeId') nodeIdParam: string, @QueryString() query: unknown): Promise<LineageGraph> {
    const q = QueryParams.parse(query, ['direction', 'depth']);
    const nodeId = pathId('nodeId', nodeIdParam);
    const direction = q.oneOf('direction', LINEAGE_DIRECTIONS) ?? 'downstream';
    const depth = q.integer('depth', 1, 10) ?? 10;
    const graph = await this.queryBus.execute(new TraceLineageQuery(nodeId, direction, depth));
    if (!graph.nodes.some((n) => n.nodeId === nodeId)) throw notFound(`lineage node ${nodeId} not found`);
    return graph;
  }

  @Get('audit')
  @ApiOperation({ summary: 'Audit trail in log order (actor: <id>, user:<id> or service:<id>)' })
  @ApiQueries(AUDIT_PARAMS)
  audit(@QueryString() query: unknown): Promise<Page<AuditEntry>> {
    const q = QueryParams.parse(query, AUDIT_PARAMS);
    const actor = q.string('actor');
    const actorId = actor?.replace(/^(user|service):/, '');
    const subjectId = q.string('subject');
    const objectId = q.string('object');
    const datasetId = q.string('dataset');
    const modelId = q.string('model');
    const eventType = q.string('eventType', 100);
    const from = q.date('from');
    const to = q.date('to');
    const direction = q.oneOf('direction', DIRECTIONS);
    const limit = q.integer('limit', 1, MAX_LIMIT);
    const cursor = q.string('cursor', 2000);
    return this.queryBus.execute(
      new SearchAuditQuery({
        filter: {
          ...(actorId === undefined ? {} : { actorId }),
          ...(subjectId === undefined ? {} : { subjectId }),
          ...(objectId === undefined ? {} : { objectId }),
          ...(datasetId === undefined ? {} : { datasetId }),
          ...(modelId === undefined ? {} : { modelId }),
          ...(eventType === undefined ? {} : { eventType }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        },
        ...(direction === undefined ? {} : { direction }),
        ...(limit === undefined ? {} : { limit }),
        ...(cursor === undefined ? {} : { cursor }),
      }),
    );
  }

  @Get('subjects/:subjectId/consent')
  @ApiOperation({ summary: "A pseudonymous subject's current consent and its history" })
  @ApiParam({ name: 'subjectId' })
  async consent(
    @Param('subjectId') subjectIdParam: string,
    @QueryString() query: unknown,
  ): Promise<SubjectConsent> {
    QueryParams.parse(query, []);
    const subjectId = pathId('subjectId', subjectIdParam);
    const consent = await this.queryBus.execute(new GetSubjectConsentQuery(subjectId));
    if (consent.current === null && consent.history.length === 0) {
      throw notFound(`no consent recorded for subject ${subjectId}`);
    }
    return consent;
  }

  @Get('projections')
  @ApiOperation({ summary: 'Status of each read-model projector: position, lag, version' })
  async projections(
    @QueryString() query: unknown,
  ): Promise<{ readonly projections: readonly ProjectionStatusView[] }> {
    QueryParams.parse(query, []);
    return { projections: await this.queryBus.execute(new GetProjectionStatusQuery()) };
  }

  @Get('history/:kind/:id')
  @ApiOperation({ summary: 'Timeline of an entity and what is linked to it, optionally as of an instant' })
  @ApiParam({ name: 'kind', enum: [...HISTORY_ENTITY_KINDS] })
  @ApiParam({ name: 'id' })
  @ApiQueries(['asOf'])
  async history(
    @Param('kind') kindParam: string,
    @Param('id') idParam: string,
    @QueryString() query: unknown,
    @Context() context: RequestContext,
  ): Promise<{
    readonly entity: { readonly kind: HistoryEntityKind; readonly id: string };
    readonly asOf: string | null;
    readonly entries: readonly TimelineEntryView[];
  }> {
    const q = QueryParams.parse(query, ['asOf']);
    const kind = HISTORY_ENTITY_KINDS.find((k) => k === kindParam);
    if (kind === undefined) throw badRequest(`kind must be one of ${HISTORY_ENTITY_KINDS.join(', ')}`);
    const id = pathId('id', idParam);
    const asOf = q.date('asOf');
    const entries = await this.queryBus.execute(new GetTimelineQuery({ kind, id }, asOf));
    if (entries.length === 0) throw notFound(`no history for ${kind} ${id}`);
    const body = { entity: { kind, id }, asOf: asOf?.toISOString() ?? null, entries };
    if (kind === 'object') {
      await this.commandBus.execute(
        new RecordApiAccessCommand(id, 'history', context, Buffer.byteLength(JSON.stringify(body))),
      );
    }
    return body;
  }
}
