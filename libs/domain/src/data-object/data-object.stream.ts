import { streamName } from '../stream-name';

export const DATA_OBJECT_STREAM_CATEGORY = 'object';

/** `object-<objectId>`: one stream per ingested or derived object. */
export const dataObjectStreamName = (objectId: string): string =>
  streamName(DATA_OBJECT_STREAM_CATEGORY, objectId);
