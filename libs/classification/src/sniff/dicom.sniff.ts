import { byteAt, hasBytes, type Head, latin1, u16be, u16le, u32be, u32le } from './bytes';
import { detection, type Detection } from './signal';

/** DICOM UIDs the sniffer needs by name (PS3.6 Annex A). */
export const DICOM_UIDS = {
  mediaStorageDirectory: '1.2.840.10008.1.3.10',
  encapsulatedPdf: '1.2.840.10008.5.1.4.1.1.104.1',
  encapsulatedCda: '1.2.840.10008.5.1.4.1.1.104.2',
} as const;

/** Value representations (PS3.5 §6.2). */
const VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);
/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR encodings (PS3.5 §7.1.2). */
export const LONG_VRS: ReadonlySet<string> = new Set('OB OD OF OL OV OW SQ SV UC UN UR UT UV'.split(' '));
/** Tags whose value is a UID: a cheap plausibility check on implicit VR data. */
const UID_TAGS = new Set([0x00020002, 0x00020003, 0x00020010, 0x00080016, 0x00080018]);
const UNDEFINED_LENGTH = 0xffffffff;
const MAX_ELEMENTS = 24;

interface Encoding {
  readonly explicit: boolean;
  readonly littleEndian: boolean;
}

interface Walk {
  /** Elements that parsed as a plausible, ascending sequence. */
  readonly elements: number;
  /** Why the walk stopped: 'invalid' means an implausible element followed the good ones. */
  readonly stop: 'invalid' | 'end' | 'limit' | 'group-end' | 'undefined-length';
  readonly uidChecked: boolean;
  /** (0002,0002) Media Storage SOP Class UID, or (0008,0016) SOP Class UID. */
  readonly sopClassUid: string | null;
  readonly end: number;
}

/**
 * Walks data elements from `start` as long as they are plausible: known VR (explicit), even
 * length, ascending tags, value inside the object, UIDs made of digits and dots.
 */
function walk(head: Head, start: number, enc: Encoding, onlyGroup: number | null): Walk {
  const b = head.bytes;
  const u16 = enc.littleEndian ? u16le : u16be;
  const u32 = enc.littleEndian ? u32le : u32be;
  let at = start;
  let previous = -1;
  let elements = 0;
  let uidChecked = false;
  let sopClassUid: string | null = null;
  const result = (stop: Walk['stop']): Walk => ({ elements, stop, uidChecked, sopClassUid, end: at });
  while (elements < MAX_ELEMENTS) {
    const group = u16(b, at);
    const element = u16(b, at + 2);
    if (group === null || element === null) return result('end');
    if (onlyGroup !== null && group !== onlyGroup) return result('group-end');
    const tag = group * 0x10000 + element;
    if (tag <= previous) return result('invalid');
    let length: number | null;
    let headerLength: number;
    let vr = '';
    if (enc.explicit) {
      vr = latin1(b, at + 4, at + 6);
      if (vr.length < 2) return result('end');
      if (!VRS.has(vr)) return result('invalid');
      if (LONG_VRS.has(vr)) {
        if (byteAt(b, at + 6) !== 0 || byteAt(b, at + 7) !== 0) return result('invalid');
        length = u32(b, at + 8);
        headerLength = 12;
      } else {
        length = u16(b, at + 6);
        headerLength = 8;
      }
    } else {
      length = u32(b, at + 4);
      headerLength = 8;
    }
    if (length === null) return result('end');
    if (length === UNDEFINED_LENGTH) {
      if (enc.explicit && vr !== 'SQ' && vr !== 'UN' && vr !== 'OB' && vr !== 'OW') return result('invalid');
      elements++;
      return result('undefined-length');
    }
    const valueAt = at + headerLength;
    if (length % 2 !== 0 || valueAt + length > head.totalSize) return result('invalid');
    if (UID_TAGS.has(tag) && valueAt + length <= b.length) {
      const uid = latin1(b, valueAt, valueAt + length).replace(/[\0 ]+$/, '');
      if (!/^[0-9]+(\.[0-9]+)+$/.test(uid) || uid.length > 64) return result('invalid');
      uidChecked = true;
      if (tag === 0x00020002 || (tag === 0x00080016 && sopClassUid === null)) sopClassUid = uid;
    }
    elements++;
    previous = tag;
    at = valueAt + length;
  }
  return result('limit');
}

const SOP_CLASS_NAMES: Readonly<Record<string, string>> = {
  [DICOM_UIDS.mediaStorageDirectory]: 'Media Storage Directory (DICOMDIR)',
  [DICOM_UIDS.encapsulatedPdf]: 'Encapsulated PDF Storage',
  [DICOM_UIDS.encapsulatedCda]: 'Encapsulated CDA Storage',
};

/** What a visible SOP class UID adds: DICOMDIR is a format of its own; documents are flagged. */
function refinements(uid: string | null, offset: number): Detection[] {
  if (uid === null) return [];
  const name = SOP_CLASS_NAMES[uid];
  if (uid === DICOM_UIDS.mediaStorageDirectory) {
    return [
      detection('dicom.dicomdir', 'DICOMDIR', 0.99, offset, `media storage SOP class is ${name}`, {
        hint: 'dicomdir',
        rank: 3,
        mediaStorageSopClassUid: uid,
      }),
    ];
  }
  if (uid === DICOM_UIDS.encapsulatedPdf || uid === DICOM_UIDS.encapsulatedCda) {
    return [
      detection('dicom.encapsulated-document', 'DICOM', 0.95, offset, `media storage SOP class is ${name}`, {
        hint: null,
        rank: 0,
        mediaStorageSopClassUid: uid,
      }),
    ];
  }
  return [];
}

/** PS3.10 §7.1: 128-byte preamble, `DICM`, then the explicit VR little endian group 0002. */
function sniffPart10(head: Head): Detection[] {
  const b = head.bytes;
  if (!hasBytes(b, 128, 'DICM')) return [];
  const meta = walk(head, 132, { explicit: true, littleEndian: true }, 0x0002);
  const uid = meta.sopClassUid;
  const extra = uid === null ? {} : { mediaStorageSopClassUid: uid };
  const [conf, what] =
    meta.elements > 0
      ? meta.stop === 'invalid'
        ? [0.95, `file meta group 0002 at 132 (${meta.elements} elements, then an implausible one)`]
        : [0.99, `file meta group 0002 at 132 (${meta.elements} elements)`]
      : u16le(b, 132) === 0x0002
        ? [0.9, 'group 0002 at 132 without a parsable element']
        : [0.75, 'no file meta group at 132'];
  const out: Detection[] = [
    detection('dicom.part10', 'DICOM', conf, 128, `DICM at 128; ${what}`, {
      hint: 'dicom-part10',
      rank: 2,
      ...extra,
    }),
  ];
  if (b.subarray(0, 128).some((x) => x !== 0)) {
    out.push(
      detection('dicom.preamble-not-zero', 'UNKNOWN', 1, 0, 'DICOM preamble bytes 0-127 are not all zero', {
        hint: null,
        rank: 0,
      }),
    );
  }
  return [...out, ...refinements(uid, 132)];
}

/** Groups a raw dataset (no preamble, no `DICM`) plausibly starts with. 0002/0008 are usual. */
const FIRST_GROUPS: ReadonlyMap<number, number> = new Map([
  [0x0002, 0],
  [0x0008, 0],
  [0x0010, -0.2],
  [0x0018, -0.2],
  [0x0020, -0.2],
  [0x0028, -0.2],
]);

/**
 * A dataset without preamble: as written by some modalities and PACS exports, and the
 * `AsyncDicomReader` input shape. Tries explicit LE, implicit LE and explicit BE.
 */
function sniffRaw(head: Head): Detection[] {
  const b = head.bytes;
  const candidates: { enc: Encoding; label: string; group: number | null }[] = [
    { enc: { explicit: true, littleEndian: true }, label: 'explicit VR little endian', group: u16le(b, 0) },
    { enc: { explicit: false, littleEndian: true }, label: 'implicit VR little endian', group: u16le(b, 0) },
    { enc: { explicit: true, littleEndian: false }, label: 'explicit VR big endian', group: u16be(b, 0) },
  ];
  let best: { conf: number; label: string; walk: Walk } | null = null;
  for (const { enc, label, group } of candidates) {
    const groupBias = group === null ? undefined : FIRST_GROUPS.get(group);
    if (groupBias === undefined) continue;
    if (group === 0x0002 && !(enc.explicit && enc.littleEndian)) continue; // meta is always explicit LE
    const w = walk(head, 0, enc, null);
    const enough = w.elements >= 3 || (w.elements >= 2 && w.stop !== 'limit');
    if (!enough) continue;
    let conf = enc.explicit ? 0.9 : 0.65;
    if (w.elements < 3) conf -= 0.15;
    if (!enc.explicit && w.uidChecked) conf += 0.15;
    if (!enc.littleEndian) conf -= 0.05;
    if (w.stop === 'invalid') conf -= 0.25; // a real dataset does not break inside the head
    conf += groupBias;
    if (best === null || conf > best.conf) best = { conf, label, walk: w };
  }
  if (best === null) return [];
  const uid = best.walk.sopClassUid;
  return [
    detection(
      'dicom.raw',
      'DICOM',
      best.conf,
      0,
      `dataset without preamble at 0, ${best.label}, ${best.walk.elements} plausible elements`,
      {
        hint: best.label.endsWith('big endian') ? 'dicom-raw-be' : 'dicom-raw',
        rank: 2,
        ...(uid === null ? {} : { mediaStorageSopClassUid: uid }),
      },
    ),
    ...refinements(uid, 0),
  ];
}

export function sniffDicom(head: Head): Detection[] {
  const part10 = sniffPart10(head);
  return part10.length > 0 ? part10 : sniffRaw(head);
}
