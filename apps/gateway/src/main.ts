import { SingleBar } from 'cli-progress';
import {
  createLogger,
  listFiles,
  pipelineFromEnvironment,
  watchDropFolder,
  type PushResult,
  type PushSummary,
} from '@medlineage/ingestion';

const USAGE = `usage: gateway push <file|dir>...      push files (directories recursively), then exit
       gateway watch <drop-folder>     push every file that lands in the folder, until interrupted

Environment: KAFKA_BROKERS (required), MINIO_ENDPOINT / MINIO_ACCESS_KEY / MINIO_SECRET_KEY,
MEDLINEAGE_GATEWAY_ID (default gw-local), MEDLINEAGE_SITE (default site-demo), MEDLINEAGE_DATA_DIR.
`;

/**
 * The gateway at a modality: uploads each file to quarantine (claim check) and produces an Avro
 * ingest request to Kafka. Progress on a terminal, a summary at the end; exit code 1 if any file
 * failed (it can simply be pushed again: same content, same request, no duplicates).
 */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...paths] = argv;
  if ((command !== 'push' && command !== 'watch') || paths.length === 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const logger = createLogger('gateway');
  const pipeline = pipelineFromEnvironment('medlineage-gateway', logger);
  try {
    await pipeline.ensureTopics();
    const gateway = await pipeline.gateway({
      gatewayId: process.env['MEDLINEAGE_GATEWAY_ID'] ?? 'gw-local',
      site: process.env['MEDLINEAGE_SITE'] ?? 'site-demo',
    });
    if (command === 'watch') {
      const folder = paths[0] ?? '.';
      const stop = await watchDropFolder(folder, gateway, (r) => process.stdout.write(`${line(r)}\n`));
      process.stdout.write(`watching ${folder} (Ctrl-C to stop)\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await stop();
      return 0;
    }
    const files = await listFiles(paths);
    const bar = process.stdout.isTTY
      ? new SingleBar({ format: 'pushing [{bar}] {value}/{total} files  {eta_formatted} left' })
      : undefined;
    bar?.start(files.length, 0);
    const summary = await gateway.pushAll(files, () => bar?.increment());
    bar?.stop();
    process.stdout.write(report(summary));
    return summary.failed.length === 0 ? 0 : 1;
  } finally {
    await pipeline.close();
  }
}

function line(r: PushResult): string {
  return r.ok ? `pushed ${r.sha256.slice(0, 12)} (${r.sizeBytes} B)` : `FAILED ${r.path}: ${r.error}`;
}

function report(s: PushSummary): string {
  const mb = s.bytes / 2 ** 20;
  const rows = [
    `files: ${s.files}, sent: ${s.sent}, failed: ${s.failed.length}`,
    `bytes: ${mb.toFixed(1)} MiB in ${s.seconds.toFixed(1)} s (${(s.sent / Math.max(s.seconds, 1e-9)).toFixed(1)} files/s, ${(mb / Math.max(s.seconds, 1e-9)).toFixed(1)} MiB/s)`,
    ...s.failed.map(line),
  ];
  return `${rows.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
