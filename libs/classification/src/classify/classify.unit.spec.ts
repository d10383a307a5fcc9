import type { ClassifyObject, DicomAttributes } from '@medlineage/domain';
import { classifierService } from '@medlineage/domain/testing';
import {
  bam,
  ccda,
  clinicalNote,
  cramHeader,
  dicomPart10,
  elf,
  fastq,
  fhirNdjson,
  hl7Adt,
  labCsv,
  pdf,
  rawDataset,
  randomBytes,
  SOP_CLASSES,
  utf8,
  vcfGz,
  zip,
} from '../samples';
import core from '../../taxonomy/medlineage-core.v1.json';
import { sniff } from '../sniff/sniff';
import { parseTaxonomy } from '../taxonomy/validate-taxonomy';
import { classify, type ClassificationOutcome, type DicomFacts } from './classify';
import { residencyForSite } from './residency';

const AT = new Date('2026-11-20T09:15:00.000Z');
const whole = (b: Uint8Array) => sniff(b, b.length);

function facts(o: Partial<DicomFacts> & { sopClassUid: string }): DicomFacts {
  const attributes: DicomAttributes = {
    sopClassUid: o.sopClassUid,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    burnedInAnnotation: o.burnedInAnnotation ?? 'NO',
    numberOfFrames: null,
    bodyPartExamined: o.bodyPartExamined ?? null,
    seriesKey: '2.25.1001',
    instanceKey: '2.25.1002',
    manufacturer: 'SIM',
    manufacturerModelName: 'SIM-1',
    stationName: null,
    studyYear: 2026,
  };
  return {
    modality: null,
    bodyPartExamined: null,
    imageType: ['ORIGINAL', 'PRIMARY'],
    burnedInAnnotation: 'NO',
    attributes,
    ...o,
  };
}

function dicom(o: Partial<DicomFacts> & { sopClassUid: string }): ClassificationOutcome {
  const f = facts(o);
  return classify({
    sniff: whole(dicomPart10({ sopClassUid: o.sopClassUid, modality: f.modality ?? 'OT' })),
    dicom: f,
    siteResidency: 'UK',
    at: AT,
  });
}

const content = (bytes: Uint8Array): ClassificationOutcome =>
  classify({ sniff: whole(bytes), dicom: null, siteResidency: 'EU', at: AT });

const classes = (o: ClassificationOutcome) => o.signals.map((s) => `${s.dataClass}@${s.confidence}`);

describe('classify', () => {
  describe('DICOM', () => {
    it('classes a CT image as imaging, fit for training, from three agreeing rules', () => {
      const o = dicom({ sopClassUid: SOP_CLASSES.ct, modality: 'CT' });
      expect(o.taxonomy).toEqual({ id: 'medlineage-core', version: 1 });
      expect(o.signals).toEqual([
        { ruleId: 'dicom.format', dataClass: 'IMAGING', confidence: 0.85 },
        { ruleId: 'dicom.sop-class.ct', dataClass: 'IMAGING', confidence: 0.95 },
        { ruleId: 'dicom.modality.imaging', dataClass: 'IMAGING', confidence: 0.9 },
      ]);
      expect(o.attributes).toEqual({
        format: 'DICOM',
        modality: 'CT',
        dicom: facts({ sopClassUid: SOP_CLASSES.ct }).attributes,
        sensitivity: 'RESTRICTED',
        phiBearing: true,
        retentionClass: 'imaging-adult-8y',
        retainUntil: new Date('2034-11-20T09:15:00.000Z'),
        residency: 'UK',
        eligibleUses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH', 'MODEL_TRAINING'],
      });
    });

    it.each([
      ['MR', SOP_CLASSES.mr, 'dicom.sop-class.mr'],
      ['CR', '1.2.840.10008.5.1.4.1.1.1', 'dicom.sop-class.projection-xray'],
      ['DX', '1.2.840.10008.5.1.4.1.1.1.1', 'dicom.sop-class.projection-xray'],
      ['MG', '1.2.840.10008.5.1.4.1.1.1.2', 'dicom.sop-class.projection-xray'],
      ['PT', '1.2.840.10008.5.1.4.1.1.128', 'dicom.sop-class.nuclear-medicine'],
      ['SEG', '1.2.840.10008.5.1.4.1.1.66.4', 'dicom.sop-class.derived-objects'],
      ['KO', '1.2.840.10008.5.1.4.1.1.88.59', 'dicom.sop-class.derived-objects'],
    ])('classes %s as imaging', (modality, sopClassUid, ruleId) => {
      const o = dicom({ sopClassUid, modality });
      expect(o.matchedRuleIds).toContain(ruleId);
      expect(new Set(o.signals.map((s) => s.dataClass))).toEqual(new Set(['IMAGING']));
      expect(o.attributes.eligibleUses).toContain('MODEL_TRAINING');
    });

    it('matches SOP class prefixes arc by arc (NM …1.1.20 is not CT …1.1.2; SEG …1.1.66.4 is not US …1.1.6)', () => {
      expect(
        dicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.20', modality: 'NM' }).matchedRuleIds,
      ).not.toContain('dicom.sop-class.ct');
      const seg = dicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.66.4', modality: 'SEG' });
      expect(seg.matchedRuleIds).not.toContain('dicom.sop-class.ultrasound');
      expect(seg.matchedRuleIds).not.toContain('dicom.pixel-risk.sop-class');
    });

    it.each([
      ['US', SOP_CLASSES.us, 'UNKNOWN'],
      ['SC (OT)', SOP_CLASSES.secondaryCapture, 'UNKNOWN'],
      ['XA', '1.2.840.10008.5.1.4.1.1.12.1', 'YES'],
      ['VL endoscopy (ES)', '1.2.840.10008.5.1.4.1.1.77.1.1', 'UNKNOWN'],
      ['VL whole slide (SM)', '1.2.840.10008.5.1.4.1.1.77.1.6', 'UNKNOWN'],
    ] as const)(
      'treats %s pixels as PHI until cleaned: very restricted, not for training',
      (_, sopClassUid, burnedInAnnotation) => {
        const o = dicom({ sopClassUid, burnedInAnnotation });
        expect(o.matchedRuleIds).toContain('dicom.pixel-risk.sop-class');
        expect(o.attributes).toMatchObject({ sensitivity: 'VERY_RESTRICTED', phiBearing: true });
        expect(o.attributes.eligibleUses).toEqual(['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH']);
      },
    );

    it('lets an ultrasound whose pixels were cleaned (BurnedInAnnotation NO) be used for training', () => {
      const o = dicom({ sopClassUid: SOP_CLASSES.us, modality: 'US', burnedInAnnotation: 'NO' });
      expect(o.matchedRuleIds.filter((id) => id.includes('pixel-risk'))).toEqual([]);
      expect(o.attributes.eligibleUses).toContain('MODEL_TRAINING');
    });

    it('honours BurnedInAnnotation YES on any image, and the modality when the SOP class is generic', () => {
      const ct = dicom({ sopClassUid: SOP_CLASSES.ct, modality: 'CT', burnedInAnnotation: 'YES' });
      expect(ct.matchedRuleIds).toContain('dicom.burned-in-annotation');
      expect(ct.attributes.eligibleUses).not.toContain('MODEL_TRAINING');
      const privateUs = dicom({
        sopClassUid: '1.3.6.1.4.1.99999.1',
        modality: 'us',
        burnedInAnnotation: 'UNKNOWN',
      });
      expect(privateUs.matchedRuleIds).toEqual([
        'dicom.format',
        'dicom.modality.imaging',
        'dicom.pixel-risk.modality',
      ]);
      expect(privateUs.attributes.sensitivity).toBe('VERY_RESTRICTED');
    });

    it('raises sensitivity for SECONDARY image types without excluding training', () => {
      const o = dicom({
        sopClassUid: SOP_CLASSES.ct,
        modality: 'CT',
        imageType: ['DERIVED', 'SECONDARY', 'REFORMATTED'],
        burnedInAnnotation: 'UNKNOWN',
      });
      expect(o.matchedRuleIds).toContain('dicom.image-type.secondary');
      expect(o.attributes.sensitivity).toBe('VERY_RESTRICTED');
      expect(o.attributes.eligibleUses).toContain('MODEL_TRAINING');
    });

    it.each([
      [
        'an encapsulated PDF',
        SOP_CLASSES.encapsulatedPdf,
        'dicom.sop-class.encapsulated-pdf',
        'CLINICAL_NOTE',
      ],
      [
        'an encapsulated CDA',
        SOP_CLASSES.encapsulatedCda,
        'dicom.sop-class.encapsulated-cda',
        'CLINICAL_NOTE',
      ],
      ['a basic text SR', SOP_CLASSES.basicTextSr, 'dicom.sop-class.sr-text', 'CLINICAL_NOTE'],
      ['a dose SR', '1.2.840.10008.5.1.4.1.1.88.67', 'dicom.sop-class.sr-measurements', 'MIXED'],
      ['an ECG', '1.2.840.10008.5.1.4.1.1.9.1.1', 'dicom.sop-class.waveform', 'EHR_STRUCTURED'],
    ])(
      'gives %s a strong non-imaging signal against the strong DICOM one',
      (_, sopClassUid, ruleId, dataClass) => {
        const o = dicom({ sopClassUid, modality: 'DOC' });
        expect(o.signals).toEqual(
          expect.arrayContaining([
            { ruleId: 'dicom.format', dataClass: 'IMAGING', confidence: 0.85 },
            expect.objectContaining({ ruleId, dataClass }),
          ]),
        );
        expect(o.signals.find((s) => s.ruleId === ruleId)?.confidence).toBeGreaterThanOrEqual(0.8);
      },
    );

    it('sees an encapsulated document in the file meta even without header facts', () => {
      const o = classify({
        sniff: whole(dicomPart10({ sopClassUid: SOP_CLASSES.encapsulatedPdf })),
        dicom: null,
        siteResidency: 'US',
        at: AT,
      });
      expect(classes(o)).toEqual(['IMAGING@0.85', 'CLINICAL_NOTE@0.9']);
    });

    it('takes the modality from the header, else from the rule, and trusts facts when sniffing found nothing', () => {
      expect(dicom({ sopClassUid: SOP_CLASSES.ct, modality: ' CT ' }).attributes.modality).toBe('CT');
      expect(dicom({ sopClassUid: SOP_CLASSES.us, modality: null }).attributes.modality).toBe('US');
      expect(
        dicom({ sopClassUid: '1.2.840.10008.5.1.4.1.1.1', modality: '' }).attributes.modality,
      ).toBeNull();
      const noSniff = classify({
        sniff: sniff(new Uint8Array(0), 10),
        dicom: facts({ sopClassUid: SOP_CLASSES.ct, modality: 'CT' }),
        siteResidency: 'UK',
        at: AT,
      });
      expect(noSniff.attributes.format).toBe('DICOM');
      expect(noSniff.matchedRuleIds).not.toContain('content.unknown');
    });

    it('classes weak DICOM-looking content weakly', () => {
      const implicitish = new Uint8Array([...rawDataset().subarray(0, 20), 0x41, 0x41, 0x41]);
      const o = classify({ sniff: whole(implicitish), dicom: null, siteResidency: 'UK', at: AT });
      expect(o.signals.every((s) => s.confidence < 0.8)).toBe(true);
    });
  });

  describe('other content', () => {
    it.each([
      ['FASTQ', fastq(), 'genomics.reads'],
      ['BAM', bam(), 'genomics.alignments'],
      ['CRAM', cramHeader(), 'genomics.alignments'],
      ['bgzipped VCF', vcfGz(), 'genomics.variants'],
    ])('classes %s as very restricted genomics kept 30 years, not for training', (_, bytes, ruleId) => {
      const o = content(bytes);
      expect(o.signals).toEqual([{ ruleId, dataClass: 'GENOMICS', confidence: 0.95 }]);
      expect(o.attributes).toMatchObject({
        sensitivity: 'VERY_RESTRICTED',
        phiBearing: true,
        retentionClass: 'genomics-30y',
        retainUntil: new Date('2056-11-20T09:15:00.000Z'),
        eligibleUses: ['CLINICAL_CARE', 'RESEARCH'],
        residency: 'EU',
        dicom: null,
        modality: null,
      });
    });

    it('classes SAM by its signal although its format is plain text', () => {
      expect(content(utf8('@HD\tVN:1.6\n@SQ\tSN:chr1\tLN:10\n')).signals).toEqual([
        { ruleId: 'genomics.sam', dataClass: 'GENOMICS', confidence: 0.9 },
      ]);
    });

    it.each([
      ['HL7 v2', hl7Adt(), 'ehr.hl7v2', 'EHR_STRUCTURED'],
      ['FHIR NDJSON', fhirNdjson(), 'ehr.fhir', 'EHR_STRUCTURED'],
      ['C-CDA', ccda(), 'note.ccda', 'CLINICAL_NOTE'],
      ['PDF', pdf(), 'note.pdf', 'CLINICAL_NOTE'],
      ['a plain text note', clinicalNote(), 'note.plain-text', 'CLINICAL_NOTE'],
    ])('classes %s', (_, bytes, ruleId, dataClass) => {
      const o = content(bytes);
      expect(o.signals).toEqual([expect.objectContaining({ ruleId, dataClass })]);
      expect(o.signals[0]?.confidence).toBeGreaterThanOrEqual(0.8);
      expect(o.attributes).toMatchObject({ sensitivity: 'RESTRICTED', phiBearing: true });
    });

    it('gives archives, CSV and unknown content only weak signals', () => {
      expect(content(zip([{ name: 'a', data: utf8('x') }])).signals).toEqual([
        { ruleId: 'container.archive', dataClass: 'MIXED', confidence: 0.5 },
      ]);
      expect(content(labCsv()).signals).toEqual([
        { ruleId: 'text.structured', dataClass: 'EHR_STRUCTURED', confidence: 0.5 },
      ]);
      const unknown = content(randomBytes(256, 1));
      expect(unknown.signals).toEqual([{ ruleId: 'content.unknown', dataClass: 'UNKNOWN', confidence: 0.2 }]);
      expect(unknown.attributes).toMatchObject({
        sensitivity: 'VERY_RESTRICTED',
        retentionClass: 'pending-review-8y',
        eligibleUses: ['CLINICAL_CARE'],
      });
    });
  });

  describe('conflicting and executable content', () => {
    it('keeps strong signals that already disagree, so the decider sees the conflict', () => {
      const o = content(new Uint8Array([...dicomPart10(), ...pdf()]));
      expect(o.signals).toEqual([
        { ruleId: 'dicom.format', dataClass: 'IMAGING', confidence: 0.85 },
        { ruleId: 'note.pdf', dataClass: 'CLINICAL_NOTE', confidence: 0.9 },
      ]);
      expect(o.matchedRuleIds).toContain('content.conflicting');
      expect(o.attributes.eligibleUses).toEqual(['CLINICAL_CARE']);
    });

    it('caps a lone strong signal below the threshold when the sniff conflicts', () => {
      const polyglot = zip([{ name: 'payload.bin', data: dicomPart10().subarray(41) }]);
      expect(classes(content(polyglot))).toEqual(['IMAGING@0.79', 'MIXED@0.5']);
    });

    it('never settles executable content', () => {
      const o = content(dicomPart10({ preamble: elf() }));
      expect(o.signals.every((s) => s.confidence < 0.8)).toBe(true);
      expect(o.attributes).toMatchObject({ sensitivity: 'VERY_RESTRICTED', eligibleUses: ['CLINICAL_CARE'] });
      expect(content(elf()).signals).toEqual([
        { ruleId: 'content.unknown', dataClass: 'UNKNOWN', confidence: 0.2 },
      ]);
    });
  });

  it('accepts another taxonomy, e.g. one with a body-part rule', () => {
    const doc = JSON.parse(JSON.stringify(core)) as { version: number; rules: unknown[] };
    doc.version = 2;
    doc.rules.push({
      id: 'dicom.head-imaging',
      description: 'Head CT/MR can be rendered into a face',
      when: { bodyPartExamined: ['HEAD', 'BRAIN'], modality: ['CT', 'MR'] },
      then: { sensitivity: 'VERY_RESTRICTED', retentionClass: 'genomics-30y' },
    });
    const v2 = parseTaxonomy(doc);
    const f = facts({ sopClassUid: SOP_CLASSES.mr, modality: 'MR', bodyPartExamined: 'brain' });
    const o = classify(
      { sniff: whole(dicomPart10({ sopClassUid: SOP_CLASSES.mr })), dicom: f, siteResidency: 'CH', at: AT },
      v2,
    );
    expect(o.taxonomy).toEqual({ id: 'medlineage-core', version: 2 });
    expect(o.matchedRuleIds).toContain('dicom.head-imaging');
    expect(o.attributes).toMatchObject({
      sensitivity: 'VERY_RESTRICTED',
      retentionClass: 'genomics-30y',
      residency: 'CH',
    });
  });

  it('produces what a ClassifyObject command needs', () => {
    const outcome = content(hl7Adt());
    const command: ClassifyObject = {
      type: 'ClassifyObject',
      objectId: 'obj-1',
      at: AT,
      actor: classifierService,
      reviewId: 'review-1',
      ...outcome,
    };
    expect(command).toMatchObject({
      taxonomy: outcome.taxonomy,
      signals: outcome.signals,
      attributes: outcome.attributes,
    });
  });

  it('maps sites to residency regions, UNKNOWN for unmapped sites', () => {
    const map = { 'site-london': 'UK', 'site-berlin': 'EU' } as const;
    expect(residencyForSite('site-london', map)).toBe('UK');
    expect(residencyForSite('site-paris', map)).toBe('UNKNOWN');
    expect(residencyForSite('toString', map)).toBe('UNKNOWN');
  });
});
