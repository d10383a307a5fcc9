import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import type { EventSourcedRepository } from '@medlineage/event-sourcing';
import type { ReadModelDb } from '@medlineage/read-models';

/** Already-open stores the API reads and writes through (main.ts and the tests build them). */
export interface ApiDependencies {
  /** The read-model database; queries read its active generations (see ServingReadModels). */
  readonly readModels: ReadModelDb;
  readonly events: EventStore;
  readonly codec: EventCodec;
  readonly repository: EventSourcedRepository;
  /** @defaultValue () => new Date() */
  readonly clock?: () => Date;
}

export const READ_MODELS = Symbol('READ_MODELS');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const EVENT_CODEC = Symbol('EVENT_CODEC');
export const REPOSITORY = Symbol('REPOSITORY');
export const HISTORY = Symbol('HISTORY');
export const CLOCK = Symbol('CLOCK');

/** The producer recorded on events the API writes (access audits). */
export const API_PRODUCER = { name: '@medlineage/api', version: '0.1.0' } as const;
