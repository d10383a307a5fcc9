import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import {
  createProjectors,
  migrateReadModels,
  type Projector,
  type ReadModelDb,
} from '@medlineage/read-models';

export const PROJECTOR_DEPENDENCIES = Symbol('PROJECTOR_DEPENDENCIES');

export interface ProjectorDependencies {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
}

/**
 * Hosts one projector per read model. Each owns a subscription to the global log through the
 * event-store port (never the in-process EventBus: it cannot tie handling to a checkpoint), so a
 * crash or restart resumes from the checkpoint stored with the rows. A failed projector is
 * restarted with backoff; the others keep going.
 */
@Injectable()
export class ProjectorHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProjectorHost');
  private projectors: Projector[] = [];
  private running: Promise<void>[] = [];
  private stopping = false;

  constructor(@Inject(PROJECTOR_DEPENDENCIES) private readonly deps: ProjectorDependencies) {}

  async onApplicationBootstrap(): Promise<void> {
    await migrateReadModels(this.deps.db);
    this.projectors = createProjectors(this.deps);
    this.running = this.projectors.map((p) => this.keepRunning(p));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.projectors.map((p) => p.stop()));
    await Promise.all(this.running);
  }

  status() {
    return Promise.all(this.projectors.map((p) => p.status()));
  }

  private async keepRunning(projector: Projector): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await projector.run();
        return;
      } catch (error) {
        if (this.stopping) return;
        const name = error instanceof Error ? error.name : 'Error';
        this.logger.error(`projection ${projector.projection.name} failed (${name}); restarting`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 250 * 2 ** attempt)));
      }
    }
  }
}
