import { parse, stringify, validate } from 'uuid';
import { InvalidEventStoreRequestError } from '@medlineage/event-store';

export function uuidToBytes(id: string): Buffer {
  if (!validate(id)) throw new InvalidEventStoreRequestError(`event id ${JSON.stringify(id)} is not a UUID`);
  return Buffer.from(parse(id));
}

export function bytesToUuid(bytes: Uint8Array): string {
  return stringify(bytes);
}
