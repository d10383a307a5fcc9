import { AsyncQueue } from './async-queue';

describe('AsyncQueue', () => {
  it('delivers pushed items in order to a waiting and a later consumer, then ends', async () => {
    const queue = new AsyncQueue<number>();
    const it = queue[Symbol.asyncIterator]();
    const first = it.next(); // waiting before the push
    queue.push(1);
    expect(queue.push(2)).toBe(1);
    expect(queue.push(3)).toBe(2);
    queue.end();
    expect(await first).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await it.next()).toEqual({ value: 3, done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(queue.push(4)).toBe(0);
  });

  it('signals drain when the backlog is consumed', async () => {
    const queue = new AsyncQueue<string>();
    const drained = jest.fn();
    queue.onDrain(drained);
    queue.push('a');
    queue.push('b');
    const it = queue[Symbol.asyncIterator]();
    await it.next();
    expect(drained).not.toHaveBeenCalled();
    await it.next();
    expect(drained).toHaveBeenCalledTimes(1);
  });

  it('rejects the consumer when failed', async () => {
    const queue = new AsyncQueue<number>();
    const it = queue[Symbol.asyncIterator]();
    const pending = it.next();
    queue.fail(new Error('dropped'));
    await expect(pending).rejects.toThrow('dropped');
    await expect(it.next()).rejects.toThrow('dropped');
  });
});
