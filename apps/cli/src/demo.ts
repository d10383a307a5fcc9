import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  EVENT_UPCASTERS,
  dataObjectDecider,
  dataObjectStreamName,
  subjectConsentDecider,
  subjectConsentStreamName,
} from '@medlineage/domain';
import {
  OBJECT_ID,
  SUBJECT_ID,
  ingestObject,
  recordConsent,
  restrictConsent,
} from '@medlineage/domain/testing';
import { EventCodec, loadSchemaCatalogue } from '@medlineage/event-codec';
import { EventSourcedRepository, type CommandContext } from '@medlineage/event-sourcing';
import { EmbeddedEventStore } from '@medlineage/event-store-embedded';
import { deterministicId, type EventMetadata } from '@medlineage/kernel';

/**
 * The event-sourced core end to end on embedded defaults: commands through pure deciders, Avro
 * single-object encoded events with envelopes in the embedded store, a redelivery recognised, and
 * the global log read back. The ingest issue turns this into the full gateway → ingest pipeline.
 */
async function main(): Promise<void> {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dir = process.env['MEDLINEAGE_DEMO_DIR'] ?? join(process.cwd(), '.medlineage', 'demo');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const catalogue = loadSchemaCatalogue();
  const codec = new EventCodec(catalogue, EVENT_UPCASTERS);
  const store = new EmbeddedEventStore({ path: join(dir, 'events.db') });
  const repo = new EventSourcedRepository(store, codec);
  out(
    `MedLineage demo: ${catalogue.subjects.size} Avro schema subjects loaded, event store at ${dir}/events.db`,
  );

  const ctx = (causeId: string, actor: CommandContext['actor']): CommandContext => ({
    causeId,
    actor,
    purposeOfUse: 'TREAT',
    correlationId: deterministicId('demo', 'correlation'),
    causationId: null,
    occurredAt: new Date(),
    producer: { name: '@medlineage/cli demo', version: '0.1.0' },
    source: null,
  });
  const clerk = { kind: 'user', id: 'staff-c41d07' } as const;
  const gateway = { kind: 'service', id: 'svc-gateway-ct01' } as const;

  const steps = [
    [
      'consent recorded',
      () =>
        repo.handle(
          subjectConsentDecider,
          subjectConsentStreamName(SUBJECT_ID),
          recordConsent(),
          ctx('demo-1', clerk),
        ),
    ],
    [
      'object ingested',
      () =>
        repo.handle(
          dataObjectDecider,
          dataObjectStreamName(OBJECT_ID),
          ingestObject(),
          ctx('demo-2', gateway),
        ),
    ],
    [
      'same object pushed again',
      () =>
        repo.handle(
          dataObjectDecider,
          dataObjectStreamName(OBJECT_ID),
          ingestObject(),
          ctx('demo-3', gateway),
        ),
    ],
    [
      'consent restricted',
      () =>
        repo.handle(
          subjectConsentDecider,
          subjectConsentStreamName(SUBJECT_ID),
          restrictConsent(),
          ctx('demo-4', clerk),
        ),
    ],
    [
      'consent message redelivered',
      () =>
        repo.handle(
          subjectConsentDecider,
          subjectConsentStreamName(SUBJECT_ID),
          recordConsent(),
          ctx('demo-1', clerk),
        ),
    ],
  ] as const;
  for (const [label, run] of steps) {
    const outcome = await run();
    out(
      `  ${label.padEnd(28)} -> ${outcome.kind}${outcome.kind === 'appended' ? ` (${outcome.events.map((e) => e.type).join(', ')})` : ''}`,
    );
  }

  out('\nGlobal log (no plaintext PHI: subjects are pseudonymous ids, identity sits in sealed envelopes):');
  for await (const e of store.readAll()) {
    const meta = codec.decode<EventMetadata>(e.metadata, 'EventMetadata').value;
    out(
      `  #${e.position.commit} ${e.streamName}@${e.revision} ${e.type} v${meta.schemaVersion}` +
        ` by ${meta.actor.kind}:${meta.actor.id} for ${meta.purposeOfUse ?? '-'} via ${meta.producer.name} (${e.data.byteLength} B Avro)`,
    );
  }
  await store.close();
  out(
    '\nComing next: synthetic DICOM / genomics / EHR files through gateway -> Kafka -> ingest (see README).',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
