import { createProjectors, migrateReadModels } from '@medlineage/read-models';
import { storesFromEnvironment } from './stores';

const USAGE = 'usage: projections status | projections catch-up\n';

/**
 * `projections status`: position, lag and version of every read model. `projections catch-up`:
 * applies everything stored so far, then prints the status (one-shot, e.g. after the demo).
 */
async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command !== 'status' && command !== 'catch-up') {
    process.stderr.write(USAGE);
    return 2;
  }
  const { store, codec, readModels } = storesFromEnvironment();
  try {
    await migrateReadModels(readModels.db);
    const projectors = createProjectors({ store, codec, db: readModels.db });
    for (const p of projectors) {
      const s = command === 'catch-up' ? await p.catchUp() : await p.status();
      process.stdout.write(
        `${s.projection.padEnd(10)} v${s.version}  position ${s.position}  applied ${s.eventsApplied}  lag ${s.lag}  ${s.caughtUp ? 'caught up' : 'behind'}\n`,
      );
    }
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
