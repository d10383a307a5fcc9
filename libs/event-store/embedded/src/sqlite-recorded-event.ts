import type { EventToAppend, GlobalPosition, RecordedEvent } from '@medlineage/event-store';
import { bytesToUuid } from './uuid-bytes';

/** An `events` row as the stream read statements select it (they know the stream's name already). */
export interface EventRow {
  position: number;
  revision: number;
  type: string;
  payload: Buffer;
  created_at: number;
}

/** An `events` row joined with its stream's name, as the `$all` read statements select it. */
export interface NamedEventRow extends EventRow {
  name: string;
}

const PAYLOAD_HEADER = 20;

/**
 * Revisions of aggregate-sized streams as shared BigInts (they are immutable values): a history
 * holds one per event, and these need not be allocated each time.
 */
const SMALL_REVISIONS: readonly bigint[] = Array.from({ length: 1024 }, (_, i) => BigInt(i));

/** The stored payload: id, metadata length, metadata, data (see sqlite-schema.ts). */
export function packPayload(e: EventToAppend): Buffer {
  const out = Buffer.allocUnsafe(PAYLOAD_HEADER + e.metadata.byteLength + e.data.byteLength);
  out.write(e.id.replaceAll('-', ''), 0, 16, 'hex');
  out.writeUInt32LE(e.metadata.byteLength, 16);
  out.set(e.metadata, PAYLOAD_HEADER);
  out.set(e.data, PAYLOAD_HEADER + e.metadata.byteLength);
  return out;
}

export function toRecorded(row: EventRow, streamName: string): RecordedEvent {
  return new SqliteRecordedEvent(
    streamName,
    row.position,
    row.revision,
    row.type,
    row.payload,
    row.created_at,
  );
}

/**
 * A stored event straight from its row. The id (UUID text) and the Date are built on first access:
 * catch-up readers that only need type and payload (projection rebuilds) skip that work.
 */
export class SqliteRecordedEvent implements RecordedEvent {
  readonly revision: bigint;
  readonly position: GlobalPosition;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  private idText: string | undefined;

  constructor(
    readonly streamName: string,
    position: number,
    revision: number,
    readonly type: string,
    private readonly payload: Buffer,
    private readonly createdAtMs: number,
  ) {
    this.revision =
      revision < SMALL_REVISIONS.length ? (SMALL_REVISIONS[revision] as bigint) : BigInt(revision);
    this.position = pos(position);
    const metadataEnd = PAYLOAD_HEADER + payload.readUInt32LE(16);
    this.metadata = payload.subarray(PAYLOAD_HEADER, metadataEnd);
    this.data = payload.subarray(metadataEnd);
  }

  get id(): string {
    // The payload starts with the id's 16 bytes.
    return (this.idText ??= bytesToUuid(this.payload));
  }

  get createdAt(): Date {
    return new Date(this.createdAtMs);
  }
}

export function pos(n: number): GlobalPosition {
  const b = BigInt(n);
  return { commit: b, prepare: b };
}
