import { Module, type DynamicModule } from '@nestjs/common';
import { PROJECTOR_DEPENDENCIES, ProjectorHost, type ProjectorDependencies } from './projector-host';

@Module({})
export class ProjectorModule {
  static forRoot(deps: ProjectorDependencies): DynamicModule {
    return {
      module: ProjectorModule,
      providers: [{ provide: PROJECTOR_DEPENDENCIES, useValue: deps }, ProjectorHost],
      exports: [ProjectorHost],
    };
  }
}
