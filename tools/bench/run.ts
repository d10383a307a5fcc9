import { apiBench } from './api.bench';
import type { Bench } from './bench-result';
import { eventStoreBench } from './event-store.bench';
import { historyBench } from './history.bench';
import { ingestBench } from './ingest.bench';
import { rebuildBench } from './rebuild.bench';

const BENCHES: readonly Bench[] = [apiBench, eventStoreBench, historyBench, ingestBench, rebuildBench];

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const bench = BENCHES.find((b) => b.name === name);
  if (!bench) {
    const list = BENCHES.map((b) => `  ${b.name.padEnd(14)} ${b.description}`).join('\n');
    process.stderr.write(`usage: npm run bench -- <name> [options]\n\nbenchmarks:\n${list}\n`);
    process.exitCode = 2;
    return;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const outcome = await bench.run(args, log);
  log(JSON.stringify(outcome));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
