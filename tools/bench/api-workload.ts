import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  activeGeneration,
  migrateReadModels,
  physicalTable,
  planServing,
  PROJECTIONS,
  ReadModelDatabase,
} from '@medlineage/read-models';
import { mulberry32 } from './bench-support';

/*
 * The `api` bench's data: a read-model database whose ACTIVE catalog generation holds N realistic
 * catalog rows, written by raw batched inserts (the bench measures the query API, not projection).
 * Rows are laid out as a projector would leave them: inserted in ingestion order, through the tables
 * and indexes the catalog projection creates for the generation.
 */

type Weighted<T> = readonly (readonly [T, number])[];

function picker<T>(table: Weighted<T>): (r: () => number) => T {
  const total = table.reduce((n, [, w]) => n + w, 0);
  return (r) => {
    let x = r() * total;
    for (const [value, w] of table) {
      x -= w;
      if (x < 0) return value;
    }
    const last = table[table.length - 1];
    if (last === undefined) throw new Error('empty table');
    return last[0];
  };
}

const hex = (r: () => number, chars: number): string => {
  let s = '';
  while (s.length < chars)
    s += Math.floor(r() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, chars);
};
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const base32 = (r: () => number, chars: number): string => {
  let s = '';
  for (let i = 0; i < chars; i++) s += BASE32[Math.floor(r() * 32)];
  return s;
};
function uuid(r: () => number): string {
  const h = hex(r, 32);
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const SITES: Weighted<{ readonly id: string; readonly region: string; readonly bucket: string }> = [
  [{ id: 'site-uk-rgh', region: 'UK', bucket: 'uk' }, 14],
  [{ id: 'site-uk-sth', region: 'UK', bucket: 'uk' }, 9],
  [{ id: 'site-uk-lth', region: 'UK', bucket: 'uk' }, 6],
  [{ id: 'site-de-chb', region: 'EU', bucket: 'eu' }, 12],
  [{ id: 'site-de-tum', region: 'EU', bucket: 'eu' }, 7],
  [{ id: 'site-fr-aph', region: 'EU', bucket: 'eu' }, 11],
  [{ id: 'site-nl-umc', region: 'EU', bucket: 'eu' }, 8],
  [{ id: 'site-se-kar', region: 'EU', bucket: 'eu' }, 5],
  [{ id: 'site-ch-usz', region: 'CH', bucket: 'ch' }, 4],
  [{ id: 'site-us-mgh', region: 'US', bucket: 'us' }, 13],
  [{ id: 'site-us-ucsf', region: 'US', bucket: 'us' }, 7],
  [{ id: 'site-ca-tgh', region: 'CA', bucket: 'ca' }, 4],
];

/** Imaging modalities by share of imaging studies. */
export const MODALITIES: Weighted<string> = [
  ['CT', 30],
  ['MR', 20],
  ['CR', 14],
  ['DX', 10],
  ['US', 10],
  ['MG', 7],
  ['PT', 4],
  ['NM', 2],
  ['XA', 3],
];

interface ClassProfile {
  readonly formats: Weighted<string>;
  /** Objects per study: 1 + exponential with this mean. */
  readonly objectsMean: number;
  readonly sensitivity: Weighted<string>;
  readonly retentionClass: string;
  readonly retainYears: number;
  readonly uses: readonly string[];
  readonly sizeBytes: (r: () => number) => number;
}

const lognormal = (r: () => number, median: number, sigma: number): number => {
  const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return Math.round(median * Math.exp(sigma * z));
};

const CLASSES: Readonly<Record<string, ClassProfile>> = {
  IMAGING: {
    formats: [
      ['DICOM', 98],
      ['DICOMDIR', 2],
    ],
    objectsMean: 14,
    sensitivity: [
      ['RESTRICTED', 85],
      ['NORMAL', 15],
    ],
    retentionClass: 'imaging-adult-8y',
    retainYears: 8,
    uses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH', 'MODEL_TRAINING'],
    sizeBytes: (r) => lognormal(r, 520_000, 0.9),
  },
  GENOMICS: {
    formats: [
      ['FASTQ', 40],
      ['BAM', 20],
      ['CRAM', 20],
      ['VCF', 20],
    ],
    objectsMean: 3,
    sensitivity: [['VERY_RESTRICTED', 1]],
    retentionClass: 'genomics-25y',
    retainYears: 25,
    uses: ['CLINICAL_CARE', 'RESEARCH'],
    sizeBytes: (r) => lognormal(r, 4_000_000_000, 1.2),
  },
  EHR_STRUCTURED: {
    formats: [
      ['FHIR_JSON', 45],
      ['FHIR_NDJSON', 20],
      ['HL7V2', 25],
      ['CCDA', 7],
      ['FHIR_XML', 3],
    ],
    objectsMean: 5,
    sensitivity: [
      ['NORMAL', 60],
      ['RESTRICTED', 40],
    ],
    retentionClass: 'ehr-10y',
    retainYears: 10,
    uses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH', 'PUBLIC_HEALTH'],
    sizeBytes: (r) => lognormal(r, 40_000, 1.3),
  },
  CLINICAL_NOTE: {
    formats: [
      ['PDF', 55],
      ['PLAIN_TEXT', 45],
    ],
    objectsMean: 4,
    sensitivity: [
      ['RESTRICTED', 70],
      ['VERY_RESTRICTED', 30],
    ],
    retentionClass: 'notes-10y',
    retainYears: 10,
    uses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT'],
    sizeBytes: (r) => lognormal(r, 60_000, 1),
  },
  MIXED: {
    formats: [['ARCHIVE', 1]],
    objectsMean: 2,
    sensitivity: [['RESTRICTED', 1]],
    retentionClass: 'mixed-10y',
    retainYears: 10,
    uses: ['CLINICAL_CARE'],
    sizeBytes: (r) => lognormal(r, 30_000_000, 1.5),
  },
  UNKNOWN: {
    formats: [['UNKNOWN', 1]],
    objectsMean: 1,
    sensitivity: [['VERY_RESTRICTED', 1]],
    retentionClass: 'unclassified-1y',
    retainYears: 1,
    uses: [],
    sizeBytes: (r) => lognormal(r, 200_000, 2),
  },
};

/** Share of STUDIES by data class (imaging studies hold more objects, so more rows). */
const STUDY_CLASSES: Weighted<string> = [
  ['IMAGING', 48],
  ['EHR_STRUCTURED', 22],
  ['CLINICAL_NOTE', 16],
  ['GENOMICS', 9],
  ['MIXED', 3],
  ['UNKNOWN', 2],
];

/** Object status by share (a long-lived catalogue: mostly classified). */
const STATUSES: Weighted<string> = [
  ['classified', 86],
  ['derived', 5],
  ['ingested', 2],
  ['under-review', 2],
  ['quarantined', 0.6],
  ['rejected', 1.4],
  ['disposed', 3],
];

interface SubjectConsent {
  readonly status: 'active' | 'restricted' | 'revoked';
  readonly permitted: readonly string[];
  readonly excluded: readonly string[];
  readonly expiresAt: string | null;
}

const CONSENTS: Weighted<(r: () => number, now: number) => SubjectConsent | undefined> = [
  [() => undefined, 18],
  [
    (r, now) => ({
      status: 'active',
      permitted:
        r() < 0.6
          ? ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH', 'MODEL_TRAINING', 'PUBLIC_HEALTH']
          : ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH'],
      excluded: r() < 0.1 ? ['GENOMICS'] : [],
      // Some consents are time-limited; a few have lapsed (the query checks expiry at read time).
      expiresAt: r() < 0.2 ? new Date(now + (r() * 6 - 1) * 365 * 86_400_000).toISOString() : null,
    }),
    66,
  ],
  [
    () => ({
      status: 'restricted',
      permitted: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT'],
      excluded: ['GENOMICS'],
      expiresAt: null,
    }),
    10,
  ],
  [() => ({ status: 'revoked', permitted: [], excluded: [], expiresAt: null }), 6],
];

export interface CatalogWorkload {
  readonly rows: number;
  readonly subjects: readonly string[];
  readonly studies: readonly string[];
  readonly sites: readonly string[];
  readonly generation: number;
  readonly table: string;
  readonly seconds: number;
}

interface Study {
  readonly key: string;
  readonly subject: number;
  readonly dataClass: string;
  readonly modality: string | null;
  readonly at: number;
}

const FROM = Date.parse('2019-01-01T00:00:00Z');
const TO = Date.parse('2026-11-20T00:00:00Z');

/**
 * Migrates `dir/read-models.db`, lets planServing create and activate every projection's generation
 * (as the API process would), then fills the active catalog generation with `rows` objects over
 * ~rows/20 subjects and ~rows/10 studies spread over ingestion years 2019–2026.
 */
export async function buildCatalog(dir: string, rows: number, seed = 42): Promise<CatalogWorkload> {
  const started = Date.now();
  const path = join(dir, 'read-models.db');
  const readModels = ReadModelDatabase.open({ url: `sqlite:${path}` });
  await migrateReadModels(readModels.db);
  await planServing(readModels.db, PROJECTIONS);
  const generation = await activeGeneration(readModels.db, 'catalog');
  await readModels.close();
  if (generation === null) throw new Error('planServing activated no catalog generation');

  const r = mulberry32(seed);
  const subjectCount = Math.max(1, Math.round(rows / 20));
  const subjects = Array.from({ length: subjectCount }, () => `sub${base32(r, 32)}`);
  const pickSite = picker(SITES);
  const subjectSite = subjects.map(() => pickSite(r));
  const pickConsent = picker(CONSENTS);
  const consents = subjects.map(() => pickConsent(r)(r, TO));

  // Studies until they hold `rows` objects; then replayed in ingestion order (as a projector writes).
  const pickClass = picker(STUDY_CLASSES);
  const pickModality = picker(MODALITIES);
  const studies: (Study & { readonly objects: number })[] = [];
  for (let total = 0; total < rows;) {
    const dataClass = pickClass(r);
    const profile = CLASSES[dataClass];
    if (profile === undefined) throw new Error(dataClass);
    const objects = Math.min(rows - total, 1 + Math.floor(-Math.log(1 - r()) * (profile.objectsMean - 1)));
    studies.push({
      key: `stk${base32(r, 17)}`,
      subject: Math.floor(r() * subjectCount),
      dataClass,
      modality: dataClass === 'IMAGING' ? pickModality(r) : null,
      // Volume grows over the years (density ∝ t).
      at: FROM + (TO - FROM) * Math.sqrt(r()),
      objects,
    });
    total += objects;
  }
  studies.sort((a, b) => a.at - b.at);

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  const table = physicalTable('catalog_objects', generation);
  // Secondary indexes are dropped for the bulk load and recreated from their own DDL: same layout.
  const indexes = db
    .prepare<[string], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
    )
    .all(table);
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);

  const columns = [
    'object_id',
    'subject_id',
    'study_key',
    'series_key',
    'site',
    'status',
    'data_class',
    'format',
    'modality',
    'sensitivity',
    'phi_bearing',
    'tier',
    'zone',
    'bucket',
    'location_key',
    'deidentified',
    'deidentified_copy_id',
    'derived_from',
    'legal_holds',
    'retention_class',
    'retain_until',
    'retention_expired',
    'size_bytes',
    'residency',
    'taxonomy',
    'classified_uses',
    'consent_status',
    'consent_expires_at',
    'eligible_uses',
    'ingested_at',
    'updated_at',
    'last_position',
    'last_commit',
    'last_prepare',
  ] as const;
  const insert = db.prepare(
    `INSERT INTO "${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
  );
  const pickStatus = picker(STATUSES);
  const sitesById = new Map<string, string>();
  let position = 0;
  let recent: string[] = [];
  const writeStudy = (study: Study & { readonly objects: number }): void => {
    const profile = CLASSES[study.dataClass];
    if (profile === undefined) throw new Error(study.dataClass);
    const subjectId = subjects[study.subject] ?? null;
    const site = subjectSite[study.subject] ?? SITES[0]?.[0];
    if (site === undefined) throw new Error('no site');
    sitesById.set(site.id, site.id);
    const consent = consents[study.subject];
    const pickFormat = picker(profile.formats);
    const pickSensitivity = picker(profile.sensitivity);
    const seriesCount = study.modality === null ? 0 : 1 + Math.floor(r() * 4);
    const series = Array.from({ length: seriesCount }, () => `2.25.${Math.floor(r() * 1e18)}${hex(r, 4)}`);
    for (let i = 0; i < study.objects; i++) {
      position += 2 + Math.floor(r() * 6);
      const ingested = study.at + i * (200 + r() * 2_000);
      const status = pickStatus(r);
      const classified = status !== 'ingested' && status !== 'rejected';
      const derived = status === 'derived';
      const deidentified = derived && r() < 0.7;
      const ageYears = (TO - ingested) / (365 * 86_400_000);
      const tier =
        status === 'rejected' ? null : ageYears < 1 ? 'HOT' : ageYears < 3 && r() < 0.8 ? 'WARM' : 'COLD';
      const zone =
        status === 'rejected' || status === 'ingested' ? 'QUARANTINE' : deidentified ? 'DEIDENTIFIED' : tier;
      const retainUntil = ingested + profile.retainYears * 365 * 86_400_000;
      const updated = Math.min(TO, ingested + (classified ? r() * 30 : r() * 0.01) * 86_400_000);
      const objectId = uuid(r);
      const classifiedUses = classified ? profile.uses : [];
      const eligible =
        consent === undefined || consent.status === 'revoked' || consent.excluded.includes(study.dataClass)
          ? []
          : classifiedUses.filter((u) => consent.permitted.includes(u));
      const attributable = !derived || r() < 0.8;
      const held = r() < 0.004 ? 1 : 0;
      insert.run(
        objectId,
        status === 'rejected' || !attributable ? null : subjectId,
        status === 'rejected' || derived ? null : study.key,
        classified && study.modality !== null ? (series[i % seriesCount] ?? null) : null,
        site.id,
        status,
        classified ? study.dataClass : null,
        classified ? pickFormat(r) : null,
        classified ? study.modality : null,
        classified ? (deidentified ? 'MODERATE' : pickSensitivity(r)) : null,
        classified ? (deidentified ? 0 : 1) : null,
        tier,
        zone,
        zone === null ? null : `ml-${zone.toLowerCase()}-${site.bucket}`,
        zone === null ? null : `sha256/${hex(r, 2)}/${hex(r, 2)}/${hex(r, 64)}`,
        deidentified ? 1 : 0,
        classified && !derived && study.dataClass === 'IMAGING' && r() < 0.06 ? uuid(r) : null,
        derived ? JSON.stringify(recent.slice(0, 1 + Math.floor(r() * 2))) : null,
        held,
        classified ? profile.retentionClass : null,
        classified ? new Date(retainUntil).toISOString() : null,
        classified && retainUntil < TO ? 1 : 0,
        String(profile.sizeBytes(r)),
        classified ? site.region : null,
        classified ? `medlineage-core@${ingested < Date.parse('2023-06-01T00:00:00Z') ? 3 : 4}` : null,
        JSON.stringify(classifiedUses),
        consent?.status ?? null,
        consent?.expiresAt ?? null,
        JSON.stringify(eligible),
        new Date(ingested).toISOString(),
        new Date(updated).toISOString(),
        `C:${position}/P:${position}`,
        position,
        position,
      );
      if (recent.length > 8) recent = recent.slice(-4);
      recent.push(objectId);
    }
  };
  const batch = db.transaction((from: number, to: number) => {
    for (let s = from; s < to; s++) {
      const study = studies[s];
      if (study !== undefined) writeStudy(study);
    }
  });
  for (let s = 0; s < studies.length; s += 2_000) batch(s, s + 2_000);
  for (const index of indexes) db.exec(index.sql);

  const consentTable = physicalTable('catalog_subject_consent', generation);
  const insertConsent = db.prepare(
    `INSERT INTO "${consentTable}" (subject_id, status, permitted_uses, excluded_classes, expires_at, last_commit, last_prepare)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    subjects.forEach((subjectId, i) => {
      const c = consents[i];
      if (c === undefined) return;
      insertConsent.run(
        subjectId,
        c.status,
        JSON.stringify(c.permitted),
        JSON.stringify(c.excluded),
        c.expiresAt,
        i + 1,
        i + 1,
      );
    });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  const usedSubjects = [...new Set(studies.map((s) => s.subject))].map((i) => subjects[i] ?? '');
  return {
    rows,
    subjects: usedSubjects,
    studies: studies.map((s) => s.key),
    sites: [...sitesById.keys()],
    generation,
    table,
    seconds: (Date.now() - started) / 1000,
  };
}
