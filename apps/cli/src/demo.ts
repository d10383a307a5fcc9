import { deterministicId } from '@medlineage/kernel';

// Placeholder until the ingest issue fills the main job in (see README, "Roadmap").
process.stdout.write(
  [
    'MedLineage demo',
    '',
    'The event-sourced core is in place: Avro event catalogue (schemas/avro), pure deciders (libs/domain),',
    'the event store port with the embedded SQLite store and the EventStoreDB adapter (libs/event-store).',
    'Coming next: synthetic DICOM/genomics/EHR inputs ingested end to end (gateway -> Kafka -> ingest -> events).',
    `Deterministic ids, e.g. for a Kafka record: ${deterministicId('ingest', 'medlineage.ingest.v1', 0, 42)}`,
    '',
  ].join('\n'),
);
