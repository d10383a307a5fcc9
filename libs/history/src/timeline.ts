import type { GlobalPosition } from '@medlineage/event-store';
import type { Actor, Producer, PurposeOfUse } from '@medlineage/kernel';

/** What an investigator asks about. `study` and `subject` ids are the pseudonymous keys events carry. */
export const HISTORY_ENTITY_KINDS = ['object', 'dataset', 'study', 'subject'] as const;
export type HistoryEntityKind = (typeof HISTORY_ENTITY_KINDS)[number];

export interface HistoryEntity {
  readonly kind: HistoryEntityKind;
  readonly id: string;
}

/** The aggregate a timeline entry belongs to (the stream it was read from). */
export type HistoryNodeKind = 'object' | 'dataset' | 'consent' | 'model';

export interface HistoryNode {
  readonly kind: HistoryNodeKind;
  readonly id: string;
}

/**
 * Why a linked node is in a timeline:
 * - `derived`: a derivative of `from` (ObjectDeidentified in the source, or DerivedObjectCreated naming it);
 * - `member`: listed in a manifest of dataset `from` (DatasetVersionCreated);
 * - `consumer`: a model trained on dataset `from` (DatasetConsumedByTrainingRun);
 * - `study-member` / `subject-object`: an object carrying the study key / pseudonymous subject id;
 * - `consent`: the subject's consent stream.
 */
export type LinkRelation = 'derived' | 'member' | 'consumer' | 'study-member' | 'subject-object' | 'consent';

export interface HistoryLink {
  /** Null when the link starts at the entity asked about and it has no stream of its own (study, subject). */
  readonly from: HistoryNode | null;
  readonly to: HistoryNode;
  readonly relation: LinkRelation;
  /** Global position of the event that established the link. */
  readonly establishedAt: GlobalPosition;
}

export interface TimelineEntry {
  readonly position: GlobalPosition;
  readonly streamName: string;
  readonly revision: bigint;
  readonly eventId: string;
  readonly eventType: string;
  /** Version the event was written at, and the current version it was decoded (and upcast) into. */
  readonly schemaVersion: { readonly writer: number; readonly current: number };
  readonly occurredAt: Date;
  readonly recordedAt: Date;
  readonly actor: Actor;
  readonly purposeOfUse: PurposeOfUse | null;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly producer: Producer;
  /** The aggregate whose stream holds the event. */
  readonly node: HistoryNode;
  /** Links from the entity asked about (0: its own stream). */
  readonly depth: number;
  /** How the node was reached (null for the entity's own stream). */
  readonly via: HistoryLink | null;
  /** PHI-free: ids, codes, classes, reasons; never envelope contents, hashes of names or free text. */
  readonly summary: string;
}
