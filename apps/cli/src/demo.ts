import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { sampleFiles } from '@medlineage/classification/samples';
import { brokenDicomSamples, syntheticStudyFiles, type SyntheticModality } from '@medlineage/dicom/synthetic';
import { collect } from '@medlineage/event-store/testing';
import { formatTimeline, HistoryService } from '@medlineage/history';
import { createLogger, embeddedPipeline, type IngestOutcome } from '@medlineage/ingestion';
import { projectReadModels } from './demo-read-models';
import { serveApi } from './demo-serve';

const SITES = { 'site-demo': { residency: 'UK' } } as const;
const STUDIES: readonly { seed: string; modality: SyntheticModality; series: number; instances: number }[] = [
  { seed: 'demo-ct', modality: 'CT', series: 2, instances: 4 },
  { seed: 'demo-mr', modality: 'MR', series: 1, instances: 4 },
  { seed: 'demo-us', modality: 'US', series: 3, instances: 1 },
  { seed: 'demo-cr', modality: 'CR', series: 1, instances: 2 },
  { seed: 'demo-sc', modality: 'SC', series: 1, instances: 1 },
];
const BROKEN = [
  'truncated-in-value.dcm',
  'pe-preamble.dcm',
  'deep-sequence-nesting.dcm',
  'length-0xFFFFFFF0.dcm',
];

/**
 * The main job on embedded defaults, no servers: synthetic DICOM studies (nested sequences, private
 * tags, planted fake identifiers), genomics, HL7, FHIR, C-CDA, PDF and a few broken or disguised
 * files go through the gateway (quarantine upload + Avro request) and the in-process transport into
 * the ingest service, which verifies, parses, classifies and records events. Then it reports what
 * happened and where everything is, builds the read models and prints one study's full history.
 * With `--serve` it then keeps the query API up on the demo's data (PORT, default 8080) until Ctrl-C.
 */
async function main(): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dir = process.env['MEDLINEAGE_DEMO_DIR'] ?? join(process.cwd(), '.medlineage', 'demo');
  rmSync(dir, { recursive: true, force: true });
  const inbox = join(dir, 'inbox');
  mkdirSync(inbox, { recursive: true });

  const files: string[] = [];
  const save = (name: string, bytes: Uint8Array) => {
    const path = join(inbox, name);
    writeFileSync(path, bytes);
    files.push(path);
  };
  for (const s of STUDIES) {
    for (const f of syntheticStudyFiles({
      seed: s.seed,
      modality: s.modality,
      series: s.series,
      instances: s.instances,
    })) {
      save(`${s.modality}-${f.name}`, f.bytes);
    }
  }
  for (const f of sampleFiles()) save(f.name, f.bytes);
  for (const b of brokenDicomSamples().filter((b) => BROKEN.includes(b.name)))
    save(`broken-${b.name}`, b.bytes);
  out(`MedLineage demo: ${files.length} synthetic files in ${inbox}`);
  out(
    '  DICOM studies (CT, MR, US with burned-in text, CR, SC), FASTQ/VCF/BAM/CRAM/BCF, HL7 v2, FHIR, C-CDA, PDF,',
  );
  out(
    '  notes, and broken or disguised files. Fake identifiers (ZZCANARY^PATIENT…) are planted in the DICOM.\n',
  );

  const pipeline = embeddedPipeline(join(dir, 'data'), createLogger('demo', 'error'), SITES);
  const outcomes: IngestOutcome[] = [];
  // Resolves once `n` outcomes have arrived (woken by the worker's callback, not by polling).
  const waiting: { n: number; resolve: () => void }[] = [];
  const outcomesReached = (n: number) =>
    outcomes.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
  const bar = new SingleBar({
    format: '  {phase} [{bar}] {value}/{total}',
    noTTYOutput: true,
    notTTYSchedule: 500,
    hideCursor: true,
  });
  try {
    await pipeline.ensureTopics();
    await pipeline.startIngest((o) => {
      outcomes.push(o);
      for (const w of waiting.filter((x) => outcomes.length >= x.n)) w.resolve();
      bar.increment({ phase: 'ingesting' });
    });
    const gateway = await pipeline.gateway({ gatewayId: 'gw-demo-01', site: 'site-demo' });
    bar.start(files.length, 0, { phase: 'ingesting' });
    const summary = await gateway.pushAll(files);
    await outcomesReached(summary.sent);
    bar.stop();
    out(
      `\nGateway: ${summary.sent} pushed, ${summary.failed.length} failed, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB`,
    );

    // Pushing a file again is harmless: same content, same object, no new events.
    const before = (await collect(pipeline.parts.events.readAll())).length;
    await gateway.pushAll([files[0] ?? '']);
    await outcomesReached(summary.sent + 1);
    const after = (await collect(pipeline.parts.events.readAll())).length;
    out(`Re-pushed one file: ${after - before} new events (expected 0)`);

    await report(pipeline, outcomes, out);
    await projectReadModels(join(dir, 'data'), pipeline.parts.events, pipeline.codec, out);
    out(
      `\nData kept in ${dir}/data: MEDLINEAGE_DATA_DIR=${dir}/data npm run history -- <id> [--as-of <ISO time>]`,
    );
  } finally {
    await pipeline.close();
  }
  if (process.argv.includes('--serve')) process.exitCode = await serveApi(join(dir, 'data'), out);
}

async function report(
  pipeline: ReturnType<typeof embeddedPipeline>,
  outcomes: readonly IngestOutcome[],
  out: (line?: string) => void,
): Promise<void> {
  const events = await collect(pipeline.parts.events.readAll());
  const decode = <T>(bytes: Uint8Array) => pipeline.codec.decode<T>(bytes).value;
  const tally = (values: readonly string[]) =>
    [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');

  const classified = events
    .filter((e) => e.type === 'ObjectClassified')
    .map((e) => decode<{ dataClass: string }>(e.data));
  const reviews = events
    .filter((e) => e.type === 'ClassificationReviewRequested')
    .map((e) => decode<{ reasonCode: string }>(e.data));
  const rejected = events
    .filter((e) => e.type === 'ObjectRejected')
    .map((e) => decode<{ reasonCode: string; detail: string }>(e.data));
  out(`\nEvents: ${events.length} in the store (${tally(events.map((e) => e.type))})`);
  out(`Classified by data class: ${tally(classified.map((c) => c.dataClass))}`);
  out(
    `Sent to human review (conflicting or weak signals): ${reviews.length} (${tally(reviews.map((r) => r.reasonCode))})`,
  );
  out(`Rejected: ${rejected.length}, each recorded as an event and kept in the dead-letter topic:`);
  for (const r of rejected) out(`  - ${r.reasonCode}: ${r.detail}`);

  const zones = ['QUARANTINE', 'HOT'] as const;
  const where = await Promise.all(
    zones.map(async (z) => `${z} ${(await collect(pipeline.parts.objects.list(z))).length}`),
  );
  out(
    `Objects by zone: ${where.join(', ')} (accepted objects promoted to HOT; rejected content stays in QUARANTINE)`,
  );
  out(`Outcomes: ${tally(outcomes.map((o) => o.kind))}`);

  const log = Buffer.concat(events.flatMap((e) => [Buffer.from(e.data), Buffer.from(e.metadata)]));
  out(
    `Plaintext planted identifiers in the event log: ${log.includes('ZZCANARY') || log.includes('ZZMRN') ? 'FOUND (bug!)' : 'none'}`,
  );

  const study = events.find(
    (e) => e.type === 'ObjectIngested' && decode<{ identity: unknown }>(e.data).identity !== null,
  );
  const studyKey = study ? decode<{ studyKey: string | null }>(study.data).studyKey : null;
  if (studyKey) {
    // The investigator's view, read straight from the event store (what `npm run history` prints).
    const history = new HistoryService(pipeline.parts.events, pipeline.codec);
    const timeline = await history.timeline({ kind: 'study', id: studyKey });
    out(
      `\nFull history of one study (${timeline.length} events), as \`npm run history -- ${studyKey} --kind study\` prints it:`,
    );
    out(formatTimeline(timeline));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
