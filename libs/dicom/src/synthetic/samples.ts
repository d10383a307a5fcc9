import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import type { DicomRejectionCode } from '../errors';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from '../part10';
import {
  ENC_EXPLICIT_BE,
  ENC_EXPLICIT_LE,
  ENC_IMPLICIT_LE,
  ascii,
  concat,
  element,
  encapsulated,
  header,
  item,
  part10,
  sequence,
  us,
  type Encoding,
} from './encoder';
import { SYNTHETIC_PRIVATE_CREATOR, SYNTHETIC_UID_ROOT } from './study';

const SC = '1.2.840.10008.5.1.4.1.1.7';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const SAMPLE_UID = `${SYNTHETIC_UID_ROOT}.7.1`;

export interface BrokenDicomSample {
  /** File name, `.dcm` like the real thing. */
  readonly name: string;
  readonly description: string;
  readonly bytes: Buffer;
  /** What `parseDicom` must throw. */
  readonly expected: DicomRejectionCode;
}

export interface EdgeCaseDicomSample {
  readonly name: string;
  readonly description: string;
  readonly bytes: Buffer;
  /** Identity entries `parseDicom` must find (a subset of its `identity`). */
  readonly identity: Readonly<Record<string, string>>;
}

const P = `0029,"${SYNTHETIC_PRIVATE_CREATOR}"`;

interface Layout {
  readonly bytes: Buffer;
  /** Offsets (in `bytes`) of interesting places, for cutting and patching. */
  readonly at: {
    readonly patientNameValue: number;
    readonly sequenceStart: number;
    readonly pixelHeader: number;
    readonly pixelValue: number;
    readonly privateBlobHeader: number;
  };
}

/** Small, valid explicit VR little endian secondary capture with a sequence and a private block. */
function baseLayout(): Layout {
  const e = ENC_EXPLICIT_LE;
  const before = concat([
    element(e, 0x00080005, 'CS', 'ISO_IR 100'),
    element(e, 0x00080016, 'UI', SC),
    element(e, 0x00080018, 'UI', SAMPLE_UID),
    element(e, 0x00080060, 'CS', 'OT'),
  ]);
  const sq = sequence(e, 0x00081140, [
    item(e, [element(e, 0x00081150, 'UI', SC), element(e, 0x00081155, 'UI', `${SAMPLE_UID}.2`)]),
  ]);
  const nameElement = element(e, 0x00100010, 'PN', 'ZZCANARY^PATIENT');
  const middle = concat([
    element(e, 0x00100020, 'LO', 'ZZMRN000001'),
    element(e, 0x00280002, 'US', Uint8Array.of(1, 0)),
    us(e, 0x00280010, 16),
    us(e, 0x00280011, 16),
    us(e, 0x00280100, 16),
    element(e, 0x00290010, 'LO', SYNTHETIC_PRIVATE_CREATOR),
    element(e, 0x00291010, 'LO', 'ZZCANARY^PATIENT'),
  ]);
  const blob = element(e, 0x00291030, 'OB', new Uint8Array(64).fill(7));
  const pixels = element(e, 0x7fe00010, 'OW', new Uint8Array(16 * 16 * 2).fill(0x11));
  const prefix = part10(EXPLICIT_VR_LITTLE_ENDIAN, new Uint8Array(0), {
    sopClassUid: SC,
    sopInstanceUid: SAMPLE_UID,
  }).length;
  const sequenceStart = prefix + before.length;
  const nameAt = sequenceStart + sq.length;
  const blobAt = nameAt + nameElement.length + middle.length;
  const pixelAt = blobAt + blob.length;
  return {
    bytes: part10(EXPLICIT_VR_LITTLE_ENDIAN, concat([before, sq, nameElement, middle, blob, pixels]), {
      sopClassUid: SC,
      sopInstanceUid: SAMPLE_UID,
    }),
    at: {
      patientNameValue: nameAt + 8,
      sequenceStart,
      pixelHeader: pixelAt,
      pixelValue: pixelAt + 12,
      privateBlobHeader: blobAt,
    },
  };
}

function withUint32(bytes: Buffer, offset: number, value: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(value >>> 0, offset);
  return out;
}

/** SOP Class and Instance UIDs, with `before` elements ahead of them and `extra` after (tag order). */
function minimal(
  enc: Encoding,
  extra: readonly Uint8Array[] = [],
  before: readonly Uint8Array[] = [],
): Uint8Array {
  return concat([
    ...before,
    element(enc, 0x00080016, 'UI', SC),
    element(enc, 0x00080018, 'UI', SAMPLE_UID),
    ...extra,
  ]);
}

function nested(depth: number): Uint8Array {
  const e = ENC_EXPLICIT_LE;
  let inner = element(e, 0x00100020, 'LO', 'ZZMRN-DEEP');
  for (let i = 0; i < depth; i++) inner = sequence(e, 0x00400275, [item(e, [inner])]);
  return inner;
}

/**
 * A raw deflate stream that inflates to `mebibytes` MiB of zeros from a few KB: one sync-flushed
 * 1 MiB chunk repeated (it only refers back inside itself), then an empty final block.
 */
function deflateBomb(mebibytes: number): Uint8Array {
  const chunk = deflateRawSync(new Uint8Array(1024 * 1024), {
    finishFlush: zlibConstants.Z_SYNC_FLUSH,
    level: 9,
  });
  const parts: Uint8Array[] = [];
  for (let i = 0; i < mebibytes; i++) parts.push(chunk);
  parts.push(Uint8Array.of(0x03, 0x00));
  return concat(parts);
}

/**
 * Hostile or broken inputs, each with the rejection code `parseDicom` must give. Deterministic,
 * small (the largest is ~1.6 MB) and cheap to build.
 */
export function brokenDicomSamples(): BrokenDicomSample[] {
  const base = baseLayout();
  const e = ENC_EXPLICIT_LE;
  const samples: BrokenDicomSample[] = [];
  const add = (name: string, expected: DicomRejectionCode, description: string, bytes: Uint8Array): void => {
    samples.push({ name: `${name}.dcm`, description, bytes: Buffer.from(bytes), expected });
  };

  add('empty', 'NOT_DICOM', 'zero bytes', new Uint8Array(0));
  add(
    'not-dicom-png',
    'NOT_DICOM',
    'a PNG named .dcm',
    concat([ascii('\x89PNG\r\n\x1a\n'), new Uint8Array(200)]),
  );
  add(
    'not-dicom-text',
    'NOT_DICOM',
    'a text report named .dcm',
    ascii('Patient: ZZCANARY^PATIENT\n'.repeat(20)),
  );
  add('truncated-in-preamble', 'NOT_DICOM', 'cut at byte 100, before DICM', base.bytes.subarray(0, 100));
  add('truncated-in-file-meta', 'TRUNCATED', 'cut inside the File Meta group', base.bytes.subarray(0, 170));
  add(
    'truncated-in-element-header',
    'TRUNCATED',
    'cut inside the Patient Name header',
    base.bytes.subarray(0, base.at.patientNameValue - 3),
  );
  add(
    'truncated-in-value',
    'TRUNCATED',
    'cut inside the Patient Name value',
    base.bytes.subarray(0, base.at.patientNameValue + 5),
  );
  add(
    'truncated-in-sequence',
    'TRUNCATED',
    'cut inside an undefined-length sequence item',
    base.bytes.subarray(0, base.at.sequenceStart + 30),
  );
  add(
    'truncated-in-pixel-data',
    'TRUNCATED',
    'cut half-way through Pixel Data',
    base.bytes.subarray(0, base.at.pixelValue + 256),
  );
  add(
    'length-0xFFFFFFF0',
    'TRUNCATED',
    'Pixel Data claims 0xFFFFFFF0 bytes',
    withUint32(base.bytes, base.at.pixelHeader + 8, 0xfffffff0),
  );
  add(
    'huge-private-tag-claim',
    'SIZE_LIMIT_EXCEEDED',
    'a private OB claims 100 MiB (above maxElementBytes) in a 1 KB file',
    withUint32(base.bytes, base.at.privateBlobHeader + 8, 100 * 1024 * 1024),
  );
  add(
    'pe-preamble',
    'EXECUTABLE_PREAMBLE',
    'PE/MZ header in the preamble (CVE-2019-11687 polyglot)',
    part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e), {
      preamble: concat([ascii('MZ\x90\x00\x03\x00\x00\x00'), ascii('PE\0\0')]),
    }),
  );
  add(
    'elf-preamble',
    'EXECUTABLE_PREAMBLE',
    'ELF header in the preamble',
    part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e), { preamble: ascii('\x7fELF\x02\x01\x01\x00') }),
  );
  add(
    'deep-sequence-nesting',
    'SIZE_LIMIT_EXCEEDED',
    '200 nested sequences',
    part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [nested(200)])),
  );
  {
    const items: Uint8Array[] = [];
    const one = item(e, [element(e, 0x00080100, 'SH', 'Z')]);
    for (let i = 0; i < 25_000; i++) items.push(one);
    add(
      'item-flood',
      'SIZE_LIMIT_EXCEEDED',
      '25,000 sequence items (above maxItems)',
      part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [sequence(e, 0x00081140, items)])),
    );
  }
  {
    // 110,000 two-byte private elements spread over ascending odd groups.
    const elements: Uint8Array[] = [];
    for (let i = 0; i < 110_000; i++) {
      const group = 0x0009 + 2 * Math.floor(i / 0xef00);
      elements.push(element(e, ((group << 16) | (0x1000 + (i % 0xef00))) >>> 0, 'SH', 'Z'));
    }
    add(
      'element-flood',
      'SIZE_LIMIT_EXCEEDED',
      '110,000 data elements (above maxElements)',
      part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, elements)),
    );
  }
  {
    const text = new Uint8Array(60_002).fill(0x20);
    text[60_000] = 0x78;
    add(
      'whitespace-redos',
      'SIZE_LIMIT_EXCEEDED',
      "Image Comments (LT) with 60,000 spaces before a letter: dcmjs's /\\s*$/ trim would backtrack for ~1.4 s",
      part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [element(e, 0x00204000, 'LT', text)])),
    );
  }
  add(
    'un-sequence-explicit-content',
    'UN_SEQUENCE',
    'Referenced Image Sequence stored as UN whose items are explicit VR (not implicit, as PS3.5 §6.2.2 requires)',
    part10(
      EXPLICIT_VR_LITTLE_ENDIAN,
      minimal(e, [
        sequence(e, 0x00081140, [item(e, [element(e, 0x00081155, 'UI', SAMPLE_UID)])], {
          vr: 'UN',
          undefinedLength: false,
        }),
      ]),
    ),
  );
  add(
    'iso2022-multivalued-charset',
    'UNSUPPORTED_CHARACTER_SET',
    'Specific Character Set \\ISO 2022 IR 87 (Japanese code extensions)',
    part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [], [element(e, 0x00080005, 'CS', '\\ISO 2022 IR 87')])),
  );
  add(
    'deflate-bomb',
    'SIZE_LIMIT_EXCEEDED',
    'deflated dataset that inflates to 80 MiB of zeros (above maxInflatedBytes)',
    part10(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, deflateBomb(80)),
  );
  add(
    'private-transfer-syntax',
    'UNSUPPORTED_TRANSFER_SYNTAX',
    'GE private implicit big endian transfer syntax',
    part10('1.2.840.113619.5.2', minimal(ENC_IMPLICIT_LE)),
  );
  add(
    'invalid-vr',
    'MALFORMED',
    'an element whose VR bytes are not a VR',
    part10(
      EXPLICIT_VR_LITTLE_ENDIAN,
      minimal(e, [concat([header(e, 0x00100010, 'PN', 4).fill(0x3f, 4, 6), ascii('ABCD')])]),
    ),
  );
  add(
    'elements-out-of-order',
    'MALFORMED',
    'Patient ID before SOP Class UID (dcmjs would silently merge duplicates)',
    part10(EXPLICIT_VR_LITTLE_ENDIAN, concat([element(e, 0x00100020, 'LO', 'ZZMRN000002'), minimal(e)])),
  );
  add(
    'offset-table-overlap',
    'MALFORMED',
    'encapsulated Pixel Data whose offset table goes backwards (dcmjs copies one window per entry)',
    part10(
      '1.2.840.10008.1.2.4.50',
      minimal(e, [encapsulated([0, 5000, 0, 5000], [new Uint8Array(4000), new Uint8Array(4000)])]),
    ),
  );
  add(
    'ambiguous-item-delimiter',
    'MALFORMED',
    'an undefined-length item holding an OB value that contains an item delimitation item',
    part10(
      EXPLICIT_VR_LITTLE_ENDIAN,
      minimal(e, [
        sequence(e, 0x00081140, [
          item(e, [
            element(e, 0x00091010, 'OB', Uint8Array.of(0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 1, 2, 3, 4)),
          ]),
        ]),
      ]),
    ),
  );
  {
    const noGroupLength = Buffer.from(base.bytes);
    noGroupLength.write('\x08\x00', 132, 'latin1');
    add('missing-meta-group-length', 'MALFORMED', 'File Meta without (0002,0000)', noGroupLength);
  }
  return samples;
}

/**
 * Valid but unusual inputs that dcmjs alone mishandles (UN sequences) or rejects (no preamble),
 * with identity entries the parser must still find.
 */
export function edgeCaseDicomSamples(): EdgeCaseDicomSample[] {
  const e = ENC_EXPLICIT_LE;
  const i = ENC_IMPLICIT_LE;
  const samples: EdgeCaseDicomSample[] = [];
  const privateBlock = (extra: Uint8Array): Uint8Array =>
    concat([element(e, 0x00290010, 'LO', SYNTHETIC_PRIVATE_CREATOR), extra]);

  samples.push({
    name: 'un-sequence-undefined-length.dcm',
    description: 'private sequence stored as UN with undefined length (implicit VR items inside)',
    bytes: part10(
      EXPLICIT_VR_LITTLE_ENDIAN,
      minimal(e, [
        privateBlock(
          sequence(
            e,
            0x00291040,
            [
              item(i, [
                element(i, 0x00100010, 'PN', 'ZZCANARY^UNSEQ'),
                element(i, 0x00100020, 'LO', 'ZZMRN-IN-UN'),
              ]),
            ],
            { vr: 'UN' },
          ),
        ),
      ]),
    ),
    identity: { [`${P},40[0].PatientID`]: 'ZZMRN-IN-UN', [`${P},40[0].PatientName`]: 'ZZCANARY^UNSEQ' },
  });
  samples.push({
    name: 'known-sequence-as-un.dcm',
    description: 'Other Patient IDs Sequence stored as UN, defined length, implicit VR items',
    bytes: part10(
      EXPLICIT_VR_LITTLE_ENDIAN,
      minimal(e, [
        sequence(
          e,
          0x00101002,
          [item(i, [element(i, 0x00100020, 'LO', 'ZZMRN-UN-KNOWN')], { undefinedLength: false })],
          {
            vr: 'UN',
            undefinedLength: false,
          },
        ),
      ]),
    ),
    identity: { 'OtherPatientIDsSequence[0].PatientID': 'ZZMRN-UN-KNOWN' },
  });
  {
    const full = part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [element(e, 0x00100020, 'LO', 'ZZMRN-NOPRE')]));
    samples.push({
      name: 'no-preamble.dcm',
      description: 'File Meta at offset 0, no preamble or DICM',
      bytes: full.subarray(132),
      identity: { PatientID: 'ZZMRN-NOPRE' },
    });
  }
  samples.push({
    name: 'trailing-zero-padding.dcm',
    description: 'valid file followed by 64 KiB of zero bytes',
    bytes: Buffer.concat([
      part10(EXPLICIT_VR_LITTLE_ENDIAN, minimal(e, [element(e, 0x00100020, 'LO', 'ZZMRN-PAD')])),
      Buffer.alloc(65536),
    ]),
    identity: { PatientID: 'ZZMRN-PAD' },
  });
  samples.push({
    name: 'explicit-big-endian.dcm',
    description: 'explicit VR big endian with a nested sequence',
    bytes: part10(
      EXPLICIT_VR_BIG_ENDIAN,
      concat([
        element(ENC_EXPLICIT_BE, 0x00080016, 'UI', CT),
        element(ENC_EXPLICIT_BE, 0x00080018, 'UI', SAMPLE_UID),
        element(ENC_EXPLICIT_BE, 0x00100020, 'LO', 'ZZMRN-BE'),
        sequence(ENC_EXPLICIT_BE, 0x00101002, [
          item(ENC_EXPLICIT_BE, [element(ENC_EXPLICIT_BE, 0x00100020, 'LO', 'ZZMRN-BE-ALT')]),
        ]),
        us(ENC_EXPLICIT_BE, 0x00280010, 2),
      ]),
    ),
    identity: { PatientID: 'ZZMRN-BE', 'OtherPatientIDsSequence[0].PatientID': 'ZZMRN-BE-ALT' },
  });
  samples.push({
    name: 'encapsulated-with-offset-table.dcm',
    description: 'JPEG baseline syntax, two frames, valid offset table',
    bytes: part10(
      '1.2.840.10008.1.2.4.50',
      minimal(e, [
        element(e, 0x00100020, 'LO', 'ZZMRN-ENC'),
        encapsulated([0, 108], [new Uint8Array(100), new Uint8Array(60)]),
      ]),
    ),
    identity: { PatientID: 'ZZMRN-ENC' },
  });
  samples.push({
    name: 'deflated.dcm',
    description: 'deflated explicit VR little endian',
    bytes: part10(
      DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
      deflateRawSync(minimal(e, [element(e, 0x00100020, 'LO', 'ZZMRN-DEFLATE')])),
    ),
    identity: { PatientID: 'ZZMRN-DEFLATE' },
  });
  samples.push({
    name: 'implicit-private-text.dcm',
    description: 'implicit VR: private values arrive as UN bytes and are read as text',
    bytes: part10(
      IMPLICIT_VR_LITTLE_ENDIAN,
      minimal(i, [
        element(i, 0x00290010, 'LO', SYNTHETIC_PRIVATE_CREATOR),
        element(i, 0x00291010, 'LO', 'ZZCANARY^IMPLICIT'),
      ]),
    ),
    identity: { [`${P},10`]: 'ZZCANARY^IMPLICIT' },
  });
  return samples;
}
