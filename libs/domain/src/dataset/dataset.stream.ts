import { streamName } from '../stream-name';

export const DATASET_STREAM_CATEGORY = 'dataset';

/** `dataset-<datasetId>`. */
export const datasetStreamName = (datasetId: string): string =>
  streamName(DATASET_STREAM_CATEGORY, datasetId);
