/**
 * A push-to-pull bridge: producers push, one consumer pulls with `for await`. `push` returns the
 * backlog so the producer can pause its source; `onDrain` fires when the consumer has emptied it.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((error: unknown) => void) | undefined;
  private ended = false;
  private error: Error | undefined;
  private drained: (() => void) | undefined;

  push(item: T): number {
    if (this.ended) return 0;
    const waiting = this.waiting;
    if (waiting) {
      this.clearWaiter();
      waiting({ value: item, done: false });
      return 0;
    }
    this.items.push(item);
    return this.items.length;
  }

  end(): void {
    this.ended = true;
    const waiting = this.waiting;
    this.clearWaiter();
    waiting?.({ value: undefined, done: true });
  }

  fail(error: Error): void {
    if (this.ended) return;
    this.error = error;
    this.ended = true;
    const fail = this.failWaiting;
    this.clearWaiter();
    fail?.(error);
  }

  onDrain(callback: () => void): void {
    this.drained = callback;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) {
          if (this.items.length === 0) this.drained?.();
          return Promise.resolve({ value: item, done: false });
        }
        if (this.error) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.end();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private clearWaiter(): void {
    this.waiting = undefined;
    this.failWaiting = undefined;
  }
}
