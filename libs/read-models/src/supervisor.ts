import { setTimeout as sleep } from 'node:timers/promises';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import type { ReadModelDb } from './database';
import { activeGeneration, planServing, type ServingPlan } from './generation-registry';
import type { Projection } from './projection';
import type { ProjectionStatus, Projector } from './projector';
import { planProjectors, projectorFor, PROJECTIONS } from './read-models';

export interface SupervisorOptions {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
  readonly projections?: readonly Projection[];
  readonly batchSize?: number;
  /** How often the active generation is checked (a rebuild may switch it). @defaultValue 1000 */
  readonly pollMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Keeps every read model fed, live: one projector per projection on its active generation. It
 * follows blue/green switches (a rebuild activates another generation → the projector stops and
 * one starts on the new generation from that generation's own checkpoint), restarts a failed
 * projector with backoff, and leaves a `stale` generation (built by another schema version)
 * readable but unfed until it is rebuilt.
 */
export class ProjectionSupervisor {
  private readonly projections: readonly Projection[];
  private readonly running = new Map<string, Projector>();
  private readonly plans = new Map<string, ServingPlan>();
  private readonly stopped = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly options: SupervisorOptions) {
    this.projections = options.projections ?? PROJECTIONS;
  }

  /** Plans every projection and catches the current ones up (resolves once they reached the head). */
  async catchUp(): Promise<ServingPlan[]> {
    const { projectors, plans } = await planProjectors({ ...this.options, projections: this.projections });
    for (const plan of plans) this.plans.set(plan.projection, plan);
    for (const projector of projectors) await projector.catchUp();
    return plans;
  }

  /** Starts the live loops (after an optional {@link catchUp}). */
  start(): void {
    this.loops = this.projections.map((p) => this.supervise(p));
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await Promise.all([...this.running.values()].map((p) => p.stop()));
    await Promise.all(this.loops);
  }

  /** Status of the generations being fed, and the plan (current or stale) of every projection. */
  async status(): Promise<{ readonly fed: ProjectionStatus[]; readonly plans: ServingPlan[] }> {
    const fed = await Promise.all([...this.running.values()].map((p) => p.status()));
    return { fed, plans: [...this.plans.values()] };
  }

  private get isStopped(): boolean {
    return this.stopped.signal.aborted;
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopped.signal }).catch(() => undefined);
  }

  private async supervise(projection: Projection): Promise<void> {
    const { db, log } = this.options;
    const pollMs = this.options.pollMs ?? 1000;
    let failures = 0;
    let warnedStale = -1;
    while (!this.isStopped) {
      try {
        const [plan] = await planServing(db, [projection]);
        if (plan === undefined) return;
        this.plans.set(projection.name, plan);
        if (plan.state === 'stale') {
          if (warnedStale !== plan.generation) {
            log?.(
              'warn',
              `${projection.name} generation ${plan.generation} was built by schema ${plan.builtWithSchema}, this build writes schema ${projection.schemaVersion}: it stays readable but is not fed until \`projections rebuild ${projection.name}\``,
            );
            warnedStale = plan.generation;
          }
          await this.pause(pollMs);
          continue;
        }
        const projector = projectorFor(this.options, projection, plan.generation);
        this.running.set(projection.name, projector);
        const watcher = setInterval(() => {
          activeGeneration(db, projection.name).then(
            async (active) => {
              if (active !== plan.generation) {
                log?.('info', `${projection.name}: generation ${active} activated, following it`);
                await projector.stop();
              }
            },
            () => undefined, // a failed check is retried on the next tick
          );
        }, pollMs);
        try {
          if (!this.isStopped) await projector.run();
        } finally {
          clearInterval(watcher);
          this.running.delete(projection.name);
        }
        failures = 0;
      } catch (error) {
        if (this.isStopped) return;
        failures += 1;
        const name = error instanceof Error ? error.name : 'Error';
        log?.('error', `projection ${projection.name} failed (${name}); restarting`);
        await this.pause(Math.min(30_000, 250 * 2 ** failures));
      }
    }
  }
}
