import { assertNever } from '@medlineage/kernel';
import type { DataObjectState, DatasetState, SubjectConsentState } from '@medlineage/domain';
import type { EntityAsOf } from './history-service';
import type { TimelineEntry } from './timeline';

const INDENT = '  ';

/**
 * One line per event, for a person: recorded time, (indented by link depth) event type, actor,
 * purpose of use, summary. Linked entities are indented under the entity asked about and tagged
 * with how they were reached. When the event occurred noticeably earlier than it was recorded,
 * the occurrence time follows the recorded one.
 */
export function formatTimeline(entries: readonly TimelineEntry[]): string {
  return entries.map(formatEntry).join('\n');
}

function formatEntry(e: TimelineEntry): string {
  const occurred =
    e.occurredAt.getTime() === e.recordedAt.getTime() ? '' : ` (occurred ${e.occurredAt.toISOString()})`;
  const via = e.via === null ? '' : ` [${e.via.relation}]`;
  return [
    `${e.recordedAt.toISOString()}${occurred}`,
    `${INDENT.repeat(e.depth)}${e.eventType}${via}`,
    `${e.actor.kind}:${e.actor.id}`,
    `purpose ${e.purposeOfUse ?? '-'}`,
    e.summary,
  ].join('  ');
}

/** A few PHI-free lines describing an entity as of an instant. */
export function formatAsOf(result: EntityAsOf): string {
  const head = `As of ${result.at.toISOString()} (what the platform had recorded):`;
  const lineage = result.lineage.map(
    (l) =>
      `${INDENT}link ${l.relation}: ${l.from === null ? result.kind : `${l.from.kind} ${l.from.id}`} -> ${l.to.kind} ${l.to.id}`,
  );
  switch (result.kind) {
    case 'object':
      return [head, `${INDENT}object ${result.id}: ${describeObject(result.state)}`, ...lineage].join('\n');
    case 'dataset':
      return [head, `${INDENT}dataset ${result.id}: ${describeDataset(result.state)}`, ...lineage].join('\n');
    case 'subject':
      return [
        head,
        `${INDENT}subject ${result.id} consent: ${describeConsent(result.consent)}`,
        ...result.objects.map((o) => `${INDENT}object ${o.objectId}: ${describeObject(o.state)}`),
        ...lineage,
      ].join('\n');
    case 'study':
      return [
        head,
        `${INDENT}study ${result.id}: ${result.objects.length} objects`,
        ...result.objects.map((o) => `${INDENT}object ${o.objectId}: ${describeObject(o.state)}`),
        ...lineage,
      ].join('\n');
    default:
      return assertNever(result, 'entity as of');
  }
}

export function describeObject(state: DataObjectState): string {
  switch (state.status) {
    case 'absent':
      return 'not known';
    case 'rejected':
      return 'rejected';
    case 'stored':
    case 'quarantined':
    case 'under-review':
    case 'disposed':
      return `${state.status}; ${facts(state.object)}`;
    case 'classified':
      return `classified ${state.classification.dataClass} (${state.classification.sensitivity}); ${facts(state.object)}`;
    default:
      return assertNever(state, 'data object state');
  }
}

function facts(o: Extract<DataObjectState, { readonly object: unknown }>['object']): string {
  const holds = o.activeHoldIds.length === 0 ? 'no holds' : `holds ${o.activeHoldIds.join(',')}`;
  return `${o.origin}, tier ${o.tier}, ${holds}`;
}

export function describeDataset(state: DatasetState): string {
  switch (state.status) {
    case 'undefined':
      return 'not known';
    case 'defined': {
      const valid = state.versions.filter((v) => v.invalidation === null).length;
      return `defined for ${state.definition.purpose}; ${state.versions.length} versions (${valid} valid), ${state.exportIds.length} exports, ${state.trainingRunIds.length} training runs`;
    }
    default:
      return assertNever(state, 'dataset state');
  }
}

export function describeConsent(state: SubjectConsentState): string {
  switch (state.status) {
    case 'none':
      return 'none recorded';
    case 'active':
      return `active ${state.consent.consentId}; permits ${state.consent.permittedUses.join(',') || '-'}`;
    case 'revoked':
      return `revoked ${state.last.consentId} (${state.last.scope})`;
    default:
      return assertNever(state, 'consent state');
  }
}
