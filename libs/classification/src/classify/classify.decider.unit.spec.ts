import { foldEvents } from '@medlineage/kernel';
import {
  dataObjectDecider,
  type ClassifyObject,
  type DataObjectEvent,
  type DicomAttributes,
} from '@medlineage/domain';
import {
  AT,
  OBJECT_ID,
  REVIEW_ID,
  classifierService,
  given,
  objectIngested,
} from '@medlineage/domain/testing';
import {
  CANARY,
  dicomPart10,
  elf,
  hl7Adt,
  pdf,
  randomBytes,
  sampleFiles,
  SOP_CLASSES,
  zip,
} from '../samples';
import { screenContent } from '../sniff/screen';
import { sniff } from '../sniff/sniff';
import { classify, type ClassificationOutcome, type DicomFacts } from './classify';

/*
 * The classifier's output goes through the real data object decider: ObjectClassified when the
 * signals settle a class, ClassificationReviewRequested when they conflict or are all weak.
 */

const ingested: DataObjectEvent[] = [objectIngested()];

const command = (outcome: ClassificationOutcome): ClassifyObject => ({
  type: 'ClassifyObject',
  objectId: OBJECT_ID,
  at: AT,
  actor: classifierService,
  reviewId: REVIEW_ID,
  ...outcome,
});

const decide = (outcome: ClassificationOutcome): DataObjectEvent[] =>
  dataObjectDecider.decide(command(outcome), foldEvents(dataObjectDecider, ingested));

const ofBytes = (bytes: Uint8Array, dicom: DicomFacts | null = null): ClassificationOutcome =>
  classify({ sniff: sniff(bytes, bytes.length), dicom, siteResidency: 'UK', at: AT });

function facts(
  sopClassUid: string,
  modality: string,
  burnedInAnnotation: DicomFacts['burnedInAnnotation'] = 'NO',
): DicomFacts {
  const attributes: DicomAttributes = {
    sopClassUid,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    burnedInAnnotation,
    numberOfFrames: null,
    bodyPartExamined: 'CHEST',
    seriesKey: '2.25.1001',
    instanceKey: '2.25.1002',
    manufacturer: 'SIM',
    manufacturerModelName: 'SIM-1',
    stationName: null,
    studyYear: 2026,
  };
  return {
    sopClassUid,
    modality,
    bodyPartExamined: 'CHEST',
    imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    burnedInAnnotation,
    attributes,
  };
}

describe('classifier → data object decider', () => {
  it('classifies a CT image: ObjectClassified with the strong rules that agreed', () => {
    const outcome = ofBytes(dicomPart10(), facts(SOP_CLASSES.ct, 'CT'));
    given(dataObjectDecider, ingested)
      .when(command(outcome))
      .then([
        {
          type: 'ObjectClassified',
          data: {
            objectId: OBJECT_ID,
            taxonomy: { id: 'medlineage-core', version: 1 },
            basis: 'RULES',
            reviewId: null,
            dataClass: 'IMAGING',
            ...outcome.attributes,
            matchedRuleIds: ['dicom.format', 'dicom.sop-class.ct', 'dicom.modality.imaging'],
          },
        },
      ]);
  });

  it('classifies an ultrasound with burned-in risk as imaging, without training eligibility', () => {
    const [event] = decide(
      ofBytes(dicomPart10({ sopClassUid: SOP_CLASSES.us }), facts(SOP_CLASSES.us, 'US', 'UNKNOWN')),
    );
    expect(event).toMatchObject({
      type: 'ObjectClassified',
      data: {
        dataClass: 'IMAGING',
        sensitivity: 'VERY_RESTRICTED',
        phiBearing: true,
        eligibleUses: ['CLINICAL_CARE', 'QUALITY_IMPROVEMENT', 'RESEARCH'],
      },
    });
  });

  it('asks for review of an encapsulated PDF: two strong signals of different classes', () => {
    const bytes = dicomPart10({ sopClassUid: SOP_CLASSES.encapsulatedPdf, modality: 'DOC' });
    expect(decide(ofBytes(bytes, facts(SOP_CLASSES.encapsulatedPdf, 'DOC')))).toEqual([
      {
        type: 'ClassificationReviewRequested',
        data: expect.objectContaining({
          reviewId: REVIEW_ID,
          reasonCode: 'CONFLICTING_SIGNALS',
          candidateClasses: ['IMAGING', 'CLINICAL_NOTE'],
          signalRuleIds: ['dicom.format', 'dicom.sop-class.encapsulated-pdf', 'dicom.encapsulated-document'],
        }),
      },
    ]);
  });

  it('asks for review of a structured report', () => {
    const [event] = decide(
      ofBytes(dicomPart10({ sopClassUid: SOP_CLASSES.basicTextSr }), facts(SOP_CLASSES.basicTextSr, 'SR')),
    );
    expect(event).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: { reasonCode: 'CONFLICTING_SIGNALS', candidateClasses: ['IMAGING', 'CLINICAL_NOTE'] },
    });
  });

  it('asks for review when only weak signals exist (an archive)', () => {
    const [event] = decide(ofBytes(zip([{ name: 'a.txt', data: hl7Adt() }])));
    expect(event).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: {
        reasonCode: 'LOW_CONFIDENCE',
        candidateClasses: ['MIXED'],
        signalRuleIds: ['container.archive'],
      },
    });
  });

  it('asks for review when nothing matched', () => {
    const [event] = decide(ofBytes(randomBytes(512, 3)));
    expect(event).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: { reasonCode: 'NO_MATCHING_RULE', candidateClasses: [], signalRuleIds: ['content.unknown'] },
    });
  });

  it('asks for review of disguised content, conflicting or capped', () => {
    const pdfInCt = decide(ofBytes(new Uint8Array([...dicomPart10(), ...pdf()])));
    expect(pdfInCt[0]).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: { reasonCode: 'CONFLICTING_SIGNALS' },
    });
    const polyglot = decide(ofBytes(zip([{ name: 'payload.bin', data: dicomPart10().subarray(41) }])));
    expect(polyglot[0]).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: { reasonCode: 'LOW_CONFIDENCE', candidateClasses: ['IMAGING', 'MIXED'] },
    });
    const executable = decide(ofBytes(dicomPart10({ preamble: elf() }), facts(SOP_CLASSES.ct, 'CT')));
    expect(executable[0]).toMatchObject({
      type: 'ClassificationReviewRequested',
      data: { reasonCode: 'LOW_CONFIDENCE' },
    });
  });

  describe('the sample answer key', () => {
    it.each(sampleFiles().map((f) => [f.name, f] as const))('%s', (_, file) => {
      const sniffed = sniff(file.bytes, file.bytes.length);
      const screen = screenContent(sniffed);
      if (!screen.admit) {
        expect(file.expected.dataClass).toBe('REJECT');
        return;
      }
      const events = decide(classify({ sniff: sniffed, dicom: null, siteResidency: 'EU', at: AT }));
      expect(events).toHaveLength(1);
      const [event] = events;
      const outcome =
        event?.type === 'ObjectClassified'
          ? event.data.dataClass
          : event?.type === 'ClassificationReviewRequested'
            ? 'REVIEW'
            : event?.type;
      expect(outcome).toBe(file.expected.dataClass);
      expect(JSON.stringify(events)).not.toContain(CANARY);
      expect(() => foldEvents(dataObjectDecider, [...ingested, ...events])).not.toThrow();
    });
  });
});
