import type { EventEmitter } from 'node:events';
import type {
  AllSubscription,
  GlobalPosition,
  RecordedEvent,
  SubscriptionMessage,
} from '@medlineage/event-store';
import { yieldToEventLoop } from './yield-to-event-loop';

/** What a subscription needs from the store: paged scans of the global log and a wake-up signal. */
export interface SubscriptionSource {
  /** Matching events with position in (after, head], at most `limit` scanned rows. */
  page(after: number, head: number, limit: number): { events: RecordedEvent[]; scannedTo: number };
  head(): number;
  /** Emits 'append' after every commit made through this process. */
  readonly notifier: EventEmitter;
  /** Fallback wake-up for commits made by other processes. */
  readonly pollIntervalMs: number;
}

const PAGE = 1000;

/**
 * Catch-up, then live. Pages through the log from the checkpoint; when a scan reaches the head
 * it reports `caughtUp` once and then waits for a commit signal (or the poll interval) before
 * scanning again. Filtered-out stretches produce `checkpoint` messages so consumers can skip them
 * on restart.
 */
export class SqliteAllSubscription implements AllSubscription {
  private closed = false;
  private wake: (() => void) | undefined;
  /** An append signalled while we were scanning: scan again without waiting. */
  private signalled = false;

  constructor(
    private readonly source: SubscriptionSource,
    private after: number,
    private readonly onClose: () => void,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    let caughtUp = false;
    const onAppend = () => {
      this.signalled = true;
      this.wake?.();
    };
    this.source.notifier.on('append', onAppend);
    try {
      while (!this.closed) {
        this.signalled = false;
        const head = this.source.head();
        const { events, scannedTo } = this.source.page(this.after, head, PAGE);
        for (const event of events) {
          if (this.closed) return;
          yield { kind: 'event', event };
          this.after = Number(event.position.commit);
        }
        if (scannedTo > this.after) {
          this.after = scannedTo;
          yield { kind: 'checkpoint', position: at(scannedTo) };
        }
        if (scannedTo < head) {
          // More to scan right away, after one turn of the event loop: every read here resolves at
          // once, so a long catch-up would otherwise hold back timers, I/O and signal handlers
          // (Ctrl-C during `projections rebuild`) until it ended.
          await yieldToEventLoop();
          continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          yield { kind: 'caughtUp', position: head === 0 ? null : at(head) };
        }
        await this.waitForAppend();
      }
    } finally {
      this.source.notifier.off('append', onAppend);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    this.onClose();
    return Promise.resolve();
  }

  private waitForAppend(): Promise<void> {
    if (this.signalled || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.source.pollIntervalMs);
      const wake = () => done();
      this.wake = wake;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.wake = undefined;
    });
  }
}

function at(n: number): GlobalPosition {
  const b = BigInt(n);
  return { commit: b, prepare: b };
}
