/**
 * Finds Study Instance UID (0020,000D) in the first bytes of a little-endian DICOM file without
 * parsing it: the gateway only needs it for the partitioning key (one study's instances stay in
 * order), and ingest derives the recorded study key from a full, guarded parse. Explicit VR
 * (`UI` + 2-byte length) and implicit VR (4-byte length) are both tried; anything odd → null.
 */
export function peekStudyInstanceUid(head: Uint8Array): string | null {
  const buf = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  for (let i = 132; i + 8 <= buf.length; i++) {
    if (buf[i] !== 0x20 || buf[i + 1] !== 0x00 || buf[i + 2] !== 0x0d || buf[i + 3] !== 0x00) continue;
    const explicit = buf[i + 4] === 0x55 && buf[i + 5] === 0x49; // "UI"
    const length = explicit ? buf.readUInt16LE(i + 6) : buf.readUInt32LE(i + 4);
    const start = i + 8;
    if (length === 0 || length > 64 || start + length > buf.length) continue;
    const uid = buf.toString('latin1', start, start + length).replace(/\0+$/, '');
    if (/^[0-9]+(\.[0-9]+)*$/.test(uid)) return uid;
  }
  return null;
}
