import { data as dcmjsData } from 'dcmjs';
import { DicomRejectedError, parseDicom } from './index';
import { ENC_EXPLICIT_LE as E, concat, element, item, part10, sequence } from './synthetic/encoder';
import { silenceDcmjs } from './testing/silence-dcmjs';

beforeAll(silenceDcmjs);

const head = [
  element(E, 0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
  element(E, 0x00080018, 'UI', '2.25.77'),
];

function withItemHolding(value: Uint8Array): Buffer {
  return part10(
    '1.2.840.10008.1.2.1',
    concat([
      ...head,
      sequence(E, 0x00081140, [
        item(E, [element(E, 0x00091010, 'OB', value), element(E, 0x00100020, 'LO', 'ZZMRN-AFTER')]),
      ]),
    ]),
  );
}

function code(bytes: Uint8Array): string {
  try {
    parseDicom(bytes);
    return 'parsed';
  } catch (error) {
    return error instanceof DicomRejectedError ? error.code : 'other';
  }
}

describe('replay of dcmjs item delimitation scan', () => {
  const delimiter = [0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0];

  it('accepts values holding FE FF bytes that dcmjs would not mistake for a delimiter', () => {
    // Misaligned (odd distance from the item start): dcmjs reads 16-bit words at even distances.
    expect(code(withItemHolding(Uint8Array.of(0x00, ...delimiter, 0x00)))).toBe('parsed');
    // Aligned FFFE but another element number.
    expect(code(withItemHolding(Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 1, 2, 3, 4)))).toBe('parsed');
    // An aligned, nested undefined-length item header followed by its own delimiter balances out.
    expect(
      code(withItemHolding(Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff, ...delimiter))),
    ).toBe('parsed');
  });

  it('rejects an aligned delimiter inside a value, also right after a misaligned FE byte', () => {
    expect(code(withItemHolding(Uint8Array.of(...delimiter, 1, 2)))).toBe('MALFORMED');
    expect(code(withItemHolding(Uint8Array.of(0x00, 0xfe, ...delimiter)))).toBe('MALFORMED');
  });

  it('the rejected layout really is misread by dcmjs (the element after the value is lost)', () => {
    const bytes = withItemHolding(Uint8Array.of(...delimiter, 1, 2));
    let patientId: unknown;
    try {
      const dicom = dcmjsData.DicomMessage.readFile(new Uint8Array(bytes).buffer);
      const items = dicom.dict['00081140']?.Value;
      patientId = Array.isArray(items)
        ? (items[0] as Record<string, { Value?: unknown }>)['00100020']?.Value
        : undefined;
    } catch {
      patientId = 'threw';
    }
    expect(patientId).not.toEqual(['ZZMRN-AFTER']);
  });
});

describe('UN sequences', () => {
  it('are read from their implicit VR items and spliced back where dcmjs would keep opaque bytes', () => {
    const i = { implicit: true, littleEndian: true };
    const un = sequence(E, 0x00291040, [item(i, [element(i, 0x00100020, 'LO', 'ZZMRN-1')]), item(i, [])], {
      vr: 'UN',
    });
    const bytes = part10(
      '1.2.840.10008.1.2.1',
      concat([
        ...head,
        element(E, 0x00290010, 'LO', 'ACME 1.0'),
        un,
        element(E, 0x00291050, 'LO', 'ZZ-AFTER'),
      ]),
    );
    const parsed = parseDicom(bytes);
    expect(parsed.identity).toMatchObject({
      '0029,"ACME 1.0",40[0].PatientID': 'ZZMRN-1',
      '0029,"ACME 1.0",50': 'ZZ-AFTER',
    });
    expect(parsed.maxSequenceDepth).toBe(1);
  });

  it('a private UN value that is not a sequence stays opaque', () => {
    const bytes = part10(
      '1.2.840.10008.1.2.1',
      concat([
        ...head,
        element(E, 0x00291010, 'UN', Uint8Array.of(0xfe, 0xff, 0x00, 0xe0, 0x10, 0, 0, 0, 1, 2)),
      ]),
    );
    const parsed = parseDicom(bytes);
    expect(parsed.maxSequenceDepth).toBe(0);
    expect(parsed.elementCount).toBe(3);
  });
});
