import { CodecError } from './codec-errors';
import { fingerprintBytes } from './rabin-fingerprint';

/** Avro single-object encoding marker (spec: "Single-object encoding"). */
const MAGIC_0 = 0xc3;
const MAGIC_1 = 0x01;
export const SINGLE_OBJECT_HEADER_LENGTH = 10;

/** Marker + 8-byte little-endian fingerprint, written in place at the start of `out`. */
export function writeHeader(fingerprint: bigint, out: Buffer): void {
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out.writeBigUInt64LE(fingerprint, 2);
}

/** Marker + 8-byte little-endian fingerprint + Avro binary body. */
export function frame(fingerprint: bigint, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(SINGLE_OBJECT_HEADER_LENGTH + body.length);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  fingerprintBytes(fingerprint).copy(out, 2);
  body.copy(out, SINGLE_OBJECT_HEADER_LENGTH);
  return out;
}

/**
 * The payload as a Buffer, refused before decoding unless it starts with the marker and a whole
 * fingerprint (read it with {@link fingerprintOf}; the body follows the header).
 */
export function singleObject(payload: Uint8Array): Buffer {
  const buf = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf.length < SINGLE_OBJECT_HEADER_LENGTH || buf[0] !== MAGIC_0 || buf[1] !== MAGIC_1) {
    throw new CodecError(
      'NOT_SINGLE_OBJECT',
      `payload of ${buf.length} bytes does not start with the Avro single-object marker C3 01`,
    );
  }
  return buf;
}

export function fingerprintOf(singleObjectPayload: Buffer): bigint {
  return singleObjectPayload.readBigUInt64LE(2);
}
