import { streamName } from '../stream-name';

export const MODEL_STREAM_CATEGORY = 'model';

/** `model-<modelId>`. */
export const modelStreamName = (modelId: string): string => streamName(MODEL_STREAM_CATEGORY, modelId);
