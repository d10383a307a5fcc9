import type { EventType, ToolVersion } from '@medlineage/domain';
import { assertNever } from '@medlineage/kernel';
import type { ReadModelTransaction } from '../database';
import { physicalTable } from '../generations';
import { executePrepared } from '../prepared';
import { eventByEvent, isOneOf, type DecodedEvent, type Projection, type SchemaDb } from '../projection';

export const LINEAGE_EVENT_TYPES = [
  'DerivedObjectCreated',
  'ObjectDeidentified',
  'DatasetVersionCreated',
  'DatasetExportIssued',
  'DatasetConsumedByTrainingRun',
  'ModelRegistered',
] as const satisfies readonly EventType[];

export type LineageNodeKind = 'object' | 'dataset' | 'dataset-version' | 'export' | 'model';
export type LineageEdgeKind =
  'derived' | 'deidentified' | 'version-of' | 'member-of' | 'exported' | 'trained';

/** Node ids are `<kind>:<id>` (dataset versions `dataset-version:<datasetId>@<version>`). */
export const lineageNodeId = {
  object: (objectId: string): string => `object:${objectId}`,
  dataset: (datasetId: string): string => `dataset:${datasetId}`,
  datasetVersion: (datasetId: string, version: number): string => `dataset-version:${datasetId}@${version}`,
  export: (exportId: string): string => `export:${exportId}`,
  model: (modelId: string): string => `model:${modelId}`,
} as const;

interface NodeSpec {
  readonly id: string;
  readonly kind: LineageNodeKind;
  readonly refId: string;
  readonly label?: string;
}

interface EdgeSpec {
  readonly from: string;
  readonly to: string;
  readonly kind: LineageEdgeKind;
  readonly transformation?: string;
  readonly tool?: ToolVersion;
  readonly detail?: Readonly<Record<string, unknown>>;
}

async function node(trx: ReadModelTransaction, e: DecodedEvent, spec: NodeSpec): Promise<void> {
  const label = spec.label ?? null;
  const row = {
    node_id: spec.id,
    kind: spec.kind,
    ref_id: spec.refId,
    label,
    first_position: e.positionText,
  };
  if (label === null) {
    await executePrepared(trx, 'lineage.node', row, (p) =>
      trx
        .insertInto('lineage_nodes')
        .values(p)
        .onConflict((oc) => oc.column('node_id').doNothing()),
    );
    return;
  }
  await executePrepared(trx, 'lineage.labelledNode', { row, label }, (p) =>
    trx
      .insertInto('lineage_nodes')
      .values(p.row)
      .onConflict((oc) => oc.column('node_id').doUpdateSet({ label: p.label })),
  );
}

async function edge(trx: ReadModelTransaction, e: DecodedEvent, spec: EdgeSpec): Promise<void> {
  const row = {
    edge_id: `${spec.kind}|${spec.from}|${spec.to}`,
    from_node: spec.from,
    to_node: spec.to,
    kind: spec.kind,
    transformation: spec.transformation ?? null,
    tool_name: spec.tool?.name ?? null,
    tool_version: spec.tool?.version ?? null,
    detail: spec.detail === undefined ? null : JSON.stringify(spec.detail),
    event_id: e.id,
    position: e.positionText,
  };
  await executePrepared(trx, 'lineage.edge', row, (p) =>
    trx
      .insertInto('lineage_edges')
      .values(p)
      .onConflict((oc) => oc.column('edge_id').doNothing()),
  );
}

const objectNode = (objectId: string): NodeSpec => ({
  id: lineageNodeId.object(objectId),
  kind: 'object',
  refId: objectId,
});

function versionNode(datasetId: string, version: number): NodeSpec {
  return {
    id: lineageNodeId.datasetVersion(datasetId, version),
    kind: 'dataset-version',
    refId: `${datasetId}@${version}`,
    label: `v${version}`,
  };
}

/** Generation `g`'s tables (`lineage_v<g>_…`), empty. */
async function createTables(db: SchemaDb, g: number): Promise<void> {
  await db.schema
    .createTable(physicalTable('lineage_nodes', g))
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('first_position', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable(physicalTable('lineage_edges', g))
    .addColumn('edge_id', 'text', (c) => c.primaryKey())
    .addColumn('from_node', 'text', (c) => c.notNull())
    .addColumn('to_node', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('transformation', 'text')
    .addColumn('tool_name', 'text')
    .addColumn('tool_version', 'text')
    .addColumn('detail', 'text')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .execute();
}

/** Graph walks follow edges both ways. */
async function createQueryIndexes(db: SchemaDb, g: number): Promise<void> {
  const edges = physicalTable('lineage_edges', g);
  for (const [column, name] of [
    ['from_node', 'from'],
    ['to_node', 'to'],
  ] as const) {
    await db.schema.createIndex(`${edges}_${name}_idx`).ifNotExists().on(edges).column(column).execute();
  }
}

/** Provenance graph: objects → derivatives → dataset versions → exports and models. */
export const lineageProjection: Projection = {
  name: 'lineage',
  schemaVersion: 1,
  createTables,
  createQueryIndexes,
  eventTypes: LINEAGE_EVENT_TYPES,
  begin: eventByEvent(async (trx, e) => {
    const { event } = e;
    if (!isOneOf(event, LINEAGE_EVENT_TYPES)) return;
    switch (event.type) {
      case 'DerivedObjectCreated': {
        const d = event.data;
        const target = objectNode(d.objectId);
        await node(trx, e, target);
        for (const source of d.derivedFrom) {
          await node(trx, e, objectNode(source));
          await edge(trx, e, {
            from: lineageNodeId.object(source),
            to: target.id,
            kind: 'derived',
            transformation: d.transformation,
            tool: d.tool,
          });
        }
        return;
      }
      case 'ObjectDeidentified': {
        const d = event.data;
        await node(trx, e, objectNode(d.objectId));
        await node(trx, e, objectNode(d.derivedObjectId));
        await edge(trx, e, {
          from: lineageNodeId.object(d.objectId),
          to: lineageNodeId.object(d.derivedObjectId),
          kind: 'deidentified',
          transformation: 'DEIDENTIFICATION',
          tool: d.tool,
          detail: { profileId: d.profile.profileId, profileVersion: d.profile.profileVersion },
        });
        return;
      }
      case 'DatasetVersionCreated': {
        const d = event.data;
        const version = versionNode(d.datasetId, d.version);
        await node(trx, e, { id: lineageNodeId.dataset(d.datasetId), kind: 'dataset', refId: d.datasetId });
        await node(trx, e, version);
        await edge(trx, e, { from: lineageNodeId.dataset(d.datasetId), to: version.id, kind: 'version-of' });
        for (const objectId of d.manifest.objectIds) {
          await node(trx, e, objectNode(objectId));
          await edge(trx, e, { from: lineageNodeId.object(objectId), to: version.id, kind: 'member-of' });
        }
        return;
      }
      case 'DatasetExportIssued': {
        const d = event.data;
        const version = versionNode(d.datasetId, d.version);
        const target: NodeSpec = { id: lineageNodeId.export(d.exportId), kind: 'export', refId: d.exportId };
        await node(trx, e, version);
        await node(trx, e, target);
        await edge(trx, e, {
          from: version.id,
          to: target.id,
          kind: 'exported',
          detail: { recipientId: d.recipientId, purpose: d.purpose, residency: d.destinationResidency },
        });
        return;
      }
      case 'DatasetConsumedByTrainingRun': {
        const d = event.data;
        const version = versionNode(d.datasetId, d.version);
        await node(trx, e, version);
        await node(trx, e, { id: lineageNodeId.model(d.modelId), kind: 'model', refId: d.modelId });
        await edge(trx, e, {
          from: version.id,
          to: lineageNodeId.model(d.modelId),
          kind: 'trained',
          transformation: 'TRAINING',
          tool: d.trainer,
          detail: { trainingRunId: d.trainingRunId, codeRef: d.codeRef },
        });
        return;
      }
      case 'ModelRegistered': {
        const d = event.data;
        const model: NodeSpec = {
          id: lineageNodeId.model(d.modelId),
          kind: 'model',
          refId: d.modelId,
          label: `${d.name} ${d.version}`,
        };
        await node(trx, e, model);
        for (const ref of d.trainedOn) {
          const version = versionNode(ref.datasetId, ref.version);
          await node(trx, e, version);
          await edge(trx, e, {
            from: version.id,
            to: model.id,
            kind: 'trained',
            transformation: 'TRAINING',
            tool: d.framework,
            detail: { trainingRunId: d.trainingRunId },
          });
        }
        return;
      }
      default:
        assertNever(event, 'lineage event');
    }
  }),
};
