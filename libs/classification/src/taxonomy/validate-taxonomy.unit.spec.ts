import { given } from '@medlineage/domain/testing';
import { taxonomyDecider } from '@medlineage/domain';
import core from '../../taxonomy/medlineage-core.v1.json';
import { DEFAULT_TAXONOMY } from './default-taxonomy';
import { addRetention, durationDays, parseIsoDuration } from './iso-duration';
import { publishTaxonomyVersion, taxonomyPublication } from './publish';
import { canonicalJson, parseTaxonomy, TaxonomyError, validateTaxonomy } from './validate-taxonomy';

/** A deep, mutable copy of the shipped document to break on purpose. */
type Doc = { rules: Record<string, unknown>[]; [key: string]: unknown };
const doc = (): Doc => JSON.parse(JSON.stringify(core)) as Doc;
const rule = (d: Doc, id: string): Record<string, unknown> => {
  const r = d.rules.find((x) => x['id'] === id);
  if (r === undefined) throw new Error(`no rule ${id}`);
  return r;
};
const errorsOf = (d: unknown): readonly string[] => {
  const result = validateTaxonomy(d);
  return result.ok ? [] : result.errors;
};

describe('taxonomy document', () => {
  it('ships a valid medlineage-core v1', () => {
    expect(validateTaxonomy(core)).toMatchObject({ ok: true });
    expect(DEFAULT_TAXONOMY).toMatchObject({ taxonomyId: 'medlineage-core', version: 1 });
    expect(DEFAULT_TAXONOMY.effectiveFrom.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(DEFAULT_TAXONOMY.documentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the canonical form: key order and whitespace do not matter, content does', () => {
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(doc()).reverse()), null, 4),
    ) as unknown;
    expect(parseTaxonomy(reordered).documentSha256).toBe(DEFAULT_TAXONOMY.documentSha256);
    const changed = doc();
    rule(changed, 'note.pdf')['description'] = 'PDF documents';
    expect(parseTaxonomy(changed).documentSha256).not.toBe(DEFAULT_TAXONOMY.documentSha256);
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: true })).toBe(
      '{"a":true,"b":[1,{"c":null,"d":"x"}]}',
    );
  });

  it('keeps only the conditions and effects a rule states', () => {
    const ct = DEFAULT_TAXONOMY.rules.find((r) => r.id === 'dicom.sop-class.ct');
    expect(ct).toEqual({
      id: 'dicom.sop-class.ct',
      description: 'CT Image, Enhanced CT, Legacy Converted Enhanced CT',
      when: { sopClassUidPrefix: ['1.2.840.10008.5.1.4.1.1.2'] },
      then: { dataClass: 'IMAGING', confidence: 0.95, modality: 'CT' },
    });
  });

  it.each<[string, (d: Doc) => void, string]>([
    [
      'an unknown data class',
      (d) => ((rule(d, 'note.pdf')['then'] as Record<string, unknown>)['dataClass'] = 'DOCUMENT'),
      '$.rules[*].then.dataClass: unknown value "DOCUMENT"',
    ],
    [
      'an unknown format',
      (d) => ((rule(d, 'note.pdf')['when'] as Record<string, unknown>)['signalFormat'] = ['DOCX']),
      '.when.signalFormat[0]: unknown value "DOCX"',
    ],
    [
      'an unknown sensitivity',
      (d) =>
        (((d['classes'] as Record<string, Record<string, unknown>>)['IMAGING'] ?? {})['sensitivity'] =
          'SECRET'),
      '$.classes.IMAGING.sensitivity: unknown value "SECRET"',
    ],
    [
      'an unknown intended use',
      (d) =>
        ((rule(d, 'content.conflicting')['then'] as Record<string, unknown>)['excludeUses'] = ['MARKETING']),
      '.then.excludeUses[0]: unknown value "MARKETING"',
    ],
    [
      'an unknown burned-in value',
      (d) =>
        ((rule(d, 'dicom.burned-in-annotation')['when'] as Record<string, unknown>)['burnedInAnnotation'] = [
          'MAYBE',
        ]),
      '.when.burnedInAnnotation[0]: unknown value "MAYBE"',
    ],
    [
      'a duplicate rule id',
      (d) => (rule(d, 'note.weak')['id'] = 'note.pdf'),
      '$.rules: duplicate rule id "note.pdf"',
    ],
    [
      'a misspelt condition',
      (d) =>
        ((rule(d, 'dicom.sop-class.ct')['when'] as Record<string, unknown>)['sopClassUIDPrefix'] = ['1.2']),
      '.when.sopClassUIDPrefix: unknown property',
    ],
    ['an unknown property at the top', (d) => (d['owner'] = 'x'), '$.owner: unknown property'],
    [
      'a missing class profile',
      (d) => delete (d['classes'] as Record<string, unknown>)['MIXED'],
      '$.classes.MIXED: missing',
    ],
    [
      'an undefined retention class',
      (d) => ((rule(d, 'note.pdf')['then'] as Record<string, unknown>)['retentionClass'] = 'forever'),
      '.then.retentionClass: unknown value "forever"',
    ],
    [
      'a duplicate retention class',
      (d) =>
        ((d['retentionClasses'] as Record<string, unknown>[])[1] = {
          id: 'imaging-adult-8y',
          retainFor: 'P1Y',
          description: 'x',
        }),
      'duplicate retention class id "imaging-adult-8y"',
    ],
    [
      'a bad retention period',
      (d) => (((d['retentionClasses'] as Record<string, unknown>[])[0] ?? {})['retainFor'] = 'P8YT1H'),
      '.retainFor: must be a positive ISO 8601 duration',
    ],
    [
      'a class without confidence',
      (d) => delete (rule(d, 'note.pdf')['then'] as Record<string, unknown>)['confidence'],
      'dataClass and confidence go together',
    ],
    [
      'a confidence above 1',
      (d) => ((rule(d, 'note.pdf')['then'] as Record<string, unknown>)['confidence'] = 1.5),
      '.then.confidence: must be a number from 0 to 1',
    ],
    [
      'a rule that tests nothing',
      (d) => (rule(d, 'note.pdf')['when'] = {}),
      'must test at least one condition',
    ],
    ['a rule that concludes nothing', (d) => (rule(d, 'note.pdf')['then'] = {}), 'must conclude something'],
    [
      'an empty confidence window',
      (d) => Object.assign(rule(d, 'note.weak')['when'] as object, { minSignalConfidence: 0.9 }),
      'minSignalConfidence must be below maxSignalConfidence',
    ],
    [
      'a window without signals',
      (d) =>
        (rule(d, 'dicom.sop-class.ct')['when'] = { sopClassUidPrefix: ['1.2'], minSignalConfidence: 0.5 }),
      'need signalFormat or signal',
    ],
    [
      'a bad UID prefix',
      (d) => (rule(d, 'dicom.sop-class.ct')['when'] = { sopClassUidPrefix: ['1.2.840.x'] }),
      '.when.sopClassUidPrefix[0]: must match',
    ],
    ['a version of 0', (d) => (d['version'] = 0), '$.version: must be a positive integer'],
    [
      'an effectiveFrom that is not an instant',
      (d) => (d['effectiveFrom'] = '1 December 2026'),
      '$.effectiveFrom: must match',
    ],
  ])('rejects %s', (_, breakIt, message) => {
    const d = doc();
    breakIt(d);
    const errors = errorsOf(d);
    const pattern = message.replace('$.rules[*]', '');
    expect(errors.some((e) => e.includes(pattern))).toBe(true);
  });

  it('rejects what is not a taxonomy at all, and reports every problem at once', () => {
    expect(errorsOf(null)).toEqual(['$: must be an object']);
    expect(errorsOf([])).toEqual(['$: must be an object']);
    const d = doc();
    d['version'] = -1;
    rule(d, 'note.weak')['id'] = 'note.pdf';
    expect(errorsOf(d)).toHaveLength(2);
    expect(() => parseTaxonomy(d)).toThrow(TaxonomyError);
    expect(() => parseTaxonomy(d)).toThrow(/duplicate rule id "note\.pdf"/);
  });
});

describe('retention periods', () => {
  const at = new Date('2026-11-20T09:15:00.000Z');

  it('parses date-only ISO 8601 durations', () => {
    expect(parseIsoDuration('P8Y')).toEqual({ years: 8, months: 0, weeks: 0, days: 0 });
    expect(parseIsoDuration('P1Y6M2W3D')).toEqual({ years: 1, months: 6, weeks: 2, days: 3 });
    for (const bad of ['P', 'P0D', '8Y', 'P1H', 'PT1H', 'P-1Y', 'P1.5Y', ''])
      expect(parseIsoDuration(bad)).toBeNull();
  });

  it('counts whole days the way TaxonomyVersionPublished states them', () => {
    expect(durationDays({ years: 8, months: 0, weeks: 0, days: 0 })).toBe(2922);
    expect(durationDays({ years: 30, months: 0, weeks: 0, days: 0 })).toBe(10958);
    expect(durationDays({ years: 0, months: 0, weeks: 2, days: 1 })).toBe(15);
  });

  it('retains until at + period on the calendar, and never less than the stated days', () => {
    expect(addRetention(at, { years: 8, months: 0, weeks: 0, days: 0 }).toISOString()).toBe(
      '2034-11-20T09:15:00.000Z',
    );
    const thirty = { years: 30, months: 0, weeks: 0, days: 0 };
    expect(addRetention(at, thirty).toISOString()).toBe('2056-11-20T09:15:00.000Z'); // 8 leap days: 10,958
    // 2025-03-01 to 2055-03-01 holds 7 leap days (10,957 days): the stated 10,958 wins.
    expect(addRetention(new Date('2025-03-01T00:00:00.000Z'), thirty).toISOString()).toBe(
      '2055-03-02T00:00:00.000Z',
    );
    const leapDay = new Date('2024-02-29T00:00:00.000Z');
    expect(addRetention(leapDay, { years: 1, months: 0, weeks: 0, days: 0 }).toISOString()).toBe(
      '2025-03-01T00:00:00.000Z',
    );
    const months = (n: number) => ({ years: 0, months: n, weeks: 0, days: 0 });
    // The calendar wins: 1 July + 2 months is 62 days, more than the stated 61.
    expect(addRetention(new Date('2027-07-01T00:00:00.000Z'), months(2)).toISOString()).toBe(
      '2027-09-01T00:00:00.000Z',
    );
    // Month ends clamp (31 January + 13 months = 29 February 2028), then the stated 396 days win.
    expect(addRetention(new Date('2027-01-31T00:00:00.000Z'), months(13)).toISOString()).toBe(
      '2028-03-02T00:00:00.000Z',
    );
  });
});

describe('taxonomy publication', () => {
  it('describes the taxonomy as TaxonomyVersionPublished expects', () => {
    expect(taxonomyPublication(DEFAULT_TAXONOMY)).toEqual({
      taxonomyId: 'medlineage-core',
      version: 1,
      documentSha256: DEFAULT_TAXONOMY.documentSha256,
      effectiveFrom: new Date('2026-12-01T00:00:00.000Z'),
      dataClasses: ['IMAGING', 'GENOMICS', 'EHR_STRUCTURED', 'CLINICAL_NOTE', 'MIXED'],
      retentionClasses: [
        { id: 'imaging-adult-8y', retainForDays: 2922, description: 'Adult imaging records: 8 years' },
        { id: 'genomics-30y', retainForDays: 10958, description: 'Genomic records: 30 years' },
        { id: 'ehr-adult-8y', retainForDays: 2922, description: 'Adult structured health records: 8 years' },
        { id: 'clinical-note-8y', retainForDays: 2922, description: 'Clinical notes and reports: 8 years' },
        {
          id: 'pending-review-8y',
          retainForDays: 2922,
          description:
            'Unrecognised or mixed content: kept like adult records until a reviewer classifies it',
        },
      ],
      ruleCount: DEFAULT_TAXONOMY.rules.length,
    });
  });

  it('is accepted by the domain taxonomy decider, and republishing it is a no-op', () => {
    const at = new Date('2026-11-23T00:00:00.000Z');
    const command = publishTaxonomyVersion(DEFAULT_TAXONOMY, at, { kind: 'user', id: 'staff-governance' });
    const published = {
      type: 'TaxonomyVersionPublished' as const,
      data: taxonomyPublication(DEFAULT_TAXONOMY),
    };
    given(taxonomyDecider, []).when(command).then([published]);
    given(taxonomyDecider, [published]).when(command).thenNothingHappens();
  });
});
