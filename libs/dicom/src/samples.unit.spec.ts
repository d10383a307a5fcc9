import { DEFAULT_DICOM_LIMITS, DicomRejectedError, parseDicom, type DicomRejectionCode } from './index';
import { brokenDicomSamples, edgeCaseDicomSamples, syntheticStudy } from './synthetic';
import { data as dcmjsData } from 'dcmjs';
import { silenceDcmjs } from './testing/silence-dcmjs';

beforeAll(silenceDcmjs);

function rejection(bytes: Uint8Array, limits?: Parameters<typeof parseDicom>[1]): DicomRejectedError {
  try {
    parseDicom(bytes, limits);
  } catch (error) {
    if (error instanceof DicomRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection, but the input parsed');
}

const broken = brokenDicomSamples();

describe('broken samples', () => {
  it('cover every rejection code', () => {
    const codes = new Set(broken.map((s) => s.expected));
    const all: DicomRejectionCode[] = [
      'NOT_DICOM',
      'EXECUTABLE_PREAMBLE',
      'TRUNCATED',
      'SIZE_LIMIT_EXCEEDED',
      'UN_SEQUENCE',
      'UNSUPPORTED_TRANSFER_SYNTAX',
      'UNSUPPORTED_CHARACTER_SET',
      'MALFORMED',
    ];
    expect([...codes].sort()).toEqual([...all].sort());
  });

  it.each(broken.map((s) => [s.name, s] as const))(
    '%s is rejected with its specific code',
    (_name, sample) => {
      const error = rejection(sample.bytes);
      expect(error.code).toBe(sample.expected);
      expect(error.retriable).toBe(false);
      expect(error.message).toBe(`${error.code}: ${error.detail}`);
    },
  );

  it('rejection details never contain element values', () => {
    for (const sample of broken) {
      const { detail } = rejection(sample.bytes);
      expect(detail).not.toMatch(/ZZ|CANARY|MRN|PATIENT/i);
    }
  });

  it('B3: absurd length claims and deep nesting are refused before anything is allocated', () => {
    const names = ['length-0xFFFFFFF0.dcm', 'huge-private-tag-claim.dcm', 'deep-sequence-nesting.dcm'];
    for (const name of names) {
      const sample = broken.find((s) => s.name === name);
      if (sample === undefined) throw new Error(`missing sample ${name}`);
      const before = process.memoryUsage();
      for (let i = 0; i < 20; i++) rejection(sample.bytes);
      const after = process.memoryUsage();
      expect(after.rss - before.rss).toBeLessThan(20 * 1024 * 1024);
      expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(20 * 1024 * 1024);
    }
  });
});

describe('edge-case samples (valid, but hard for dcmjs alone)', () => {
  it.each(edgeCaseDicomSamples().map((s) => [s.name, s] as const))(
    '%s parses and yields its identity',
    (_name, sample) => {
      const parsed = parseDicom(sample.bytes);
      expect(parsed.identity).toMatchObject(sample.identity);
    },
  );

  it('dcmjs alone cannot read the undefined-length UN sequence or the file without preamble', () => {
    for (const name of ['un-sequence-undefined-length.dcm', 'no-preamble.dcm']) {
      const sample = edgeCaseDicomSamples().find((s) => s.name === name);
      if (sample === undefined) throw new Error(`missing sample ${name}`);
      expect(() => dcmjsData.DicomMessage.readFile(new Uint8Array(sample.bytes).buffer)).toThrow();
    }
  });

  it('a parse never mutates its input (UN sequences are patched in a private copy)', () => {
    for (const sample of edgeCaseDicomSamples()) {
      const copy = Buffer.from(sample.bytes);
      parseDicom(sample.bytes);
      expect(sample.bytes.equals(copy)).toBe(true);
    }
  });
});

describe('limits', () => {
  const file = syntheticStudy({ seed: 'limits', modality: 'CT', instances: 1, rows: 64, cols: 64 }).files[0]
    ?.bytes;
  if (file === undefined) throw new Error('no synthetic file');

  it('parses with the defaults', () => {
    expect(parseDicom(file).elementCount).toBeGreaterThan(50);
  });

  it.each([
    ['maxBytes', { maxBytes: file.length - 1 }],
    ['maxElements', { maxElements: 20 }],
    ['maxItems', { maxItems: 2 }],
    ['maxSequenceDepth', { maxSequenceDepth: 1 }],
    ['maxElementBytes', { maxElementBytes: 32 }],
    ['maxValueBytes', { maxValueBytes: 256 }],
    ['maxNestedBytes', { maxNestedBytes: 64 }],
  ] as const)('%s is enforced', (_name, limits) => {
    expect(rejection(file, { limits }).code).toBe('SIZE_LIMIT_EXCEEDED');
  });

  it('maxInflatedBytes caps a deflated dataset', () => {
    const deflated = syntheticStudy({
      seed: 'limits',
      modality: 'CT',
      instances: 1,
      rows: 64,
      cols: 64,
      transferSyntax: 'deflated',
    }).files[0]?.bytes;
    if (deflated === undefined) throw new Error('no synthetic file');
    expect(parseDicom(deflated).transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    expect(rejection(deflated, { limits: { maxInflatedBytes: 4096 } }).code).toBe('SIZE_LIMIT_EXCEEDED');
  });

  it('Pixel Data is exempt from maxElementBytes', () => {
    expect(() => parseDicom(file, { limits: { maxElementBytes: 1024 } })).not.toThrow();
  });

  it('invalid limits are a programming error, not a rejection', () => {
    expect(() => parseDicom(file, { limits: { maxBytes: -1 } })).toThrow(RangeError);
    expect(() => parseDicom(file, { limits: { maxSequenceDepth: 1_000_000 } })).toThrow(RangeError);
    expect(DEFAULT_DICOM_LIMITS.maxSequenceDepth).toBe(32);
  });
});

describe('B2: truncation at every offset', () => {
  const file = syntheticStudy({ seed: 'cut', modality: 'MR', instances: 1, rows: 16, cols: 16 }).files[0]
    ?.bytes;
  if (file === undefined) throw new Error('no synthetic file');
  const topLevelElements = Object.keys(
    dcmjsData.DicomMessage.readFile(new Uint8Array(file).buffer).dict,
  ).length;
  const pixelValueStart = file.length - 16 * 16 * 2;

  it('rejects every cut inside an element; only cuts at a top-level element boundary still parse', () => {
    let parsedCuts = 0;
    for (let cut = 0; cut < file.length; cut++) {
      try {
        parseDicom(file.subarray(0, cut));
        parsedCuts++;
        // Cutting between elements leaves a shorter valid dataset (DICOM has no total length).
        expect(cut).toBeLessThan(pixelValueStart);
      } catch (error) {
        expect(error).toBeInstanceOf(DicomRejectedError);
        if (cut >= pixelValueStart - 12) expect((error as DicomRejectedError).code).toBe('TRUNCATED');
      }
    }
    expect(parsedCuts).toBeLessThanOrEqual(topLevelElements);
  });
});
