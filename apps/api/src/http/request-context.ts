import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PURPOSES_OF_USE, type Actor, type PurposeOfUse } from '@medlineage/kernel';
import { badRequest } from './errors';

/** Who asks, and why: from `X-Actor` and `X-Purpose-Of-Use` (authentication comes later). */
export interface RequestContext {
  readonly actor: Actor;
  readonly purposeOfUse: PurposeOfUse;
  /** `X-Request-Id`, or a generated UUID: the cause of anything the request records. */
  readonly requestId: string;
}

interface ApiRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  medlineageContext?: RequestContext;
}

function header(request: ApiRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (Array.isArray(value)) throw badRequest(`header ${name} must be given once`);
  return value;
}

/** Parses the context headers; throws a 400 saying what is missing or wrong. */
export function parseRequestContext(request: ApiRequest): RequestContext {
  const actorHeader = header(request, 'x-actor');
  if (actorHeader === undefined) throw badRequest('header X-Actor is required (user:<id> or service:<id>)');
  const actorMatch = /^(user|service):([A-Za-z0-9][A-Za-z0-9._@-]{0,127})$/.exec(actorHeader);
  const kind = actorMatch?.[1];
  const id = actorMatch?.[2];
  if ((kind !== 'user' && kind !== 'service') || id === undefined) {
    throw badRequest('header X-Actor must be user:<id> or service:<id>');
  }
  const purposeHeader = header(request, 'x-purpose-of-use');
  if (purposeHeader === undefined) {
    throw badRequest(`header X-Purpose-Of-Use is required (one of ${PURPOSES_OF_USE.join(', ')})`);
  }
  const purposeOfUse = PURPOSES_OF_USE.find((p) => p === purposeHeader);
  if (purposeOfUse === undefined) {
    throw badRequest(`header X-Purpose-Of-Use must be one of ${PURPOSES_OF_USE.join(', ')}`);
  }
  const requestIdHeader = header(request, 'x-request-id');
  if (requestIdHeader !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(requestIdHeader)) {
    throw badRequest('header X-Request-Id must be 1..128 characters of letters, digits, . _ : -');
  }
  return { actor: { kind, id }, purposeOfUse, requestId: requestIdHeader ?? randomUUID() };
}

/** Every v1 request must say who asks and why. */
@Injectable()
export class RequestContextGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<ApiRequest>();
    request.medlineageContext = parseRequestContext(request);
    return true;
  }
}

/** The {@link RequestContext} the guard established. */
export const Context = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<ApiRequest>();
  return request.medlineageContext ?? parseRequestContext(request);
});
