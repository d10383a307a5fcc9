import type { Decider } from '@medlineage/kernel';
import type { DatasetCommand } from './dataset.commands';
import { decideDataset } from './dataset.decide';
import type { DatasetEvent } from './dataset.events';
import { evolveDataset, initialDatasetState, type DatasetState } from './dataset.state';

/** A governed dataset: definition, immutable versions, invalidation, exports and training use. */
export const datasetDecider: Decider<DatasetCommand, DatasetState, DatasetEvent> = {
  decide: decideDataset,
  evolve: evolveDataset,
  initialState: initialDatasetState,
};
