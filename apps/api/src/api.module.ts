import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HistoryService } from '@medlineage/history';
import { createProjectors } from '@medlineage/read-models';
import {
  CLOCK,
  EVENT_CODEC,
  EVENT_STORE,
  HISTORY,
  PROJECTORS,
  READ_MODELS,
  REPOSITORY,
  type ApiDependencies,
} from './api.dependencies';
import { ApiExceptionFilter } from './http/errors';
import { RequestContextGuard } from './http/request-context';
import { QUERY_HANDLERS } from './queries';
import { RecordApiAccessHandler } from './record-access';
import { V1Controller } from './v1.controller';

/** The HTTP query API over already-open stores (main.ts and the e2e tests share it). */
@Module({})
export class ApiModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    const projectors =
      deps.projectors ?? createProjectors({ store: deps.events, codec: deps.codec, db: deps.readModels });
    const history = deps.history ?? new HistoryService(deps.events, deps.codec);
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [V1Controller],
      providers: [
        { provide: READ_MODELS, useValue: deps.readModels },
        { provide: EVENT_STORE, useValue: deps.events },
        { provide: EVENT_CODEC, useValue: deps.codec },
        { provide: REPOSITORY, useValue: deps.repository },
        { provide: PROJECTORS, useValue: projectors },
        { provide: HISTORY, useValue: history },
        { provide: CLOCK, useValue: deps.clock ?? ((): Date => new Date()) },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        RequestContextGuard,
        RecordApiAccessHandler,
        ...QUERY_HANDLERS,
      ],
    };
  }
}
