import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '../event-store';

export function makeEvents(n: number, type = 'ContractTested'): EventToAppend[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    type,
    data: Buffer.from([0xc3, 0x01, i, 0, 255, ...Buffer.from(randomUUID())]),
    metadata: Buffer.from(`meta-${i}`),
  }));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
