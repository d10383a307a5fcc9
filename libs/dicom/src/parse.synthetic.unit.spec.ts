import { parseDicom, toDicomAttributes } from './index';
import {
  SYNTHETIC_UID_ROOT,
  syntheticAnswerKey,
  syntheticStudy,
  syntheticStudyFiles,
  type SyntheticModality,
  type SyntheticStudy,
  type SyntheticTransferSyntax,
} from './synthetic';
import { silenceDcmjs } from './testing/silence-dcmjs';

const KEY = new Uint8Array(32).fill(7);

beforeAll(silenceDcmjs);

const CASES: readonly { modality: SyntheticModality; transferSyntax: SyntheticTransferSyntax }[] = [
  { modality: 'CT', transferSyntax: 'explicit-little' },
  { modality: 'CT', transferSyntax: 'implicit-little' },
  { modality: 'CT', transferSyntax: 'deflated' },
  { modality: 'MR', transferSyntax: 'explicit-little' },
  { modality: 'US', transferSyntax: 'explicit-little' },
  { modality: 'US', transferSyntax: 'implicit-little' },
  { modality: 'CR', transferSyntax: 'explicit-little' },
  { modality: 'DX', transferSyntax: 'deflated' },
  { modality: 'SC', transferSyntax: 'explicit-little' },
];

function small(
  modality: SyntheticModality,
  transferSyntax: SyntheticTransferSyntax,
  seed = 'round-trip',
): SyntheticStudy {
  return syntheticStudy({ seed, modality, transferSyntax, instances: 3, series: 3, rows: 32, cols: 32 });
}

describe('synthetic studies round-trip through parseDicom', () => {
  it.each(CASES)(
    '$modality / $transferSyntax: header facts match the answer key',
    ({ modality, transferSyntax }) => {
      const { files, answerKey } = small(modality, transferSyntax);
      expect(files).toHaveLength(9);
      const instances = answerKey.series.flatMap((s) => s.instances.map((i) => ({ series: s, instance: i })));
      files.forEach((file, index) => {
        const expected = instances[index];
        if (expected === undefined) throw new Error('answer key shorter than files');
        expect(file.name).toBe(expected.instance.file);
        const parsed = parseDicom(file.bytes);
        expect(parsed).toMatchObject({
          sopClassUid: answerKey.sopClassUid,
          transferSyntaxUid: answerKey.transferSyntaxUid,
          modality: answerKey.modalityAttribute,
          bodyPartExamined: answerKey.bodyPartExamined,
          burnedInAnnotation: expected.series.burnedInAnnotation,
          imageType: answerKey.imageType,
          manufacturer: answerKey.manufacturer,
          manufacturerModelName: answerKey.manufacturerModelName,
          stationName: answerKey.stationName,
          studyDate: answerKey.studyDate,
          uids: {
            study: answerKey.studyInstanceUid,
            series: expected.series.seriesInstanceUid,
            sopInstance: expected.instance.sopInstanceUid,
          },
          hasPrivateTags: true,
          maxSequenceDepth: 2,
          sizeBytes: file.bytes.length,
        });
      });
    },
  );

  it.each(CASES)(
    '$modality / $transferSyntax: identity holds every planted identifier',
    ({ modality, transferSyntax }) => {
      const { files, answerKey } = small(modality, transferSyntax);
      const instances = answerKey.series.flatMap((s) => s.instances);
      files.forEach((file, index) => {
        const parsed = parseDicom(file.bytes);
        for (const planted of [...answerKey.planted, ...(instances[index]?.planted ?? [])]) {
          expect({ path: planted.path, value: parsed.identity[planted.path] }).toEqual(planted);
        }
      });
    },
  );

  it.each(CASES)(
    '$modality / $transferSyntax: toDicomAttributes carries no planted identifier',
    ({ modality, transferSyntax }) => {
      const { files, answerKey } = small(modality, transferSyntax);
      const secrets = [
        ...answerKey.canaries,
        ...answerKey.planted.map((p) => p.value),
        ...answerKey.series.flatMap((s) => s.instances.flatMap((i) => [i.sopInstanceUid, i.originalUid])),
        SYNTHETIC_UID_ROOT,
        'ZZ',
      ];
      for (const file of files) {
        const attributes = toDicomAttributes(parseDicom(file.bytes), KEY);
        const json = JSON.stringify(attributes);
        for (const secret of secrets) expect(json).not.toContain(secret);
        expect(attributes.studyYear).toBe(answerKey.studyYear);
        expect(attributes.seriesKey).toMatch(/^2\.25\.\d+$/);
        expect(attributes.instanceKey).toMatch(/^2\.25\.\d+$/);
      }
    },
  );

  it('pseudonymised keys are consistent across the instances of a series and distinct per instance', () => {
    const { files } = small('CT', 'explicit-little');
    const attributes = files.map((f) => toDicomAttributes(parseDicom(f.bytes), KEY));
    expect(new Set(attributes.map((a) => a.seriesKey)).size).toBe(3);
    expect(new Set(attributes.map((a) => a.instanceKey)).size).toBe(9);
  });

  it('legacy ACR-NEMA dates still give the study year', () => {
    const { files, answerKey } = syntheticStudy({
      seed: 9,
      modality: 'CR',
      legacyDates: true,
      rows: 8,
      cols: 8,
    });
    expect(answerKey.studyDate).toMatch(/^\d{4}\.\d{2}\.\d{2}$/);
    const parsed = parseDicom(files[0]?.bytes ?? Buffer.alloc(0));
    expect(parsed.studyDate).toBe(answerKey.studyDate);
    expect(toDicomAttributes(parsed, KEY).studyYear).toBe(answerKey.studyYear);
  });

  it('custom patient identity is planted and found', () => {
    const patient = { name: 'ZZDOE^JANE^Q', id: 'ZZ-CUSTOM-42', birthDate: '19700101' };
    const { files } = syntheticStudy({ seed: 1, modality: 'MR', instances: 1, rows: 4, cols: 4, patient });
    const parsed = parseDicom(files[0]?.bytes ?? Buffer.alloc(0));
    expect(parsed.identity).toMatchObject({
      PatientName: patient.name,
      PatientID: patient.id,
      PatientBirthDate: patient.birthDate,
      '0029,"MEDLINEAGE SYNTHETIC",10': patient.name,
    });
  });
});

describe('synthetic generator', () => {
  it('is deterministic: same options, same bytes; another seed, other UIDs', () => {
    const a = syntheticStudy({ seed: 'same', modality: 'US', instances: 2, rows: 16, cols: 16 });
    const b = syntheticStudy({ seed: 'same', modality: 'US', instances: 2, rows: 16, cols: 16 });
    const c = syntheticStudy({ seed: 'other', modality: 'US', instances: 2, rows: 16, cols: 16 });
    expect(a.files.map((f) => f.bytes.toString('base64'))).toEqual(
      b.files.map((f) => f.bytes.toString('base64')),
    );
    expect(a.answerKey).toEqual(b.answerKey);
    expect(c.answerKey.studyInstanceUid).not.toBe(a.answerKey.studyInstanceUid);
    expect(syntheticAnswerKey({ seed: 'same', modality: 'US', instances: 2, rows: 16, cols: 16 })).toEqual(
      a.answerKey,
    );
  });

  it('writes ~0.5 MB CT slices of the requested size with valid, bounded UIDs', () => {
    const { files, answerKey } = syntheticStudy({ seed: 'size', modality: 'CT', instances: 2 });
    for (const file of files) {
      expect(file.bytes.length).toBeGreaterThan(512 * 512 * 2);
      expect(file.bytes.length).toBeLessThan(512 * 512 * 2 + 8192);
    }
    const uids = [
      answerKey.studyInstanceUid,
      ...answerKey.frameOfReferenceUids,
      ...answerKey.series.flatMap((s) => [
        s.seriesInstanceUid,
        ...s.instances.flatMap((i) => [i.sopInstanceUid, i.originalUid]),
      ]),
    ];
    for (const uid of uids) {
      expect(uid.startsWith(`${SYNTHETIC_UID_ROOT}.`)).toBe(true);
      expect(uid.length).toBeLessThanOrEqual(64);
      expect(uid).toMatch(/^(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/);
    }
  });

  it('marks burned-in annotation on some series only (US cycles YES, NO, absent; SC always YES)', () => {
    const us = syntheticAnswerKey({ seed: 1, modality: 'US', series: 3 });
    expect(us.series.map((s) => s.burnedInAnnotation)).toEqual(['YES', 'NO', 'UNKNOWN']);
    expect(syntheticAnswerKey({ seed: 1, modality: 'SC' }).series[0]?.burnedInAnnotation).toBe('YES');
    expect(syntheticAnswerKey({ seed: 1, modality: 'CT' }).series[0]?.burnedInAnnotation).toBe('UNKNOWN');
  });

  it('streams large studies lazily: 2,000 files of ~0.5 MB, each parseable', () => {
    let count = 0;
    let bytes = 0;
    let lastUid = '';
    for (const file of syntheticStudyFiles({ seed: 'bench', modality: 'CT', instances: 1000, series: 2 })) {
      count++;
      bytes += file.bytes.length;
      if (count % 250 === 0) lastUid = parseDicom(file.bytes).uids.sopInstance ?? '';
    }
    expect(count).toBe(2000);
    expect(bytes / count).toBeGreaterThan(500_000);
    expect(lastUid).toMatch(/\.2\.10999$/);
  });

  it('rejects out-of-range options', () => {
    expect(() => syntheticAnswerKey({ seed: 1, modality: 'CT', instances: 0 })).toThrow(RangeError);
    expect(() => syntheticAnswerKey({ seed: 1, modality: 'CT', series: 100 })).toThrow(RangeError);
    expect(() => syntheticAnswerKey({ seed: 1, modality: 'CT', rows: 0 })).toThrow(RangeError);
  });
});
