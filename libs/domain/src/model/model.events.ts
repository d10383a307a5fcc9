import type { DomainEvent } from '@medlineage/kernel';
import type { ToolVersion } from '../common/value-objects';
import type { IntendedUse } from '../common/vocabularies';

/* Events of `model-<modelId>`, shaped like schemas/avro/events/model/<Type>.v<N>.avsc (current N). */

export const MODEL_EVENT_TYPES = ['ModelRegistered'] as const;
export type ModelEventType = (typeof MODEL_EVENT_TYPES)[number];

/** `com.medlineage.events.model.DatasetVersionRef`. */
export interface DatasetVersionRef {
  readonly datasetId: string;
  readonly version: number;
}

export interface ModelRegisteredData {
  readonly modelId: string;
  readonly name: string;
  readonly version: string;
  readonly trainingRunId: string;
  readonly trainedOn: readonly DatasetVersionRef[];
  readonly artifactSha256: string;
  readonly intendedUse: IntendedUse;
  readonly framework: ToolVersion;
}
export type ModelRegistered = DomainEvent<'ModelRegistered', ModelRegisteredData>;

export type ModelEvent = ModelRegistered;
