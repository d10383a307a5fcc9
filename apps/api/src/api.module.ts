import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HistoryService } from '@medlineage/history';
import { CatalogLinkIndex, ServingReadModels } from '@medlineage/read-models';
import {
  CLOCK,
  EVENT_CODEC,
  EVENT_STORE,
  HISTORY,
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
    // History follows links through the catalog read model (plus the log past its checkpoint):
    // without it, the first timeline of every process would scan the whole log.
    const history = new HistoryService(deps.events, deps.codec, {
      index: new CatalogLinkIndex(deps.readModels, deps.events, deps.codec),
    });
    return {
      module: ApiModule,
      imports: [CqrsModule.forRoot()],
      controllers: [V1Controller],
      providers: [
        { provide: READ_MODELS, useValue: new ServingReadModels(deps.readModels) },
        { provide: EVENT_STORE, useValue: deps.events },
        { provide: EVENT_CODEC, useValue: deps.codec },
        { provide: REPOSITORY, useValue: deps.repository },
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
