import type { Logger } from 'pino';
import type { DeadLetterSink } from './dead-letters';
import { backoffDelay, describeError, isRetriable, type Backoff, DEFAULT_BACKOFF } from './retry-policy';
import type { Heartbeat, TransportMessage } from './transport/message-transport';

export interface ReliableHandlerOptions {
  readonly deadLetters: DeadLetterSink;
  readonly logger: Logger;
  /** Non-transient failures of one record before it is dead-lettered. @defaultValue 3 */
  readonly maxAttempts?: number;
  readonly backoff?: Backoff;
  /** True once the consumer is stopping: a record being retried is abandoned (not committed). */
  readonly isStopping: () => boolean;
  readonly clock?: () => Date;
}

/** Thrown out of a handler to abandon a record without committing it (the consumer is stopping). */
export class ConsumerStoppingError extends Error {
  readonly retriable = true;
  constructor() {
    super('consumer stopping: record left for redelivery');
    this.name = 'ConsumerStoppingError';
  }
}

/**
 * Wraps a record handler with the platform's failure policy:
 * - transient failures (errors with `retriable: true`: broker, store or object store unavailable)
 *   are retried with capped exponential backoff for as long as it takes, never dead-lettered;
 * - any other failure is retried up to `maxAttempts`, then the record goes to the dead-letter
 *   topic and the consumer moves on (a poison record cannot stall a partition);
 * - the record's offset is committed by the transport only when this resolves.
 */
export function reliableHandler(
  handle: (message: TransportMessage) => Promise<void>,
  options: ReliableHandlerOptions,
): (message: TransportMessage, heartbeat: Heartbeat) => Promise<void> {
  const maxAttempts = options.maxAttempts ?? 3;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const clock = options.clock ?? (() => new Date());
  return async (message, heartbeat) => {
    let failures = 0;
    let transient = 0;
    let firstFailedAt: Date | undefined;
    const where = { topic: message.topic, partition: message.partition, offset: message.offset };
    for (;;) {
      try {
        await handle(message);
        return;
      } catch (error) {
        firstFailedAt ??= clock();
        if (isRetriable(error)) {
          transient += 1;
          options.logger.warn(
            { ...where, error: describeError(error), attempt: transient },
            'transient failure, retrying',
          );
        } else {
          failures += 1;
          options.logger.error({ ...where, error: describeError(error), attempt: failures }, 'record failed');
          if (failures >= maxAttempts) {
            await options.deadLetters.deadLetter(
              message,
              'RETRIES_EXHAUSTED',
              `failed ${failures} times: ${describeError(error)}`,
              failures + transient,
              firstFailedAt,
            );
            return;
          }
        }
        if (options.isStopping()) throw new ConsumerStoppingError();
        await sleep(backoffDelay(transient + failures, backoff));
        await heartbeat();
      }
    }
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
