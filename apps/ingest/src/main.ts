import { createLogger, pipelineFromEnvironment } from '@medlineage/ingestion';

/**
 * The ingest service: a Kafka consumer group turning ingest requests into events. Scale by running
 * more processes (partitions are shared out by the group). SIGTERM/SIGINT stop it gracefully:
 * the record in hand finishes or is left uncommitted for redelivery.
 */
async function main(): Promise<void> {
  const logger = createLogger('ingest');
  const pipeline = pipelineFromEnvironment('medlineage-ingest', logger);
  await pipeline.ensureTopics();
  let handled = 0;
  await pipeline.startIngest((outcome) => {
    handled += 1;
    logger.debug({ outcome: outcome.kind, objectId: outcome.objectId, handled }, 'ingest request handled');
  });
  logger.info('ingest worker running');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ handled }, 'stopping');
  await pipeline.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`ingest: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
