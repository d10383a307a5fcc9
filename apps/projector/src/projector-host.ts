import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import { migrateReadModels, ProjectionSupervisor, type ReadModelDb } from '@medlineage/read-models';

export const PROJECTOR_DEPENDENCIES = Symbol('PROJECTOR_DEPENDENCIES');

export interface ProjectorDependencies {
  readonly store: EventStore;
  readonly codec: EventCodec;
  readonly db: ReadModelDb;
}

/**
 * Hosts the projection supervisor: one projector per read model, each with its own subscription to
 * the global log through the event-store port (never the in-process EventBus: it cannot tie handling
 * to a checkpoint), so a crash or restart resumes from the checkpoint stored with the rows. A failed
 * projector is restarted with backoff; a rebuild's switch to a new generation is followed.
 */
@Injectable()
export class ProjectorHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProjectorHost');
  private readonly supervisor: ProjectionSupervisor;

  constructor(@Inject(PROJECTOR_DEPENDENCIES) private readonly deps: ProjectorDependencies) {
    this.supervisor = new ProjectionSupervisor({
      ...deps,
      log: (level, message) => this.logger[level === 'info' ? 'log' : level](message),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await migrateReadModels(this.deps.db);
    this.supervisor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.supervisor.stop();
  }

  async status() {
    return (await this.supervisor.status()).fed;
  }
}
