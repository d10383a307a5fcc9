import { createHash } from 'node:crypto';
import {
  BURNED_IN_ANNOTATION_VALUES,
  DATA_CLASSES,
  INTENDED_USES,
  OBJECT_FORMATS,
  SENSITIVITIES,
  type DataClass,
} from '@medlineage/domain';
import { durationDays, parseIsoDuration } from './iso-duration';
import type {
  ClassProfile,
  RetentionClass,
  RuleConditions,
  RuleEffects,
  Taxonomy,
  TaxonomyRule,
} from './taxonomy';

export type TaxonomyValidation =
  | { readonly ok: true; readonly taxonomy: Taxonomy }
  | { readonly ok: false; readonly errors: readonly string[] };

/** A taxonomy document that does not validate; `errors` name the JSON path of each problem. */
export class TaxonomyError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`invalid taxonomy document:\n  ${errors.join('\n  ')}`);
    this.name = 'TaxonomyError';
  }
}

/** Validates, then returns the taxonomy or throws {@link TaxonomyError}. */
export function parseTaxonomy(document: unknown): Taxonomy {
  const result = validateTaxonomy(document);
  if (!result.ok) throw new TaxonomyError(result.errors);
  return result.taxonomy;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const TAXONOMY_ID = /^[a-z][a-z0-9-]{1,62}$/;
const RULE_ID = /^[a-z0-9]+([.-][a-z0-9]+)*$/;
const RETENTION_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const UID_PREFIX = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;
const INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

const DOCUMENT_KEYS = [
  'taxonomyId',
  'version',
  'title',
  'effectiveFrom',
  'retentionClasses',
  'classes',
  'rules',
];
const RETENTION_KEYS = ['id', 'retainFor', 'description'];
const PROFILE_KEYS = ['sensitivity', 'phiBearing', 'retentionClass', 'eligibleUses'];
const RULE_KEYS = ['id', 'description', 'when', 'then'];
const CONDITION_KEYS: readonly (keyof RuleConditions)[] = [
  'format',
  'signalFormat',
  'signal',
  'minSignalConfidence',
  'maxSignalConfidence',
  'contentSniff',
  'conflicting',
  'executable',
  'dicom',
  'sopClassUidPrefix',
  'modality',
  'imageType',
  'burnedInAnnotation',
  'bodyPartExamined',
];
const EFFECT_KEYS: readonly (keyof RuleEffects)[] = [
  'dataClass',
  'confidence',
  'modality',
  'sensitivity',
  'phiBearing',
  'retentionClass',
  'eligibleUses',
  'excludeUses',
];

/** Collects every problem with its path instead of stopping at the first. */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): undefined {
    this.errors.push(`${path}: ${message}`);
    return undefined;
  }

  record(v: unknown, path: string, keys: readonly string[]): Json | undefined {
    if (!isRecord(v)) return this.fail(path, 'must be an object');
    for (const key of Object.keys(v)) {
      if (!keys.includes(key)) this.fail(`${path}.${key}`, 'unknown property');
    }
    return v;
  }

  string(v: unknown, path: string, pattern?: RegExp): string | undefined {
    if (typeof v !== 'string' || v.trim() === '') return this.fail(path, 'must be a non-empty string');
    if (pattern && !pattern.test(v)) return this.fail(path, `must match ${String(pattern)}`);
    return v;
  }

  boolean(v: unknown, path: string): boolean | undefined {
    return typeof v === 'boolean' ? v : this.fail(path, 'must be true or false');
  }

  unit(v: unknown, path: string): number | undefined {
    return typeof v === 'number' && v >= 0 && v <= 1 ? v : this.fail(path, 'must be a number from 0 to 1');
  }

  oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T | undefined {
    const found = values.find((x) => x === v);
    return (
      found ?? this.fail(path, `unknown value ${JSON.stringify(v)}; expected one of ${values.join(', ')}`)
    );
  }

  list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T | undefined): T[] | undefined {
    if (!Array.isArray(v) || v.length === 0) return this.fail(path, 'must be a non-empty array');
    const items = v.map((x, i) => item(x, `${path}[${i}]`));
    if (new Set(v.map((x) => JSON.stringify(x))).size !== v.length) this.fail(path, 'has duplicate values');
    return items.every((x): x is T => x !== undefined) ? items : undefined;
  }
}

/**
 * Checks a taxonomy document: known properties only (a misspelt condition would otherwise
 * silently widen a rule), enum values from the domain vocabularies, unique rule and retention
 * ids, retention classes that exist, a profile for every data class, rules that test something
 * and conclude something, and `dataClass` with `confidence`.
 */
export function validateTaxonomy(document: unknown): TaxonomyValidation {
  const c = new Checker();
  const doc = c.record(document, '$', DOCUMENT_KEYS);
  if (doc === undefined) return { ok: false, errors: c.errors };
  const taxonomyId = c.string(doc['taxonomyId'], '$.taxonomyId', TAXONOMY_ID);
  const version = doc['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    c.fail('$.version', 'must be a positive integer');
  }
  const title = c.string(doc['title'], '$.title');
  const effective = c.string(doc['effectiveFrom'], '$.effectiveFrom', INSTANT);
  const effectiveFrom = effective === undefined ? undefined : new Date(effective);
  if (effectiveFrom !== undefined && Number.isNaN(effectiveFrom.getTime()))
    c.fail('$.effectiveFrom', 'is not a date');

  const retentionClasses =
    c.list(doc['retentionClasses'], '$.retentionClasses', (x, p) => retention(c, x, p)) ?? [];
  const retentionIds = retentionClasses.map((r) => r.id);
  duplicates(c, retentionIds, '$.retentionClasses', 'retention class id');
  const classes = profiles(c, doc['classes'], retentionIds);
  const rules = c.list(doc['rules'], '$.rules', (x, p) => rule(c, x, p, retentionIds)) ?? [];
  duplicates(
    c,
    rules.map((r) => r.id),
    '$.rules',
    'rule id',
  );

  if (
    c.errors.length > 0 ||
    taxonomyId === undefined ||
    typeof version !== 'number' ||
    title === undefined ||
    effectiveFrom === undefined ||
    classes === undefined
  ) {
    return { ok: false, errors: c.errors };
  }
  return {
    ok: true,
    taxonomy: {
      taxonomyId,
      version,
      title,
      effectiveFrom,
      retentionClasses,
      classes,
      rules,
      documentSha256: createHash('sha256').update(canonicalJson(document)).digest('hex'),
    },
  };
}

function duplicates(c: Checker, ids: readonly string[], path: string, what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) c.fail(path, `duplicate ${what} ${JSON.stringify(id)}`);
    seen.add(id);
  }
}

function retention(c: Checker, v: unknown, path: string): RetentionClass | undefined {
  const r = c.record(v, path, RETENTION_KEYS);
  if (r === undefined) return undefined;
  const id = c.string(r['id'], `${path}.id`, RETENTION_ID);
  const retainFor = c.string(r['retainFor'], `${path}.retainFor`);
  const description = c.string(r['description'], `${path}.description`);
  const period = retainFor === undefined ? null : parseIsoDuration(retainFor);
  if (retainFor !== undefined && period === null) {
    c.fail(`${path}.retainFor`, 'must be a positive ISO 8601 duration such as P8Y, P6M or P90D');
  }
  if (id === undefined || retainFor === undefined || description === undefined || period === null)
    return undefined;
  return { id, retainFor, period, retainForDays: durationDays(period), description };
}

function profiles(
  c: Checker,
  v: unknown,
  retentionIds: readonly string[],
): Record<DataClass, ClassProfile> | undefined {
  const classes = c.record(v, '$.classes', DATA_CLASSES);
  if (classes === undefined) return undefined;
  const out: Partial<Record<DataClass, ClassProfile>> = {};
  for (const dataClass of DATA_CLASSES) {
    const path = `$.classes.${dataClass}`;
    if (!(dataClass in classes)) {
      c.fail(path, 'missing: every data class needs a profile');
      continue;
    }
    const p = c.record(classes[dataClass], path, PROFILE_KEYS);
    if (p === undefined) continue;
    const sensitivity = c.oneOf(p['sensitivity'], `${path}.sensitivity`, SENSITIVITIES);
    const phiBearing = c.boolean(p['phiBearing'], `${path}.phiBearing`);
    const retentionClass = c.oneOf(p['retentionClass'], `${path}.retentionClass`, retentionIds);
    const eligibleUses = Array.isArray(p['eligibleUses'])
      ? p['eligibleUses'].map((u, i) => c.oneOf(u, `${path}.eligibleUses[${i}]`, INTENDED_USES))
      : c.fail(`${path}.eligibleUses`, 'must be an array');
    if (
      sensitivity !== undefined &&
      phiBearing !== undefined &&
      retentionClass !== undefined &&
      eligibleUses !== undefined &&
      eligibleUses.every((u) => u !== undefined)
    ) {
      out[dataClass] = {
        sensitivity,
        phiBearing,
        retentionClass,
        eligibleUses: eligibleUses.filter(isDefined),
      };
    }
  }
  const { IMAGING, GENOMICS, EHR_STRUCTURED, CLINICAL_NOTE, MIXED, UNKNOWN } = out;
  return IMAGING && GENOMICS && EHR_STRUCTURED && CLINICAL_NOTE && MIXED && UNKNOWN
    ? { IMAGING, GENOMICS, EHR_STRUCTURED, CLINICAL_NOTE, MIXED, UNKNOWN }
    : undefined;
}

const isDefined = <T>(x: T | undefined): x is T => x !== undefined;

function rule(
  c: Checker,
  v: unknown,
  path: string,
  retentionIds: readonly string[],
): TaxonomyRule | undefined {
  const r = c.record(v, path, RULE_KEYS);
  if (r === undefined) return undefined;
  const id = c.string(r['id'], `${path}.id`, RULE_ID);
  const description = c.string(r['description'], `${path}.description`);
  const when = conditions(c, r['when'], `${path}.when`);
  const then = effects(c, r['then'], `${path}.then`, retentionIds);
  if (id === undefined || description === undefined || when === undefined || then === undefined)
    return undefined;
  return { id, description, when, then };
}

function conditions(c: Checker, v: unknown, path: string): RuleConditions | undefined {
  const w = c.record(v, path, CONDITION_KEYS);
  if (w === undefined) return undefined;
  const errorsBefore = c.errors.length;
  const strings = (key: keyof RuleConditions, pattern?: RegExp): readonly string[] | undefined =>
    w[key] === undefined ? undefined : c.list(w[key], `${path}.${key}`, (x, p) => c.string(x, p, pattern));
  const enums = <T extends string>(
    key: keyof RuleConditions,
    values: readonly T[],
  ): readonly T[] | undefined =>
    w[key] === undefined ? undefined : c.list(w[key], `${path}.${key}`, (x, p) => c.oneOf(x, p, values));
  const flag = (key: keyof RuleConditions): boolean | undefined =>
    w[key] === undefined ? undefined : c.boolean(w[key], `${path}.${key}`);
  const unit = (key: keyof RuleConditions): number | undefined =>
    w[key] === undefined ? undefined : c.unit(w[key], `${path}.${key}`);

  const out: RuleConditions = {
    format: enums('format', OBJECT_FORMATS),
    signalFormat: enums('signalFormat', OBJECT_FORMATS),
    signal: strings('signal', RULE_ID),
    minSignalConfidence: unit('minSignalConfidence'),
    maxSignalConfidence: unit('maxSignalConfidence'),
    contentSniff: strings('contentSniff'),
    conflicting: flag('conflicting'),
    executable: flag('executable'),
    dicom: flag('dicom'),
    sopClassUidPrefix: strings('sopClassUidPrefix', UID_PREFIX),
    modality: strings('modality'),
    imageType: strings('imageType'),
    burnedInAnnotation: enums('burnedInAnnotation', BURNED_IN_ANNOTATION_VALUES),
    bodyPartExamined: strings('bodyPartExamined'),
  };
  const tests = CONDITION_KEYS.filter(
    (k) => k !== 'minSignalConfidence' && k !== 'maxSignalConfidence' && w[k] !== undefined,
  );
  if (tests.length === 0)
    c.fail(path, 'must test at least one condition (a rule matching everything is a mistake)');
  const windowed = w['minSignalConfidence'] !== undefined || w['maxSignalConfidence'] !== undefined;
  if (windowed && w['signalFormat'] === undefined && w['signal'] === undefined) {
    c.fail(path, 'minSignalConfidence/maxSignalConfidence need signalFormat or signal');
  }
  const { minSignalConfidence: min = 0, maxSignalConfidence: max = 1.0001 } = out;
  if (min >= max) c.fail(path, 'minSignalConfidence must be below maxSignalConfidence');
  return c.errors.length > errorsBefore ? undefined : compact(out);
}

function effects(
  c: Checker,
  v: unknown,
  path: string,
  retentionIds: readonly string[],
): RuleEffects | undefined {
  const t = c.record(v, path, EFFECT_KEYS);
  if (t === undefined) return undefined;
  const errorsBefore = c.errors.length;
  const uses = (key: 'eligibleUses' | 'excludeUses') =>
    t[key] === undefined
      ? undefined
      : c.list(t[key], `${path}.${key}`, (x, p) => c.oneOf(x, p, INTENDED_USES));
  const out: RuleEffects = {
    dataClass:
      t['dataClass'] === undefined ? undefined : c.oneOf(t['dataClass'], `${path}.dataClass`, DATA_CLASSES),
    confidence: t['confidence'] === undefined ? undefined : c.unit(t['confidence'], `${path}.confidence`),
    modality: t['modality'] === undefined ? undefined : c.string(t['modality'], `${path}.modality`),
    sensitivity:
      t['sensitivity'] === undefined
        ? undefined
        : c.oneOf(t['sensitivity'], `${path}.sensitivity`, SENSITIVITIES),
    phiBearing: t['phiBearing'] === undefined ? undefined : c.boolean(t['phiBearing'], `${path}.phiBearing`),
    retentionClass:
      t['retentionClass'] === undefined
        ? undefined
        : c.oneOf(t['retentionClass'], `${path}.retentionClass`, retentionIds),
    eligibleUses: uses('eligibleUses'),
    excludeUses: uses('excludeUses'),
  };
  if (Object.keys(t).length === 0) c.fail(path, 'must conclude something');
  if ((t['dataClass'] === undefined) !== (t['confidence'] === undefined)) {
    c.fail(path, 'dataClass and confidence go together');
  }
  return c.errors.length > errorsBefore ? undefined : compact(out);
}

/** Drops absent (undefined) properties, so that parsed rules print and compare like their JSON. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

/** JSON with object keys sorted at every level and no whitespace (the hashed form). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
