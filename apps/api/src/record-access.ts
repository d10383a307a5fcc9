import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  dataObjectDecider,
  dataObjectStreamName,
  isDomainError,
  type RecordObjectAccess,
} from '@medlineage/domain';
import type { EventSourcedRepository } from '@medlineage/event-sourcing';
import { deterministicId } from '@medlineage/kernel';
import { API_PRODUCER, CLOCK, REPOSITORY } from './api.dependencies';
import { forbidden, notFound } from './http/errors';
import type { RequestContext } from './http/request-context';

/** What was read of an object, by whom and why: audited as ObjectAccessed (or refused). */
export class RecordApiAccessCommand extends Command<{ readonly accessId: string }> {
  constructor(
    readonly objectId: string,
    /** The endpoint read (part of the cause, so one request reading two views records two accesses). */
    readonly view: 'object' | 'history',
    readonly context: RequestContext,
    readonly bytesReturned: number,
  ) {
    super();
  }
}

/**
 * Records a metadata read through the data-object decider. Ids derive from the request id, so a
 * retried request (same `X-Request-Id`) is recognised as a duplicate and records nothing twice.
 * A denial is appended (ObjectAccessDenied) and answered 403 with its reason code.
 */
@CommandHandler(RecordApiAccessCommand)
export class RecordApiAccessHandler implements ICommandHandler<RecordApiAccessCommand> {
  constructor(
    @Inject(REPOSITORY) private readonly repository: EventSourcedRepository,
    @Inject(CLOCK) private readonly clock: () => Date,
  ) {}

  async execute(command: RecordApiAccessCommand): Promise<{ readonly accessId: string }> {
    const { objectId, view, context } = command;
    const causeId = `api:${context.requestId}:${view}:${objectId}`;
    const accessId = deterministicId('api-access', causeId);
    const at = this.clock();
    const access: RecordObjectAccess = {
      type: 'RecordObjectAccess',
      objectId,
      at,
      actor: context.actor,
      accessId,
      accessType: 'QUERY_METADATA',
      representation: 'METADATA_ONLY',
      derivativeObjectId: null,
      bytesReturned: command.bytesReturned,
      purposeOfUse: context.purposeOfUse,
      channel: 'REST_API',
    };
    try {
      const outcome = await this.repository.handle(
        dataObjectDecider,
        dataObjectStreamName(objectId),
        access,
        {
          causeId,
          actor: context.actor,
          purposeOfUse: context.purposeOfUse,
          correlationId: deterministicId('api-request', context.requestId),
          causationId: null,
          occurredAt: at,
          producer: API_PRODUCER,
          source: null,
        },
      );
      // A retried request (duplicate) gets the answer its first attempt recorded.
      const events =
        outcome.kind === 'appended'
          ? outcome.events
          : outcome.kind === 'duplicate'
            ? (await this.repository.load(dataObjectDecider, dataObjectStreamName(objectId))).events.map(
                (e) => e.event,
              )
            : [];
      for (const event of events) {
        if (event.type === 'ObjectAccessDenied' && event.data.accessId === accessId) {
          throw forbidden(
            event.data.reasonCode,
            `access to object ${objectId} denied: ${event.data.reasonCode}`,
          );
        }
      }
      return { accessId };
    } catch (error) {
      if (!isDomainError(error)) throw error;
      if (error.code === 'object.not-found') throw notFound(`object ${objectId} not found`);
      throw forbidden(error.code, error.message);
    }
  }
}
