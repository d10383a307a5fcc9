import type { Decider } from '@medlineage/kernel';
import type { DataObjectCommand } from './data-object.commands';
import { decideDataObject } from './data-object.decide';
import type { DataObjectEvent } from './data-object.events';
import { evolveDataObject, initialDataObjectState, type DataObjectState } from './data-object.state';

/** Lifecycle of one data object: ingestion or derivation, classification, holds, retention, disposal, access. */
export const dataObjectDecider: Decider<DataObjectCommand, DataObjectState, DataObjectEvent> = {
  decide: decideDataObject,
  evolve: evolveDataObject,
  initialState: initialDataObjectState,
};
