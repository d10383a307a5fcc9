import type { Actor } from '@medlineage/kernel';
import type { ModelRegisteredData } from './model.events';

export interface RegisterModel extends ModelRegisteredData {
  readonly type: 'RegisterModel';
  readonly at: Date;
  readonly actor: Actor;
}

export type ModelCommand = RegisterModel;
