import { PURPOSES_OF_USE } from '@medlineage/kernel';
import { DOMAIN_ERROR_CODES } from './domain-error';
import { sameValue } from './common/same-value';
import { dataObjectStreamName } from './data-object/data-object.stream';
import { datasetStreamName } from './dataset/dataset.stream';
import { AGGREGATE_OF_EVENT, ALL_EVENT_TYPES, CURRENT_SCHEMA_VERSION, isEventType } from './event-catalogue';
import { modelStreamName } from './model/model.stream';
import { policyStreamName, taxonomyStreamName } from './policy/policy.stream';
import { parseStreamName, streamName } from './stream-name';
import { subjectConsentStreamName } from './subject-consent/subject-consent.stream';
import { SAMPLE_IDS, sampleEvents, sampleLegacyData } from './testing/sample-events';

describe('event catalogue', () => {
  it('lists each event type once, with a schema folder and a current version', () => {
    expect(new Set(ALL_EVENT_TYPES).size).toBe(ALL_EVENT_TYPES.length);
    expect(Object.keys(AGGREGATE_OF_EVENT).sort()).toEqual([...ALL_EVENT_TYPES].sort());
    expect(Object.keys(CURRENT_SCHEMA_VERSION).sort()).toEqual([...ALL_EVENT_TYPES].sort());
    expect(isEventType('ObjectIngested')).toBe(true);
    expect(isEventType('ObjectIngestedd')).toBe(false);
  });

  it('has one sample per event type and one legacy sample per superseded version', () => {
    expect(sampleEvents().map((e) => e.type)).toEqual(ALL_EVENT_TYPES);
    const expected = ALL_EVENT_TYPES.flatMap((t) =>
      Array.from({ length: CURRENT_SCHEMA_VERSION[t] - 1 }, (_, i) => `${t}@${i + 1}`),
    );
    expect(sampleLegacyData().map((l) => `${l.eventType}@${l.version}`)).toEqual(expected);
  });

  it('keeps samples free of obvious PHI shapes', () => {
    const text = JSON.stringify([sampleEvents(), sampleLegacyData()]);
    expect(text).not.toMatch(/\b\d{3}-\d{2}-\d{4}\b/); // SSN
    expect(text).not.toMatch(/[A-Z]+\^[A-Z]+/); // DICOM PN Family^Given
    expect(text).not.toMatch(/@[a-z]+\.[a-z]+/i); // e-mail
    expect(text).not.toMatch(/\.dcm\b/i); // a file name in clear
    expect(SAMPLE_IDS.subjectId).toMatch(/^sub[a-z2-7]{32}$/); // kernel pseudonym format
  });

  it('returns fresh sample objects on every call (tests may not share mutable fixtures)', () => {
    expect(sampleEvents()).toEqual(sampleEvents());
    expect(sampleEvents()[0]?.data).not.toBe(sampleEvents()[0]?.data);
    const [first] = sampleEvents();
    expect(first?.type === 'ObjectIngested' && first.data.originalName?.sealed?.iv).toBeInstanceOf(
      Uint8Array,
    );
  });

  it('uses HL7 purpose-of-use codes from the kernel', () => {
    for (const e of sampleEvents()) {
      if (e.type === 'ObjectAccessed' || e.type === 'ObjectAccessDenied') {
        expect(PURPOSES_OF_USE).toContain(e.data.purposeOfUse);
      }
    }
  });

  it('has stable, namespaced domain error codes', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES)
      expect(code).toMatch(/^(object|consent|dataset|model|policy|taxonomy)\.[a-z-]+$/);
  });
});

describe('stream names', () => {
  it('are <category>-<id> with dash-free categories', () => {
    const id = SAMPLE_IDS.objectId;
    expect(dataObjectStreamName(id)).toBe(`object-${id}`);
    expect(subjectConsentStreamName(SAMPLE_IDS.subjectId)).toBe(`consent-${SAMPLE_IDS.subjectId}`);
    expect(datasetStreamName(id)).toBe(`dataset-${id}`);
    expect(modelStreamName(id)).toBe(`model-${id}`);
    expect(policyStreamName('secondary-use')).toBe('policy-secondary-use');
    expect(taxonomyStreamName('core')).toBe('taxonomy-core');
    expect(parseStreamName(dataObjectStreamName(id))).toEqual({ category: 'object', id });
  });

  it('refuses dashed categories and empty ids', () => {
    expect(() => streamName('data-object', 'x')).toThrow(RangeError);
    expect(() => streamName('object', '')).toThrow(RangeError);
    expect(parseStreamName('nodash')).toBeNull();
    expect(parseStreamName('-x')).toBeNull();
  });
});

describe('sameValue', () => {
  it('compares data structurally, including dates and bytes', () => {
    expect(
      sameValue(
        { a: [1, new Date(5)], b: Uint8Array.from([1]) },
        { a: [1, new Date(5)], b: Uint8Array.from([1]) },
      ),
    ).toBe(true);
    expect(sameValue({ a: new Date(5) }, { a: new Date(6) })).toBe(false);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(Uint8Array.from([1]), Uint8Array.from([2]))).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});
