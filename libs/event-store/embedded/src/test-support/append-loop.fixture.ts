// Child process for the crash test: appends fixed-size batches until killed.
// Usage: node -r @swc-node/register append-loop.fixture.ts <db-path> <batch-size> <writer-tag>
import { randomUUID } from 'node:crypto';
import { EmbeddedEventStore } from '../embedded-event-store';

async function main(): Promise<void> {
  const [path, batchSizeArg, tag] = process.argv.slice(2);
  if (!path || !batchSizeArg || !tag) throw new Error('usage: append-loop <db> <batch-size> <tag>');
  const batchSize = Number(batchSizeArg);
  const store = new EmbeddedEventStore({ path });
  const payload = Buffer.alloc(2048, 0x5a);
  for (let batch = 0; ; batch++) {
    const stream = `crash${tag}-${batch % 7}`;
    const events = Array.from({ length: batchSize }, (_, i) => ({
      id: randomUUID(),
      type: 'CrashTested',
      data: payload,
      metadata: Buffer.from(`${tag}:${batch}:${i}`),
    }));
    await store.appendToStream(stream, events, { expectedRevision: 'any' });
    if (batch === 0) process.stdout.write('appending\n');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
