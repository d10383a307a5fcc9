import type { EventCodec } from '@medlineage/event-codec';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  type AllSubscription,
  type EventStore,
  type GlobalPosition,
} from '@medlineage/event-store';
import type { ReadModelDb, ReadModelTransaction } from './database';
import { withGenerations } from './generations';
import { decodeRecorded, type DecodedEvent, type Projection } from './projection';
import { toBigInt } from './schema';

/** Checkpoint text before the first event. */
export const START = 'start';

/**
 * While catching up, how many `checkpoint` messages (pages of the log scanned: 1,000 positions each
 * on the embedded store) may pass with events pending before those are committed short of a full
 * batch. Keeps a projection of a few event types from committing once per page without leaving its
 * checkpoint (and a rebuild's progress) far behind the scan.
 */
const DEFERRED_CHECKPOINTS = 32;

/**
 * The stored checkpoint was not where this instance left it: another instance of the same
 * projection version advanced it. This instance stops (its transaction rolled back); the other wins.
 */
export class CheckpointConflictError extends Error {
  override readonly name = 'CheckpointConflictError';
  constructor(
    readonly projection: string,
    readonly version: number,
    readonly expectedPosition: string,
  ) {
    super(
      `checkpoint of ${projection} v${version} is no longer at ${expectedPosition}: another projector instance advanced it`,
    );
  }
}

export interface ProjectorOptions {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
  readonly projection: Projection;
  /** Which generation's tables and checkpoint this projector feeds (see generations.ts). */
  readonly generation: number;
  /** Called after each committed batch (rebuild progress). */
  readonly onCommit?: (checkpoint: Checkpoint) => void;
  /** Events applied per transaction during catch-up (live events are applied one by one). @defaultValue 100 */
  readonly batchSize?: number;
  /** @defaultValue () => new Date() */
  readonly clock?: () => Date;
}

export interface Checkpoint {
  /** `formatPosition` text, or {@link START}. */
  readonly position: string;
  readonly eventsApplied: number;
}

export interface ProjectionStatus {
  readonly projection: string;
  readonly version: number;
  /** Stored checkpoint (exclusive resume point): `C:<commit>/P:<prepare>` or `start`. */
  readonly position: string;
  readonly eventsApplied: number;
  /** Last position of the global log, or null when it is empty. */
  readonly headPosition: string | null;
  /**
   * Head commit position minus checkpoint commit position, in the store's position units (events on
   * the embedded store, bytes of transaction log on EventStoreDB). 0 when caught up.
   */
  readonly lag: bigint;
  readonly caughtUp: boolean;
}

/** How far a checkpoint (`null`: at the start) is behind the log's head. */
export function progressOf(
  checkpoint: string | null,
  head: GlobalPosition | null,
): { readonly lag: bigint; readonly caughtUp: boolean } {
  const at = checkpoint === null ? null : parsePosition(checkpoint);
  const caughtUp = head === null || (at !== null && comparePositions(at, head) >= 0);
  return { lag: head === null || caughtUp ? 0n : head.commit - (at?.commit ?? 0n), caughtUp };
}

interface Pending {
  readonly position: GlobalPosition;
  /** Null for an event type this build does not know (skipped, but its position still counts). */
  readonly decoded: DecodedEvent | null;
}

/**
 * Feeds one projection version from the global log through the EventStore port. Each batch of
 * events is applied AND the checkpoint advanced in one read-model transaction, with a
 * compare-and-set on the previous checkpoint (`UPDATE … WHERE position = $prev`), so a crash at any
 * point neither skips nor double-applies, and a second instance of the same version is detected
 * ({@link CheckpointConflictError}). Delivery resumes strictly after the stored position.
 */
export class Projector {
  private readonly batchSize: number;
  private readonly db: ReadModelDb;
  private readonly clock: () => Date;
  private subscription: AllSubscription | undefined;
  private stopping = false;

  constructor(private readonly options: ProjectorOptions) {
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
    this.clock = options.clock ?? (() => new Date());
    this.db = withGenerations(options.db, { [options.projection.name]: options.generation });
  }

  get generation(): number {
    return this.options.generation;
  }

  get projection(): Projection {
    return this.options.projection;
  }

  /** Applies everything stored so far, then returns (for rebuilds, tests and one-shot CLI runs). */
  async catchUp(): Promise<ProjectionStatus> {
    await this.consume(true);
    return this.status();
  }

  /**
   * Catch-up then live, until {@link stop} (resolves) or a failure (rejects: a decode error, a
   * handler error, a {@link CheckpointConflictError}, a dropped subscription). Restart after a failure
   * simply resumes from the checkpoint.
   */
  async run(): Promise<void> {
    await this.consume(false);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
  }

  async checkpoint(): Promise<Checkpoint> {
    const { name } = this.options.projection;
    const version = this.options.generation;
    await this.db
      .insertInto('projection_checkpoints')
      .values({
        projection: name,
        version,
        position: START,
        events_applied: '0',
        updated_at: this.clock().toISOString(),
      })
      .onConflict((oc) => oc.columns(['projection', 'version']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('projection_checkpoints')
      .select(['position', 'events_applied'])
      .where('projection', '=', name)
      .where('version', '=', version)
      .executeTakeFirstOrThrow();
    return { position: row.position, eventsApplied: Number(toBigInt(row.events_applied)) };
  }

  async status(): Promise<ProjectionStatus> {
    const [checkpoint, head] = await Promise.all([this.checkpoint(), this.options.store.headPosition()]);
    const { lag, caughtUp } = progressOf(checkpoint.position === START ? null : checkpoint.position, head);
    return {
      projection: this.options.projection.name,
      version: this.options.generation,
      position: checkpoint.position,
      eventsApplied: checkpoint.eventsApplied,
      headPosition: head === null ? null : formatPosition(head),
      lag,
      caughtUp,
    };
  }

  private async consume(untilCaughtUp: boolean): Promise<void> {
    this.stopping = false;
    let checkpoint = await this.checkpoint();
    const { projection, store, codec } = this.options;
    const subscription = store.subscribeToAll({
      fromPosition: checkpoint.position === START ? 'start' : parsePosition(checkpoint.position),
      filter: { eventTypes: projection.eventTypes },
    });
    this.subscription = subscription;
    let pending: Pending[] = [];
    /** How far the log was scanned past the last pending event (a deferred `checkpoint` message). */
    let scanned: GlobalPosition | null = null;
    let deferred = 0;
    let live = false;
    const flush = async (to: GlobalPosition | null): Promise<void> => {
      const last = pending.at(-1);
      const target = to ?? scanned ?? last?.position ?? null;
      if (target === null) return;
      if (pending.length === 0 && checkpoint.position !== START) {
        if (comparePositions(target, parsePosition(checkpoint.position)) <= 0) return;
      }
      checkpoint = await this.commit(checkpoint, pending, target);
      pending = [];
      scanned = null;
      deferred = 0;
    };
    try {
      for await (const message of subscription) {
        if (this.stopping) break;
        switch (message.kind) {
          case 'event':
            pending.push({ position: message.event.position, decoded: decodeRecorded(codec, message.event) });
            scanned = null;
            if (live || pending.length >= this.batchSize) await flush(null);
            break;
          case 'checkpoint':
            // Catching up, a filtered subscription reports a checkpoint after every page it scans:
            // events received so far wait for a fuller batch (the checkpoint goes with them), so that
            // a projection that handles some of the log's events does not commit once per page.
            if (
              !live &&
              pending.length > 0 &&
              pending.length < this.batchSize &&
              deferred < DEFERRED_CHECKPOINTS
            ) {
              scanned = message.position;
              deferred += 1;
              break;
            }
            await flush(message.position);
            break;
          case 'caughtUp':
            await flush(message.position);
            live = true;
            break;
        }
        if (live && untilCaughtUp) break;
      }
      // Stopped between batches: what was received is complete events, so commit it.
      await flush(null);
    } finally {
      this.subscription = undefined;
      await subscription.close();
    }
  }

  /** One transaction: apply the batch, then compare-and-set the checkpoint from `previous` to `to`. */
  private async commit(
    previous: Checkpoint,
    batch: readonly Pending[],
    to: GlobalPosition,
  ): Promise<Checkpoint> {
    const { projection, generation } = this.options;
    const { db } = this;
    const next: Checkpoint = {
      position: formatPosition(to),
      eventsApplied: previous.eventsApplied + batch.filter((p) => p.decoded !== null).length,
    };
    await db.transaction().execute(async (trx: ReadModelTransaction) => {
      const applying = projection.begin(trx);
      for (const { decoded } of batch) {
        if (decoded !== null) await applying.apply(decoded);
      }
      await applying.end();
      const result = await trx
        .updateTable('projection_checkpoints')
        .set({
          position: next.position,
          events_applied: String(next.eventsApplied),
          updated_at: this.clock().toISOString(),
        })
        .where('projection', '=', projection.name)
        .where('version', '=', generation)
        .where('position', '=', previous.position)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw new CheckpointConflictError(projection.name, generation, previous.position);
      }
    });
    this.options.onCommit?.(next);
    return next;
  }
}
