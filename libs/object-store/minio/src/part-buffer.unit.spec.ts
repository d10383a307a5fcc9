import { PartBuffer } from './part-buffer';

describe('PartBuffer', () => {
  it('cuts chunks of any size into parts, in order, keeping the remainder', () => {
    const buffer = new PartBuffer();
    const input = Buffer.from(Array.from({ length: 23 }, (_, i) => i));
    buffer.push(input.subarray(0, 5));
    buffer.push(Buffer.alloc(0));
    buffer.push(input.subarray(5, 18));
    buffer.push(input.subarray(18));
    expect(buffer.bytes).toBe(23);
    const parts = [buffer.take(10), buffer.take(10), buffer.take(10)];
    expect(parts.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(Buffer.concat(parts).equals(input)).toBe(true);
    expect(buffer.bytes).toBe(0);
    expect(buffer.take(10)).toHaveLength(0);
  });
});
