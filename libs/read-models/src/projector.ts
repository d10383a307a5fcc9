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

/** A projection and which of its generations' tables and checkpoint to feed (see generations.ts). */
export interface ProjectionTarget {
  readonly projection: Projection;
  readonly generation: number;
}

export interface ProjectorOptions {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
  readonly projection: Projection;
  /** Which generation's tables and checkpoint this projector feeds (see generations.ts). */
  readonly generation: number;
  /**
   * More projections fed from the same reading of the log, in the same transactions, each with its
   * own checkpoint (a rebuild of several read models reads and decodes the log once).
   */
  readonly alongside?: readonly ProjectionTarget[];
  /** Called after each committed batch, for each projection it advanced (rebuild progress). */
  readonly onCommit?: (checkpoint: Checkpoint, projection: Projection) => void;
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

/** How far a checkpoint (`formatPosition` text, or {@link START}) is behind the log's head. */
export function progressOf(
  checkpoint: string,
  head: GlobalPosition | null,
): { readonly lag: bigint; readonly caughtUp: boolean } {
  const at = checkpoint === START ? null : parsePosition(checkpoint);
  const caughtUp = head === null || (at !== null && comparePositions(at, head) >= 0);
  return { lag: head === null || caughtUp ? 0n : head.commit - (at?.commit ?? 0n), caughtUp };
}

interface Pending {
  readonly position: GlobalPosition;
  /** Null for an event type this build does not know (skipped, but its position still counts). */
  readonly decoded: DecodedEvent | null;
}

/** A target with what the projector knows of it. */
interface Fed extends ProjectionTarget {
  readonly types: ReadonlySet<string>;
  checkpoint: Checkpoint;
}

/**
 * Feeds one projection version (or several, `alongside`) from the global log through the
 * EventStore port. Each batch of events is applied AND the checkpoint advanced in one read-model
 * transaction, with a compare-and-set on the previous checkpoint (`UPDATE … WHERE position = $prev`),
 * so a crash at any point neither skips nor double-applies, and a second instance of the same
 * version is detected ({@link CheckpointConflictError}). Delivery resumes strictly after the stored
 * position (each projection's own, when several are fed).
 */
export class Projector {
  private readonly batchSize: number;
  private readonly db: ReadModelDb;
  private readonly clock: () => Date;
  private readonly targets: readonly ProjectionTarget[];
  private subscription: AllSubscription | undefined;
  private stopping = false;

  constructor(private readonly options: ProjectorOptions) {
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError('batchSize must be a positive integer');
    }
    this.clock = options.clock ?? (() => new Date());
    this.targets = [
      { projection: options.projection, generation: options.generation },
      ...(options.alongside ?? []),
    ];
    const generations = Object.fromEntries(this.targets.map((t) => [t.projection.name, t.generation]));
    if (Object.keys(generations).length !== this.targets.length) {
      throw new RangeError('a projector feeds each projection once');
    }
    this.db = withGenerations(options.db, generations);
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

  async status(): Promise<ProjectionStatus> {
    const [status] = await this.statuses();
    if (status === undefined) throw new Error('a projector has at least one projection');
    return status;
  }

  /** The status of each projection fed, in the order given (`projection` first, then `alongside`). */
  async statuses(): Promise<ProjectionStatus[]> {
    const head = await this.options.store.headPosition();
    const statuses: ProjectionStatus[] = [];
    for (const target of this.targets) {
      const checkpoint = await this.checkpointOf(target);
      const { lag, caughtUp } = progressOf(checkpoint.position, head);
      statuses.push({
        projection: target.projection.name,
        version: target.generation,
        position: checkpoint.position,
        eventsApplied: checkpoint.eventsApplied,
        headPosition: head === null ? null : formatPosition(head),
        lag,
        caughtUp,
      });
    }
    return statuses;
  }

  /** Stores a checkpoint at the start for a target that has none (the commit compare-and-sets it). */
  private async ensureCheckpoint({ projection, generation }: ProjectionTarget): Promise<void> {
    await this.db
      .insertInto('projection_checkpoints')
      .values({
        projection: projection.name,
        version: generation,
        position: START,
        events_applied: '0',
        updated_at: this.clock().toISOString(),
      })
      .onConflict((oc) => oc.columns(['projection', 'version']).doNothing())
      .execute();
  }

  /** The stored checkpoint; at the start when none is stored yet. */
  private async checkpointOf({ projection, generation }: ProjectionTarget): Promise<Checkpoint> {
    const row = await this.db
      .selectFrom('projection_checkpoints')
      .select(['position', 'events_applied'])
      .where('projection', '=', projection.name)
      .where('version', '=', generation)
      .executeTakeFirst();
    return row === undefined
      ? { position: START, eventsApplied: 0 }
      : { position: row.position, eventsApplied: Number(toBigInt(row.events_applied)) };
  }

  private async consume(untilCaughtUp: boolean): Promise<void> {
    this.stopping = false;
    const { store, codec } = this.options;
    const fed: Fed[] = [];
    for (const target of this.targets) {
      await this.ensureCheckpoint(target);
      const types = new Set<string>(target.projection.eventTypes);
      fed.push({ ...target, types, checkpoint: await this.checkpointOf(target) });
    }
    // Read from the earliest checkpoint; a projection further on skips what it already has.
    const from = earliest(fed.map((f) => f.checkpoint.position));
    const subscription = store.subscribeToAll({
      fromPosition: from === START ? 'start' : parsePosition(from),
      filter: { eventTypes: [...new Set(fed.flatMap((f) => f.projection.eventTypes))] },
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
      if (pending.length === 0 && fed.every((f) => !before(f.checkpoint, target))) return;
      await this.commit(fed, pending, target);
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

  /**
   * One transaction: each projection applies the batch's events of its types past its checkpoint,
   * then its checkpoint is compare-and-set from where it was to `to`.
   */
  private async commit(fed: readonly Fed[], batch: readonly Pending[], to: GlobalPosition): Promise<void> {
    const position = formatPosition(to);
    const advanced: { readonly target: Fed; readonly next: Checkpoint }[] = [];
    await this.db.transaction().execute(async (trx: ReadModelTransaction) => {
      for (const target of fed) {
        if (!before(target.checkpoint, to)) continue;
        const { projection, generation, types, checkpoint: previous } = target;
        const after = previous.position === START ? null : parsePosition(previous.position);
        const events: DecodedEvent[] = [];
        for (const { decoded, position: at } of batch) {
          if (decoded === null || !types.has(decoded.event.type)) continue;
          if (after === null || comparePositions(at, after) > 0) events.push(decoded);
        }
        const applying = projection.begin(trx);
        await applying.prefetch?.(events);
        for (const event of events) await applying.apply(event);
        await applying.end();
        const next: Checkpoint = { position, eventsApplied: previous.eventsApplied + events.length };
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
        advanced.push({ target, next });
      }
    });
    for (const { target, next } of advanced) {
      target.checkpoint = next;
      this.options.onCommit?.(next, target.projection);
    }
  }
}

/** True when `checkpoint` is short of `to`. */
function before(checkpoint: Checkpoint, to: GlobalPosition): boolean {
  return checkpoint.position === START || comparePositions(parsePosition(checkpoint.position), to) < 0;
}

/** The earliest of some checkpoint positions. */
function earliest(positions: readonly string[]): string {
  let first: string | null = null;
  for (const p of positions) {
    if (p === START) return START;
    if (first === null || comparePositions(parsePosition(p), parsePosition(first)) < 0) first = p;
  }
  return first ?? START;
}
