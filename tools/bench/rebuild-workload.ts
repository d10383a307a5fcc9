import { createHash } from 'node:crypto';
import {
  dataObjectStreamName,
  datasetStreamName,
  modelStreamName,
  policyStreamName,
  subjectConsentStreamName,
  taxonomyStreamName,
  type DataClass,
  type DomainEventUnion,
  type IntendedUse,
  type ObjectClassifiedData,
  type ObjectFormat,
  type ObjectLocation,
} from '@medlineage/domain';
import { sampleEvent } from '@medlineage/domain/testing';
import type { EventCodec } from '@medlineage/event-codec';
import type { EventStore } from '@medlineage/event-store';
import {
  deterministicId,
  pseudonymousSubjectId,
  type Actor,
  type EventMetadata,
  type Producer,
  type PurposeOfUse,
  type SourceOffset,
} from '@medlineage/kernel';
import { contentKey } from '@medlineage/object-store';
import { mulberry32 } from './bench-support';

/*
 * The event log of a busy site, for the rebuild benchmark: objects ingested through Kafka and
 * classified, tiered, accessed, held and released, de-identified into derivatives; subjects' consent
 * recorded, restricted and revoked; datasets cut from derivatives, exported and trained on; models
 * registered. Every event is Avro-encoded with an envelope as EventSourcedRepository writes it (event
 * ids derived from the cause, exact expected revisions), and streams are interleaved in the log the
 * way these lifecycles interleave in time. Deterministic: the same size always yields the same log.
 */

export interface RebuildWorkload {
  readonly events: number;
  readonly appends: number;
  readonly objects: number;
  readonly derived: number;
  readonly rejected: number;
  readonly subjects: number;
  readonly datasets: number;
  readonly models: number;
  /** Encoded data + envelope bytes. */
  readonly bytes: number;
  readonly byType: Readonly<Record<string, number>>;
}

/** Objects per lifecycle round (about 5.5 events each). */
const ROUND = 500;
/** Objects of one study, one subject. */
const OBJECTS_PER_SUBJECT = 4;
const HOUR = 3_600_000;
const BASE = Date.parse('2026-01-05T07:00:00.000Z');
const PSEUDONYM_KEY = Buffer.alloc(32, 0x5a);
const SITES = ['site-uk-rgh', 'site-uk-stm', 'site-eu-chu'] as const;

const INGEST: Producer = { name: '@medlineage/ingest', version: '0.1.0' };
const API: Producer = { name: '@medlineage/api', version: '0.1.0' };
const PIPELINE: Producer = { name: '@medlineage/deid-pipeline', version: '0.4.2' };
const ingestService: Actor = { kind: 'service', id: 'svc-ingest' };
const lifecycleService: Actor = { kind: 'service', id: 'svc-lifecycle' };
const deidService: Actor = { kind: 'service', id: 'svc-deid' };
const curator: Actor = { kind: 'user', id: 'staff-2b81c0' };
const consentClerk: Actor = { kind: 'user', id: 'staff-c41d07' };
const steward: Actor = { kind: 'user', id: 'staff-5e90aa' };
const clinician = (n: number): Actor => ({ kind: 'user', id: `staff-${(0x1a2b3 + (n % 211)).toString(16)}` });

interface Envelope {
  readonly actor: Actor;
  readonly purposeOfUse: PurposeOfUse | null;
  readonly producer: Producer;
  readonly source: SourceOffset | null;
  /** Identifies the command's cause: event ids derive from it. */
  readonly causeId: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly at: number;
}

interface Draft {
  readonly stream: string;
  readonly events: { readonly event: DomainEventUnion; readonly envelope: Envelope }[];
}

interface ClassProfile {
  readonly dataClass: DataClass;
  readonly format: ObjectFormat;
  readonly modality: string | null;
  readonly retentionClass: string;
  readonly retainYears: number;
  readonly uses: readonly IntendedUse[];
  readonly sizeBytes: number;
  readonly sniff: string;
}

const PROFILES: readonly ClassProfile[] = [
  ...Array.from({ length: 6 }, (_, i) => ({
    dataClass: 'IMAGING' as const,
    format: 'DICOM' as const,
    modality: ['CT', 'MR', 'CR', 'CT', 'US', 'MR'][i] ?? 'CT',
    retentionClass: 'imaging-adult-8y',
    retainYears: 8,
    uses: ['CLINICAL_CARE', 'RESEARCH', 'MODEL_TRAINING'] as const,
    sizeBytes: 527_104,
    sniff: 'dicom-part10',
  })),
  {
    dataClass: 'CLINICAL_NOTE',
    format: 'PDF',
    modality: null,
    retentionClass: 'clinical-record-8y',
    retainYears: 8,
    uses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT'],
    sizeBytes: 81_920,
    sniff: 'pdf',
  },
  {
    dataClass: 'CLINICAL_NOTE',
    format: 'PLAIN_TEXT',
    modality: null,
    retentionClass: 'clinical-record-8y',
    retainYears: 8,
    uses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH'],
    sizeBytes: 6_144,
    sniff: 'text-utf8',
  },
  {
    dataClass: 'EHR_STRUCTURED',
    format: 'FHIR_JSON',
    modality: null,
    retentionClass: 'clinical-record-8y',
    retainYears: 8,
    uses: ['CLINICAL_CARE', 'RESEARCH', 'PUBLIC_HEALTH'],
    sizeBytes: 24_576,
    sniff: 'fhir-json',
  },
  {
    dataClass: 'GENOMICS',
    format: 'VCF',
    modality: null,
    retentionClass: 'genomics-30y',
    retainYears: 30,
    uses: ['CLINICAL_CARE', 'RESEARCH'],
    sizeBytes: 94_371_840,
    sniff: 'vcf',
  },
];

const sha256 = (...parts: readonly (string | number)[]): string =>
  createHash('sha256').update(parts.join('|')).digest('hex');

function bytesOf(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < length; i += 32) {
    block.copy(out, i, 0, Math.min(32, length - i));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

interface ObjectFacts {
  readonly id: string;
  readonly subjectId: string;
  readonly site: string;
  readonly profile: ClassProfile;
  readonly sha: string;
  readonly hot: ObjectLocation;
  classified: boolean;
  derivedId: string | null;
  holds: string[];
}

interface SubjectFacts {
  readonly id: string;
  readonly consentId: string;
  readonly site: string;
  consented: boolean;
  restricted: boolean;
  revoked: boolean;
}

/**
 * Appends a workload of at least `target` events to `store` (one append per stream and phase, at the
 * stream's exact revision), then returns what it wrote.
 */
export async function buildRebuildWorkload(
  store: EventStore,
  codec: EventCodec,
  target: number,
  log: (line: string) => void = () => undefined,
): Promise<RebuildWorkload> {
  const random = mulberry32(0x5eed);
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[Math.floor(random() * xs.length)];
    if (x === undefined) throw new Error('empty choice');
    return x;
  };
  const revisions = new Map<string, bigint>();
  const byType: Record<string, number> = {};
  let events = 0;
  let appends = 0;
  let bytes = 0;
  let kafkaOffset = 0;
  let requestSeq = 0;

  const schemaVersion = (type: string) => codec.catalogue.latest(type).version;
  const versions = new Map<string, number>();
  async function flush(drafts: readonly Draft[]): Promise<void> {
    for (const draft of drafts) {
      if (draft.events.length === 0) continue;
      const revision = revisions.get(draft.stream);
      const batch = draft.events.map(({ event, envelope }, i) => {
        let version = versions.get(event.type);
        if (version === undefined) versions.set(event.type, (version = schemaVersion(event.type)));
        const metadata: EventMetadata = {
          eventType: event.type,
          schemaVersion: version,
          occurredAt: new Date(envelope.at),
          recordedAt: new Date(envelope.at + 40 + (i % 7)),
          actor: envelope.actor,
          purposeOfUse: envelope.purposeOfUse,
          correlationId: envelope.correlationId,
          causationId: envelope.causationId,
          producer: envelope.producer,
          source: envelope.source,
        };
        const data = codec.encode(event.type, event.data);
        const meta = codec.encode('EventMetadata', metadata);
        bytes += data.length + meta.length;
        byType[event.type] = (byType[event.type] ?? 0) + 1;
        return {
          id: deterministicId('event', envelope.causeId, draft.stream, i),
          type: event.type,
          data,
          metadata: meta,
        };
      });
      const result = await store.appendToStream(draft.stream, batch, {
        expectedRevision: revision ?? 'no_stream',
      });
      revisions.set(draft.stream, result.nextExpectedRevision);
      events += batch.length;
      appends += 1;
    }
  }

  // Reference data every site has: the governing policy and the taxonomy.
  const start: Envelope = {
    actor: steward,
    purposeOfUse: null,
    producer: API,
    source: null,
    causeId: 'request:setup',
    correlationId: deterministicId('corr', 'setup'),
    causationId: null,
    at: BASE - 30 * 24 * HOUR,
  };
  const policy = sampleEvent('PolicyVersionPublished');
  const taxonomy = sampleEvent('TaxonomyVersionPublished');
  await flush([
    { stream: policyStreamName(policy.data.policyId), events: [{ event: policy, envelope: start }] },
    { stream: taxonomyStreamName(taxonomy.data.taxonomyId), events: [{ event: taxonomy, envelope: start }] },
  ]);

  const ingestedSample = sampleEvent('ObjectIngested').data;
  const classifiedSample = sampleEvent('ObjectClassified').data;
  const deidSample = sampleEvent('ObjectDeidentified').data;
  const derivedSample = sampleEvent('DerivedObjectCreated').data;
  const consentSample = sampleEvent('SubjectConsentRecorded').data;
  const disposalSample = sampleEvent('ObjectDisposed').data.evidence;
  const datasetSample = sampleEvent('DatasetDefined').data;
  const versionSample = sampleEvent('DatasetVersionCreated').data;
  const exportSample = sampleEvent('DatasetExportIssued').data;
  const trainingSample = sampleEvent('DatasetConsumedByTrainingRun').data;
  const modelSample = sampleEvent('ModelRegistered').data;

  const subjects: SubjectFacts[] = [];
  const objects: ObjectFacts[] = [];
  let derivedPool: ObjectFacts[] = [];
  let rejected = 0;
  let derived = 0;
  let datasets = 0;
  let models = 0;
  let round = 0;

  const kafka = (topicPartition: number): SourceOffset => ({
    topic: 'medlineage.ingest.requests.v1',
    partition: topicPartition,
    offset: String(kafkaOffset++),
  });
  const apiRequest = (actor: Actor, purpose: PurposeOfUse | null, at: number, producer = API): Envelope => {
    const id = deterministicId('request', requestSeq++);
    return {
      actor,
      purposeOfUse: purpose,
      producer,
      source: null,
      causeId: `request:${id}`,
      correlationId: id,
      causationId: null,
      at,
    };
  };

  while (events < target) {
    const t0 = BASE + round * 6 * HOUR;
    const first = round * ROUND;
    const fresh: ObjectFacts[] = [];
    const consentDrafts: Draft[] = [];

    // Consent comes first: a subject's objects arrive after the clinic recorded it (for most).
    for (let o = first; o < first + ROUND; o++) {
      const s = Math.floor(o / OBJECTS_PER_SUBJECT);
      let subject = subjects[s];
      if (subject === undefined) {
        const site = SITES[s % SITES.length] ?? 'site-uk-rgh';
        subject = {
          id: pseudonymousSubjectId(PSEUDONYM_KEY, site, `mrn-${100_000 + s}`),
          consentId: deterministicId('consent', s),
          site,
          consented: false,
          restricted: false,
          revoked: false,
        };
        subjects[s] = subject;
        if (random() < 0.85) {
          subject.consented = true;
          const broad = random() < 0.6;
          consentDrafts.push({
            stream: subjectConsentStreamName(subject.id),
            events: [
              {
                event: {
                  type: 'SubjectConsentRecorded',
                  data: {
                    ...consentSample,
                    subjectId: subject.id,
                    consentId: subject.consentId,
                    site,
                    permittedUses: broad ? ['RESEARCH', 'MODEL_TRAINING'] : ['RESEARCH'],
                    excludedDataClasses: random() < 0.3 ? ['GENOMICS'] : [],
                    effectiveFrom: new Date(t0 - 2 * HOUR),
                    expiresAt: random() < 0.5 ? new Date(t0 + 10 * 365 * 24 * HOUR) : null,
                    evidenceSha256: sha256('consent-form', s),
                  },
                },
                envelope: apiRequest(consentClerk, 'HOPERAT', t0 - 2 * HOUR + (s % 60) * 1000),
              },
            ],
          });
        }
      }
      const profile = pick(PROFILES);
      const id = deterministicId('object', o);
      const sha = sha256('content', o);
      const key = contentKey(sha);
      fresh.push({
        id,
        subjectId: subject.id,
        site: subject.site,
        profile,
        sha,
        hot: { zone: 'HOT', bucket: 'ml-hot-eu', key, versionId: null },
        classified: false,
        derivedId: null,
        holds: [],
      });
    }
    await flush(consentDrafts);

    // Ingest: a Kafka request per object → ObjectIngested and its classification (or a review).
    const ingestDrafts: Draft[] = [];
    const reviews = new Set<ObjectFacts>();
    fresh.forEach((object, j) => {
      const source = kafka(j % 6);
      const causeId = `${source.topic}:${source.partition}:${source.offset}`;
      const at = t0 + j * 20_000;
      const envelope: Envelope = {
        actor: ingestService,
        purposeOfUse: null,
        producer: INGEST,
        source,
        causeId,
        correlationId: deterministicId('ingest-request', object.id),
        causationId: null,
        at,
      };
      if (random() < 0.01) {
        // A bad upload: its own object id, rejected and left in quarantine.
        rejected += 1;
        const rejectedId = deterministicId('rejected', object.id);
        ingestDrafts.push({
          stream: dataObjectStreamName(rejectedId),
          events: [
            {
              event: {
                type: 'ObjectRejected',
                data: {
                  objectId: rejectedId,
                  requestId: deterministicId('request', rejectedId),
                  gatewayId: 'gw-radiology-eu-01',
                  site: object.site,
                  reasonCode: 'CHECKSUM_MISMATCH',
                  detail: 'sha256 of stored bytes differs from claim',
                  claimedSha256: object.sha,
                  observedSha256: sha256('observed', rejectedId),
                  quarantine: { ...object.hot, zone: 'QUARANTINE', bucket: 'ml-quarantine-eu' },
                },
              },
              envelope,
            },
          ],
        });
      }
      const p = object.profile;
      const sealed = (aad: string, length: number) => ({
        keyId: `subject-key/${object.subjectId}/1`,
        algorithm: 'AES_256_GCM' as const,
        iv: bytesOf(`${object.id}:${aad}:iv`, 12),
        ciphertext: bytesOf(`${object.id}:${aad}`, length),
        authTag: bytesOf(`${object.id}:${aad}:tag`, 16),
        aad: `${object.subjectId}:${aad}`,
      });
      const ingested: DomainEventUnion = {
        type: 'ObjectIngested',
        data: {
          ...ingestedSample,
          objectId: object.id,
          requestId: deterministicId('request', object.id),
          gatewayId: p.dataClass === 'IMAGING' ? 'gw-radiology-eu-01' : 'gw-records-eu-01',
          site: object.site,
          subjectId: object.subjectId,
          studyKey: `stk${object.subjectId.slice(3, 20)}`,
          location: object.hot,
          contentSha256: object.sha,
          sizeBytes: p.sizeBytes + (j % 97) * 512,
          originalName: { hmacSha256: sha256('name', object.id), sealed: sealed('originalName', 18) },
          storageTier: 'HOT',
          contentSniff: p.sniff,
          identity: sealed('identity', 64),
        },
      };
      const classifier: Envelope = { ...envelope, actor: { kind: 'service', id: 'svc-classifier' } };
      if (random() < 0.05) {
        reviews.add(object);
        ingestDrafts.push({
          stream: dataObjectStreamName(object.id),
          events: [
            { event: ingested, envelope },
            {
              event: {
                type: 'ClassificationReviewRequested',
                data: {
                  objectId: object.id,
                  reviewId: deterministicId('review', object.id),
                  taxonomy: classifiedSample.taxonomy,
                  reasonCode: 'CONFLICTING_SIGNALS',
                  candidateClasses: ['IMAGING', 'CLINICAL_NOTE'],
                  signalRuleIds: ['dicom.sop-class.encapsulated-pdf', 'text.report-heuristics'],
                  detail: 'CONFLICTING_SIGNALS: candidates [IMAGING, CLINICAL_NOTE]',
                },
              },
              envelope: classifier,
            },
          ],
        });
        return;
      }
      object.classified = true;
      ingestDrafts.push({
        stream: dataObjectStreamName(object.id),
        events: [
          { event: ingested, envelope },
          {
            event: { type: 'ObjectClassified', data: classification(object, at, null) },
            envelope: classifier,
          },
        ],
      });
    });
    await flush(ingestDrafts);

    // Lifecycle: curators resolve reviews, objects cool to WARM, clinicians look at them, holds.
    const lifecycleDrafts: Draft[] = fresh.map((object, j) => {
      const stream = dataObjectStreamName(object.id);
      const at = t0 + HOUR + j * 15_000;
      const out: Draft = { stream, events: [] };
      if (reviews.has(object)) {
        const env = apiRequest(curator, 'HOPERAT', at);
        const reviewId = deterministicId('review', object.id);
        const quarantine = random() < 0.1;
        out.events.push({
          event: {
            type: 'ClassificationReviewResolved',
            data: {
              objectId: object.id,
              reviewId,
              outcome: quarantine ? 'QUARANTINED' : 'CLASSIFIED',
              note: quarantine ? 'not clinical content' : 'encapsulated radiology report',
            },
          },
          envelope: env,
        });
        if (!quarantine) {
          object.classified = true;
          out.events.push({
            event: { type: 'ObjectClassified', data: classification(object, at, reviewId) },
            envelope: env,
          });
        }
      }
      if (!object.classified) return out;
      if (random() < 0.7) {
        const warm: ObjectLocation = { ...object.hot, zone: 'WARM', bucket: 'ml-warm-eu', versionId: null };
        out.events.push({
          event: {
            type: 'ObjectTierChanged',
            data: {
              objectId: object.id,
              fromTier: 'HOT',
              toTier: 'WARM',
              from: object.hot,
              to: warm,
              reason: 'LIFECYCLE_POLICY',
            },
          },
          envelope: apiRequest(lifecycleService, null, at + 1000),
        });
      }
      const accesses = Math.floor(random() * 5);
      for (let a = 0; a < accesses; a++) {
        const who = clinician(Math.floor(random() * 10_000));
        const accessAt = at + 60_000 * (a + 1);
        const accessId = deterministicId('access', object.id, a);
        if (random() < 0.05) {
          out.events.push({
            event: {
              type: 'ObjectAccessDenied',
              data: {
                objectId: object.id,
                accessId,
                accessType: 'VIEW',
                requested: 'ORIGINAL',
                purposeOfUse: 'HRESCH',
                channel: 'REST_API',
                reasonCode: 'DEIDENTIFIED_CONTENT_REQUIRED',
              },
            },
            envelope: apiRequest(who, 'HRESCH', accessAt),
          });
          continue;
        }
        const download = random() < 0.4;
        out.events.push({
          event: {
            type: 'ObjectAccessed',
            data: {
              objectId: object.id,
              accessId,
              accessType: download ? 'DOWNLOAD' : 'VIEW',
              returned: 'ORIGINAL',
              derivativeObjectId: null,
              bytesReturned: download ? object.profile.sizeBytes : 0,
              purposeOfUse: 'TREAT',
              channel: object.profile.dataClass === 'IMAGING' ? 'DICOMWEB' : 'REST_API',
            },
          },
          envelope: apiRequest(who, 'TREAT', accessAt),
        });
      }
      if (random() < 0.06) {
        const holdId = `hold-${2026 + Math.floor(round / 1000)}-${String(round % 10_000).padStart(4, '0')}-${j}`;
        object.holds.push(holdId);
        out.events.push({
          event: {
            type: 'LegalHoldPlaced',
            data: {
              objectId: object.id,
              holdId,
              kind: random() < 0.7 ? 'LITIGATION' : 'REGULATORY_INQUIRY',
              matterRef: `LEG-2026-${100 + (round % 900)}`,
            },
          },
          envelope: apiRequest(curator, 'HOPERAT', at + 30 * 60_000),
        });
      }
      return out;
    });
    await flush(lifecycleDrafts);

    // De-identification: a quarter of classified images get a derivative (source event + new stream).
    const deidDrafts: Draft[] = [];
    for (const [j, object] of fresh.entries()) {
      if (!object.classified || object.profile.dataClass !== 'IMAGING' || random() >= 0.25) continue;
      const derivedId = deterministicId('derived', object.id);
      const derivedSha = sha256('derived', object.id);
      object.derivedId = derivedId;
      derived += 1;
      const env = apiRequest(deidService, 'HRESCH', t0 + 2 * HOUR + j * 5000, PIPELINE);
      const tool = deidSample.tool;
      deidDrafts.push({
        stream: dataObjectStreamName(object.id),
        events: [
          {
            event: {
              type: 'ObjectDeidentified',
              data: {
                ...deidSample,
                objectId: object.id,
                derivedObjectId: derivedId,
                uidMappingRef: `vault://uid-map/${object.subjectId}/2026-01`,
                outputSha256: derivedSha,
              },
            },
            envelope: env,
          },
        ],
      });
      const derivedFacts: ObjectFacts = {
        ...object,
        id: derivedId,
        sha: derivedSha,
        hot: {
          zone: 'DEIDENTIFIED',
          bucket: 'ml-deid-eu',
          key: contentKey(derivedSha),
          versionId: null,
        },
        derivedId: null,
        holds: [],
      };
      derivedPool.push(derivedFacts);
      deidDrafts.push({
        stream: dataObjectStreamName(derivedId),
        events: [
          {
            event: {
              type: 'DerivedObjectCreated',
              data: {
                ...derivedSample,
                objectId: derivedId,
                derivedFrom: [object.id],
                tool,
                subjectIds: [object.subjectId],
                location: derivedFacts.hot,
                contentSha256: derivedSha,
                sizeBytes: object.profile.sizeBytes - 29_000,
              },
            },
            envelope: env,
          },
        ],
      });
    }
    await flush(deidDrafts);

    // Every fourth round a dataset version is cut from recent derivatives, exported and trained on.
    if (round % 4 === 3 && derivedPool.length > 0) {
      const d = datasets++;
      const datasetId = deterministicId('dataset', d);
      const modelId = deterministicId('model', d);
      const members = derivedPool.slice(0, 300);
      derivedPool = [];
      const manifestSha256 = sha256('manifest', datasetId, 1);
      const trainingRunId = `run-2026-${String(d).padStart(5, '0')}`;
      const env = apiRequest(steward, 'HRESCH', t0 + 3 * HOUR);
      const exportEnv = apiRequest(steward, 'HRESCH', t0 + 4 * HOUR);
      const trainingEnv = apiRequest({ kind: 'service', id: 'svc-training' }, 'HRESCH', t0 + 5 * HOUR);
      await flush([
        {
          stream: datasetStreamName(datasetId),
          events: [
            {
              event: {
                type: 'DatasetDefined',
                data: { ...datasetSample, datasetId, name: `Chest CT cohort ${d}` },
              },
              envelope: env,
            },
            {
              event: {
                type: 'DatasetVersionCreated',
                data: {
                  ...versionSample,
                  datasetId,
                  manifest: {
                    objectIds: members.map((m) => m.id),
                    objectCount: members.length,
                    subjectCount: new Set(members.map((m) => m.subjectId)).size,
                    totalSizeBytes: members.length * 498_112,
                    manifestSha256,
                  },
                  consentCheckedAsOf: new Date(t0 + 3 * HOUR - 600_000),
                  excludedByConsentCount: members.length % 17,
                },
              },
              envelope: env,
            },
            {
              event: {
                type: 'DatasetExportIssued',
                data: {
                  ...exportSample,
                  datasetId,
                  exportId: deterministicId('export', d),
                  manifestSha256,
                  dataUseAgreementRef: `DUA-2026-${String(d).padStart(4, '0')}`,
                },
              },
              envelope: exportEnv,
            },
            {
              event: {
                type: 'DatasetConsumedByTrainingRun',
                data: { ...trainingSample, datasetId, trainingRunId, modelId, manifestSha256 },
              },
              envelope: trainingEnv,
            },
          ],
        },
        {
          stream: modelStreamName(modelId),
          events: [
            {
              event: {
                type: 'ModelRegistered',
                data: {
                  ...modelSample,
                  modelId,
                  name: `lung-nodule-seg-${d}`,
                  trainingRunId,
                  trainedOn: [{ datasetId, version: 1 }],
                  artifactSha256: sha256('model', modelId),
                },
              },
              envelope: trainingEnv,
            },
          ],
        },
      ]);
      models += 1;
    }

    // Later on: holds released, consent restricted or revoked, retention run out (older objects).
    const laterDrafts: Draft[] = [];
    const later = t0 + 5 * HOUR;
    for (const object of objects.slice(-2 * ROUND, -ROUND)) {
      const stream = dataObjectStreamName(object.id);
      const draft: Draft = { stream, events: [] };
      for (const holdId of object.holds.splice(0)) {
        if (random() < 0.5) continue;
        draft.events.push({
          event: {
            type: 'LegalHoldReleased',
            data: { objectId: object.id, holdId, reason: 'matter closed' },
          },
          envelope: apiRequest(curator, 'HOPERAT', later),
        });
      }
      if (object.classified && random() < 0.004) {
        const retainUntil = new Date(later - 24 * HOUR);
        draft.events.push(
          {
            event: {
              type: 'RetentionExpired',
              data: { objectId: object.id, retentionClass: object.profile.retentionClass, retainUntil },
            },
            envelope: apiRequest(lifecycleService, null, later),
          },
          {
            event: {
              type: 'ObjectDisposed',
              data: {
                objectId: object.id,
                evidence: {
                  ...disposalSample,
                  removedVersions: [object.hot],
                  destroyedKeyIds: [`object-key/${object.id}/1`],
                  verifiedAt: new Date(later + HOUR),
                  manifestSha256: sha256('disposal', object.id),
                },
              },
            },
            envelope: apiRequest(curator, 'HOPERAT', later + HOUR),
          },
        );
      }
      laterDrafts.push(draft);
    }
    for (const subject of subjects.slice(-2 * (ROUND / OBJECTS_PER_SUBJECT), -ROUND / OBJECTS_PER_SUBJECT)) {
      if (!subject.consented || subject.revoked) continue;
      const stream = subjectConsentStreamName(subject.id);
      const r = random();
      if (r < 0.08 && !subject.restricted) {
        subject.restricted = true;
        laterDrafts.push({
          stream,
          events: [
            {
              event: {
                type: 'SubjectConsentRestricted',
                data: {
                  subjectId: subject.id,
                  consentId: subject.consentId,
                  removedUses: ['MODEL_TRAINING'],
                  newlyExcludedDataClasses: ['CLINICAL_NOTE'],
                },
              },
              envelope: apiRequest(consentClerk, 'HOPERAT', later),
            },
          ],
        });
      } else if (r < 0.11) {
        subject.revoked = true;
        laterDrafts.push({
          stream,
          events: [
            {
              event: {
                type: 'SubjectConsentRevoked',
                data: {
                  subjectId: subject.id,
                  consentId: subject.consentId,
                  scope: r < 0.1 ? 'STOP_FUTURE_USE' : 'WITHDRAW_FROM_EXISTING_USE',
                  effectiveAt: new Date(later),
                },
              },
              envelope: apiRequest(consentClerk, 'HOPERAT', later),
            },
          ],
        });
      }
    }
    await flush(laterDrafts);

    objects.push(...fresh);
    round += 1;
    if (round % 40 === 0) log(`  … ${events} events appended`);
  }

  return {
    events,
    appends,
    objects: objects.length,
    derived,
    rejected,
    subjects: subjects.length,
    datasets,
    models,
    bytes,
    byType,
  };

  function classification(object: ObjectFacts, at: number, reviewId: string | null): ObjectClassifiedData {
    const p = object.profile;
    const imaging = p.dataClass === 'IMAGING';
    return {
      ...classifiedSample,
      objectId: object.id,
      basis: reviewId === null ? 'RULES' : 'MANUAL_REVIEW',
      reviewId,
      dataClass: p.dataClass,
      format: p.format,
      modality: p.modality,
      dicom:
        imaging && classifiedSample.dicom !== null
          ? {
              ...classifiedSample.dicom,
              seriesKey: `2.25.${BigInt(`0x${object.sha.slice(0, 24)}`).toString()}`,
              instanceKey: `2.25.${BigInt(`0x${object.sha.slice(24, 48)}`).toString()}`,
            }
          : null,
      sensitivity: p.dataClass === 'GENOMICS' ? 'VERY_RESTRICTED' : 'RESTRICTED',
      phiBearing: p.dataClass !== 'GENOMICS',
      retentionClass: p.retentionClass,
      retainUntil: new Date(at + p.retainYears * 365.25 * 24 * HOUR),
      residency: object.site.startsWith('site-eu') ? 'EU' : 'UK',
      eligibleUses: p.uses,
      matchedRuleIds: imaging ? ['dicom.magic', 'dicom.sop-class.ct'] : [`${p.sniff}.magic`],
    };
  }
}
