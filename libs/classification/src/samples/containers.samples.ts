import { DICOM_UIDS, LONG_VRS } from '../sniff/dicom.sniff';
import { ByteWriter, crc32 } from './writer';

/** A zip archive (PKWARE APPNOTE §4.3) with stored (uncompressed) entries. */
export function zip(
  entries: readonly { readonly name: string; readonly data: Uint8Array }[],
  prefix?: Uint8Array,
): Uint8Array {
  const w = new ByteWriter();
  if (prefix) w.bytes(prefix);
  const central = new ByteWriter();
  for (const e of entries) {
    const offset = w.length;
    const crc = crc32(e.data);
    w.ascii('PK\x03\x04')
      .u16(20)
      .u16(0)
      .u16(0)
      .u16(0)
      .u16(0x5a21)
      .u32(crc)
      .u32(e.data.length)
      .u32(e.data.length);
    w.u16(e.name.length).u16(0).ascii(e.name).bytes(e.data);
    central.ascii('PK\x01\x02').u16(20).u16(20).u16(0).u16(0).u16(0).u16(0x5a21).u32(crc);
    central
      .u32(e.data.length)
      .u32(e.data.length)
      .u16(e.name.length)
      .u16(0)
      .u16(0)
      .u16(0)
      .u16(0)
      .u32(0)
      .u32(offset);
    central.ascii(e.name);
  }
  const cd = central.done();
  const cdOffset = w.length;
  w.bytes(cd)
    .ascii('PK\x05\x06')
    .u16(0)
    .u16(0)
    .u16(entries.length)
    .u16(entries.length)
    .u32(cd.length)
    .u32(cdOffset)
    .u16(0);
  return w.done();
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A POSIX ustar archive with one regular file. */
export function tar(name: string, data: Uint8Array): Uint8Array {
  const header = new Uint8Array(512);
  const put = (at: number, s: string) => header.set(Buffer.from(s, 'latin1'), at);
  put(0, name.slice(0, 99));
  put(100, octal(0o644, 8));
  put(108, octal(0, 8));
  put(116, octal(0, 8));
  put(124, octal(data.length, 12));
  put(136, octal(1_795_000_000, 12));
  put(148, '        ');
  put(156, '0');
  put(257, 'ustar\0');
  put(263, '00');
  put(265, 'sim');
  put(297, 'sim');
  const sum = header.reduce((a, b) => a + b, 0);
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
  padded.set(data);
  return new ByteWriter().bytes(header).bytes(padded).zeros(1024).done();
}

/** A minimal x86-64 Linux ELF executable (header, one PT_LOAD, `exit(0)`). */
export function elf(): Uint8Array {
  const code = [0x31, 0xff, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05]; // xor edi,edi; mov eax,60; syscall
  const base = 0x400000;
  const entry = base + 64 + 56;
  const size = 64 + 56 + code.length;
  return new ByteWriter()
    .bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])
    .zeros(8)
    .u16(2) // ET_EXEC
    .u16(0x3e) // x86-64
    .u32(1)
    .u32(entry)
    .u32(0)
    .u32(64) // e_phoff
    .u32(0)
    .u32(0) // e_shoff
    .u32(0)
    .u32(0) // e_flags
    .u16(64)
    .u16(56)
    .u16(1)
    .u16(0)
    .u16(0)
    .u16(0)
    .u32(1) // PT_LOAD
    .u32(5) // R+X
    .u32(0)
    .u32(0) // p_offset
    .u32(base)
    .u32(0)
    .u32(base)
    .u32(0)
    .u32(size)
    .u32(0)
    .u32(size)
    .u32(0)
    .u32(0x1000)
    .u32(0)
    .bytes(code)
    .done();
}

/** A DOS/PE header whose PE signature sits inside what a DICOM reader takes as the preamble. */
export function peStub(): Uint8Array {
  const w = new ByteWriter().ascii('MZ').u16(0x90).u16(3).u16(0).u16(4).u16(0).u16(0xffff).u16(0);
  w.zeros(0x3c - w.length).u32(0x40);
  w.ascii('PE\0\0').u16(0x14c).u16(0).u32(0).u32(0).u32(0).u16(0).u16(0x0102);
  return w.done();
}

/** Explicit VR little endian data element. */
export function element(
  group: number,
  elementNo: number,
  vr: string,
  value: Uint8Array | string,
): Uint8Array {
  let bytes = typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'latin1')) : value;
  if (bytes.length % 2 === 1) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20;
    bytes = padded;
  }
  const w = new ByteWriter().u16(group).u16(elementNo).ascii(vr);
  if (LONG_VRS.has(vr)) {
    w.u16(0).u32(bytes.length);
  } else {
    w.u16(bytes.length);
  }
  return w.bytes(bytes).done();
}

export const SOP_CLASSES = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  mr: '1.2.840.10008.5.1.4.1.1.4',
  us: '1.2.840.10008.5.1.4.1.1.6.1',
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
  encapsulatedPdf: DICOM_UIDS.encapsulatedPdf,
  encapsulatedCda: DICOM_UIDS.encapsulatedCda,
  basicTextSr: '1.2.840.10008.5.1.4.1.1.88.11',
  mediaStorageDirectory: DICOM_UIDS.mediaStorageDirectory,
} as const;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

export interface DicomShapeOptions {
  readonly sopClassUid?: string;
  readonly modality?: string;
  /** Bytes 0-127; zeros by default. */
  readonly preamble?: Uint8Array;
  /** Dataset elements after (0008,0060), e.g. an EncapsulatedDocument. */
  readonly extra?: readonly Uint8Array[];
}

/**
 * DICOM-shaped bytes for sniffer tests: preamble, `DICM`, a correct file meta group, and a few
 * top-level elements. Not a valid IOD (no patient module): real synthetic DICOM comes from
 * `@medlineage/dicom/synthetic`.
 */
export function dicomPart10({
  sopClassUid = SOP_CLASSES.ct,
  modality = 'CT',
  preamble = new Uint8Array(128),
  extra = [],
}: DicomShapeOptions = {}): Uint8Array {
  const instance = '2.25.1234567890123456789012345678901234';
  const metaBody = new ByteWriter()
    .bytes(element(0x0002, 0x0001, 'OB', Uint8Array.from([0, 1])))
    .bytes(element(0x0002, 0x0002, 'UI', sopClassUid))
    .bytes(element(0x0002, 0x0003, 'UI', instance))
    .bytes(element(0x0002, 0x0010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN))
    .bytes(element(0x0002, 0x0012, 'UI', '2.25.999'))
    .bytes(element(0x0002, 0x0013, 'SH', 'MEDLINEAGE_SIM'))
    .done();
  const w = new ByteWriter()
    .bytes(preamble.subarray(0, 128))
    .zeros(Math.max(0, 128 - preamble.length))
    .ascii('DICM');
  w.bytes(element(0x0002, 0x0000, 'UL', new ByteWriter().u32(metaBody.length).done())).bytes(metaBody);
  w.bytes(rawDataset(sopClassUid, modality));
  for (const e of extra) w.bytes(e);
  return w.done();
}

/** A dataset without preamble or meta: (0008,0005), (0008,0016), (0008,0060). */
export function rawDataset(sopClassUid: string = SOP_CLASSES.ct, modality = 'CT'): Uint8Array {
  return new ByteWriter()
    .bytes(element(0x0008, 0x0005, 'CS', 'ISO_IR 100'))
    .bytes(element(0x0008, 0x0016, 'UI', sopClassUid))
    .bytes(element(0x0008, 0x0060, 'CS', modality))
    .done();
}
