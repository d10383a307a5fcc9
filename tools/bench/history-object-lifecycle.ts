import type { DataObjectCommand } from '@medlineage/domain';
import {
  changeTier,
  classificationAttributes,
  classifyObject,
  createDerivedObject,
  deidentifyObject,
  ingestObject,
  placeHold,
  recordAccess,
  releaseHold,
  sampleEvent,
} from '@medlineage/domain/testing';
import { deterministicId, type Actor, type PurposeOfUse } from '@medlineage/kernel';
import { DAY_MS, MINUTE_MS } from './bench-support';

/** Where an object's commands go: handled in time order, with `ms` as business and record time. */
export type ScheduleObjectCommand = (
  ms: number,
  command: DataObjectCommand,
  actor: Actor,
  purposeOfUse: PurposeOfUse | null,
  fromKafka?: boolean,
) => void;

export interface BenchObject {
  readonly index: number;
  readonly objectId: string;
  readonly subjectId: string;
  readonly studyKey: string;
  /** Ingest time, ms since epoch. */
  readonly start: number;
}

const gateway: Actor = { kind: 'service', id: 'svc-ingest' };
const classifier: Actor = { kind: 'service', id: 'svc-classifier' };
const lifecycle: Actor = { kind: 'service', id: 'svc-lifecycle' };
const deidService: Actor = { kind: 'service', id: 'svc-deid' };
const qa: Actor = { kind: 'service', id: 'svc-qa' };
const curator: Actor = { kind: 'user', id: 'staff-2b81c0' };
const clinician = (i: number): Actor => ({ kind: 'user', id: `staff-${(0x1a2b3 + (i % 97)).toString(16)}` });
const researcher = (i: number): Actor => ({ kind: 'user', id: `staff-${(0x7c001 + (i % 13)).toString(16)}` });

const sealedIdentity = sampleEvent('ObjectIngested').data.identity;
const CONFLICTING_SIGNALS = [
  { ruleId: 'dicom.sop-class.encapsulated-pdf', dataClass: 'IMAGING', confidence: 0.9 },
  { ruleId: 'text.report-heuristics', dataClass: 'CLINICAL_NOTE', confidence: 0.85 },
] as const;

/** Every tenth object is de-identified; its derivative is a linked stream of its own. */
export const isDeidentified = (index: number): boolean => index % 10 === 3;

/**
 * One object's life, ~10 events over three months as the ingest service, classifier, lifecycle
 * jobs and people record them: ingested and classified (one in twenty via a manual review), read
 * for care, QA and research (a research read of the PHI-bearing original is denied), moved to
 * WARM then COLD, held and released (one in five), de-identified (one in ten: the derivative is
 * created, classified and read).
 */
export function scheduleObjectLifecycle(on: ScheduleObjectCommand, o: BenchObject): void {
  const { index: i, objectId, subjectId, start } = o;
  if (sealedIdentity === null) throw new Error('the ObjectIngested sample has no sealed identity');
  const ingest = ingestObject({
    objectId,
    requestId: deterministicId('request', i),
    subjectId,
    studyKey: o.studyKey,
    contentSha256: deterministicId('sha', i).replaceAll('-', '').padEnd(64, '0'),
    identity: { ...sealedIdentity, aad: `${subjectId}:identity` },
    at: new Date(start),
  });
  on(start, ingest, gateway, null, true);

  const review = i % 20 === 7;
  const reviewId = deterministicId('review', i);
  const classifyAt = start + 40_000;
  const signals = review ? { signals: CONFLICTING_SIGNALS } : {};
  on(
    classifyAt,
    classifyObject({ objectId, reviewId, at: new Date(classifyAt), ...signals }),
    classifier,
    null,
    true,
  );
  if (review) {
    const t = start + 180 * MINUTE_MS;
    const classification = { ...classificationAttributes, dataClass: 'IMAGING' } as const;
    const note = 'encapsulated report reviewed; imaging';
    const resolve = {
      objectId,
      reviewId,
      outcome: 'CLASSIFIED',
      note,
      classification,
      at: new Date(t),
    } as const;
    on(t, { type: 'ResolveClassificationReview', ...resolve, actor: curator }, curator, 'HOPERAT');
  }

  const access = (ms: number, actor: Actor, purposeOfUse: PurposeOfUse, fields: AccessFields): void => {
    const accessId = deterministicId('access', i, ms);
    const command = { objectId, accessId, derivativeObjectId: null, purposeOfUse, actor, at: new Date(ms) };
    on(ms, recordAccess({ ...command, ...fields }), actor, purposeOfUse);
  };
  access(start + 5 * 60 * MINUTE_MS, clinician(i), 'TREAT', {
    accessType: 'VIEW',
    representation: 'ORIGINAL',
  });
  access(start + 6 * 60 * MINUTE_MS, qa, 'SYSADMIN', {
    accessType: 'PIPELINE_READ',
    representation: 'ORIGINAL',
    channel: 'INTERNAL_PIPELINE',
  });
  access(start + 2 * DAY_MS, clinician(i + 1), 'TREAT', {
    accessType: 'DOWNLOAD',
    representation: 'ORIGINAL',
  });
  const metadataOnly = {
    accessType: 'QUERY_METADATA',
    representation: 'METADATA_ONLY',
    channel: 'REST_API',
  } as const;
  access(start + 10 * DAY_MS, researcher(i), 'HRESCH', metadataOnly);
  if (i % 5 === 2) {
    const original = { accessType: 'VIEW', representation: 'ORIGINAL', channel: 'REST_API' } as const;
    access(start + 11 * DAY_MS, researcher(i), 'HRESCH', original); // denied: de-identified content required
  }

  const tier = (ms: number, toTier: 'WARM' | 'COLD'): void => {
    const to = {
      zone: toTier,
      bucket: `ml-${toTier.toLowerCase()}-eu`,
      key: ingest.location.key,
      versionId: null,
    };
    const command = changeTier({ objectId, toTier, to, reason: 'LIFECYCLE_POLICY', at: new Date(ms) });
    on(ms, command, lifecycle, null);
  };
  tier(start + 30 * DAY_MS, 'WARM');
  tier(start + 90 * DAY_MS, 'COLD');

  if (i % 5 === 4) {
    const holdId = `hold-2026-${String(i % 50).padStart(4, '0')}`;
    const [placed, released] = [start + 40 * DAY_MS, start + 60 * DAY_MS];
    on(placed, placeHold({ objectId, holdId, at: new Date(placed) }), curator, 'HOPERAT');
    on(released, releaseHold({ objectId, holdId, at: new Date(released) }), curator, 'HOPERAT');
  }

  if (isDeidentified(i)) {
    const derivedId = deterministicId('bench-history', 'derived', i);
    const t = start + 31 * DAY_MS;
    on(t, deidentifyObject({ objectId, derivedObjectId: derivedId, at: new Date(t) }), deidService, null);
    const sources = [{ objectId, status: 'classified', subjectIds: [subjectId] }] as const;
    on(
      t + 2000,
      createDerivedObject({ objectId: derivedId, sources, at: new Date(t + 2000) }),
      deidService,
      null,
    );
    const attributes = { ...classificationAttributes, phiBearing: false, sensitivity: 'NORMAL' } as const;
    const derivedReview = deterministicId('review', 'derived', i);
    const classifyDerived = classifyObject({
      objectId: derivedId,
      reviewId: derivedReview,
      attributes,
      at: new Date(t + 40_000),
    });
    on(t + 40_000, classifyDerived, classifier, null);
    access(t + 3 * DAY_MS, researcher(i), 'HRESCH', {
      accessType: 'DOWNLOAD',
      representation: 'DEIDENTIFIED_DERIVATIVE',
      derivativeObjectId: derivedId,
    });
  }
}

type AccessFields = Partial<Parameters<typeof recordAccess>[0]>;
