import { MultiBar, type SingleBar } from 'cli-progress';
import {
  PROJECTIONS,
  createProjectors,
  migrateReadModels,
  projectionReports,
  rebuildProjections,
  type GenerationProgress,
  type ProjectionReport,
} from '@medlineage/read-models';
import { storesFromEnvironment } from './stores';

const USAGE = `usage: projections status | catch-up | rebuild <${PROJECTIONS.map((p) => p.name).join('|')}|all>
  status     active generation, position, lag and schema of every read model, and any rebuild under way
  catch-up   applies everything stored so far to the active generations, then prints the status
  rebuild    builds the next generation from position 0 beside the live one and switches to it once
             caught up (Ctrl-C is safe: a rerun resumes where it stopped)
`;

function describe(g: GenerationProgress): string {
  return `v${g.generation} (schema ${g.schemaVersion})  position ${g.position}  applied ${g.eventsApplied}  lag ${g.lag}  ${g.caughtUp ? 'caught up' : 'behind'}`;
}

function printReports(reports: readonly ProjectionReport[]): void {
  for (const r of reports) {
    const active = r.active === null ? 'no generation yet' : describe(r.active);
    const stale = r.stale
      ? `  STALE: this build writes schema ${r.codeSchemaVersion}; run \`projections rebuild ${r.projection}\``
      : '';
    process.stdout.write(`${r.projection.padEnd(8)} ${active}${stale}\n`);
    if (r.rebuilding !== null) process.stdout.write(`${''.padEnd(8)} rebuilding ${describe(r.rebuilding)}\n`);
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, target] = argv;
  if (command !== 'status' && command !== 'catch-up' && command !== 'rebuild') {
    process.stderr.write(USAGE);
    return 2;
  }
  const selected = target === 'all' ? PROJECTIONS : PROJECTIONS.filter((p) => p.name === target);
  if (command === 'rebuild' && selected.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { store, codec, readModels } = storesFromEnvironment();
  const db = readModels.db;
  try {
    await migrateReadModels(db);
    if (command === 'catch-up') {
      for (const projector of await createProjectors({ store, codec, db })) await projector.catchUp();
    }
    if (command !== 'rebuild') {
      printReports(await projectionReports(db, store));
      return 0;
    }
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    process.once('SIGTERM', () => interrupt.abort());
    // One reading of the log feeds every selected read model (see rebuildProjections).
    const bars = process.stderr.isTTY
      ? new MultiBar({
          format: `{projection} [{bar}] {percentage}% | {applied} events | {rate} ev/s | {phase}`,
          hideCursor: true,
        })
      : null;
    const barOf = new Map<string, SingleBar>();
    const started = Date.now();
    let lastLine = 0;
    const outcomes = await rebuildProjections({
      store,
      codec,
      db,
      projections: selected,
      signal: interrupt.signal,
      onProgress: (p) => {
        const total = Number(p.headCommit) || 1;
        const rate = Math.round(p.eventsApplied / Math.max(0.001, (Date.now() - started) / 1000));
        const payload = {
          projection: p.projection.padEnd(8),
          applied: p.eventsApplied,
          rate,
          phase: p.phase === 'indexing' ? 'building query indexes' : 'loading',
        };
        const at = p.phase === 'indexing' ? total : Math.min(total, Number(p.commit));
        if (bars !== null) {
          const bar = barOf.get(p.projection);
          if (bar === undefined) barOf.set(p.projection, bars.create(total, at, payload));
          else bar.update(at, payload);
        } else if (p.phase === 'indexing' || Date.now() - lastLine > 2000) {
          lastLine = Date.now();
          process.stderr.write(
            `${p.projection}: v${p.generation} ${Math.floor((100 * at) / total)}% (${p.eventsApplied} events, ${rate} ev/s, ${payload.phase})\n`,
          );
        }
      },
    });
    bars?.stop();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    let interrupted = false;
    for (const outcome of outcomes) {
      if (outcome.outcome === 'interrupted') {
        interrupted = true;
        process.stdout.write(
          `${outcome.projection}: interrupted at ${outcome.eventsApplied} events in generation v${outcome.generation}; the live generation is unchanged, rerun to resume\n`,
        );
        continue;
      }
      const dropped = outcome.dropped.length === 0 ? '' : `; dropped v${outcome.dropped.join(', v')}`;
      process.stdout.write(
        `${outcome.projection}: switched v${outcome.previous ?? '-'} → v${outcome.generation} (${outcome.eventsApplied} events, ${seconds} s${outcome.resumed ? ', resumed' : ''}${dropped})\n`,
      );
    }
    if (interrupted) return 130;
    printReports(await projectionReports(db, store));
    return 0;
  } finally {
    await readModels.close();
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`projections: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
