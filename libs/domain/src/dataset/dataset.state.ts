import { assertNever } from '@medlineage/kernel';
import type {
  DatasetDefinedData,
  DatasetEvent,
  DatasetVersionCreatedData,
  InvalidationReason,
} from './dataset.events';

export interface DatasetVersionState {
  readonly created: DatasetVersionCreatedData;
  readonly invalidation: InvalidationReason | null;
}

export type DatasetState =
  | { readonly status: 'undefined' }
  | {
      readonly status: 'defined';
      readonly definition: DatasetDefinedData;
      /** Index i holds version i + 1 (versions are consecutive). */
      readonly versions: readonly DatasetVersionState[];
      readonly exportIds: readonly string[];
      readonly trainingRunIds: readonly string[];
    };

export const initialDatasetState = (): DatasetState => ({ status: 'undefined' });

export function evolveDataset(state: DatasetState, event: DatasetEvent): DatasetState {
  switch (event.type) {
    case 'DatasetDefined':
      return state.status === 'undefined'
        ? { status: 'defined', definition: event.data, versions: [], exportIds: [], trainingRunIds: [] }
        : state;
    case 'DatasetVersionCreated':
      if (state.status !== 'defined' || event.data.version !== state.versions.length + 1) return state;
      return { ...state, versions: [...state.versions, { created: event.data, invalidation: null }] };
    case 'DatasetVersionInvalidated':
      if (state.status !== 'defined') return state;
      return {
        ...state,
        versions: state.versions.map((v) =>
          v.created.version === event.data.version && v.invalidation === null
            ? { ...v, invalidation: event.data.reasonCode }
            : v,
        ),
      };
    case 'DatasetExportIssued':
      return state.status === 'defined'
        ? { ...state, exportIds: [...state.exportIds, event.data.exportId] }
        : state;
    case 'DatasetConsumedByTrainingRun':
      return state.status === 'defined'
        ? { ...state, trainingRunIds: [...state.trainingRunIds, event.data.trainingRunId] }
        : state;
    default:
      return assertNever(event, 'dataset event');
  }
}

/** The version with that number, or undefined. */
export function datasetVersion(
  state: Extract<DatasetState, { readonly status: 'defined' }>,
  version: number,
): DatasetVersionState | undefined {
  return state.versions[version - 1];
}
