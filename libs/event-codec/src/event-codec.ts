import type { Resolver, Type } from 'avsc';
import { types } from 'node:util';
import { CodecError } from './codec-errors';
import { fingerprintHex } from './rabin-fingerprint';
import type { SchemaCatalogue, SchemaVersion } from './schema-catalogue';
import {
  SINGLE_OBJECT_HEADER_LENGTH,
  fingerprintOf,
  frame,
  singleObject,
  writeHeader,
} from './single-object';
import type { Upcaster } from './upcaster';

/** A decoded payload in the CURRENT shape of its subject, with the version it was written at. */
export interface Decoded<T = unknown> {
  readonly subject: string;
  readonly writerVersion: number;
  readonly version: number;
  readonly value: T;
}

/** A writer schema and how its payloads become the current version. */
interface WriterPlan {
  readonly writer: SchemaVersion;
  readonly steps: readonly Step[];
}

/** How a writer version becomes the current version: Avro resolution segments joined by upcasters. */
interface Step {
  /** The version this segment's reader decodes into. */
  readonly readerVersion: number;
  readonly resolve: BodyReader;
  /** Upcaster applied after this segment (absent on the last one). */
  readonly upcaster?: Upcaster;
}

/**
 * Encodes values with the current schema of a subject and decodes any known writer version
 * into the current shape: Avro resolution (`createResolver`) where the change is compatible,
 * registered upcasters where it is not. Resolution plans are built once per writer fingerprint.
 */
export class EventCodec {
  private readonly upcasters = new Map<string, Upcaster>();
  /**
   * Writer plans, built on first sight of a fingerprint, by its low then high 32 bits as read
   * from the header: looking up by a BigInt allocated several per decode (measured: a sixteenth
   * of everything a 10,000-event history allocated).
   */
  private readonly byHeader = new Map<number, Map<number, WriterPlan>>();
  private scratch = Buffer.allocUnsafe(64 * 1024);

  constructor(
    readonly catalogue: SchemaCatalogue,
    upcasters: readonly Upcaster[] = [],
  ) {
    for (const u of upcasters) {
      const key = upcasterKey(u.eventType, u.fromVersion);
      if (this.upcasters.has(key))
        throw new CodecError('SCHEMA_CATALOGUE_INVALID', `two upcasters for ${key}`);
      catalogue.version(u.eventType, u.fromVersion + 1); // the target version must exist
      this.upcasters.set(key, u);
    }
  }

  /** Single-object encoding of `value` under the subject's current schema. */
  encode(subject: string, value: unknown): Buffer {
    return this.encodeAt(this.catalogue.latest(subject), value);
  }

  /** Encodes with an older version: used to write fixtures and test upgrades, not in production paths. */
  encodeVersion(subject: string, version: number, value: unknown): Buffer {
    return this.encodeAt(this.catalogue.version(subject, version), value);
  }

  /** Decodes any known writer version into the current shape; `expectedSubject` guards against mix-ups. */
  decode<T = unknown>(payload: Uint8Array, expectedSubject?: string): Decoded<T> {
    const buf = singleObject(payload);
    const { writer, steps } = this.writerPlan(buf);
    if (expectedSubject !== undefined && writer.subject !== expectedSubject) {
      throw new CodecError(
        'SCHEMA_INCOMPATIBLE',
        `payload is ${writer.subject}, expected ${expectedSubject}`,
      );
    }
    let current = buf;
    let start = SINGLE_OBJECT_HEADER_LENGTH;
    let value: unknown;
    let version = writer.version;
    // Indexed, not entries(): no iterator and pair per decode on this hot path.
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as Step;
      if (i > 0) {
        current = this.catalogue.version(writer.subject, version).type.toBuffer(value);
        start = 0;
      }
      value = decodeBody(step.resolve, current, start, writer);
      version = step.readerVersion;
      if (step.upcaster) {
        value = step.upcaster.upcast(value as Record<string, unknown>);
        version += 1;
        const target = this.catalogue.version(writer.subject, version);
        assertValid(target, value, `upcaster ${writer.subject} v${version - 1}→v${version} produced`);
      }
    }
    return { subject: writer.subject, writerVersion: writer.version, version, value: value as T };
  }

  private encodeAt(schema: SchemaVersion, value: unknown): Buffer {
    // avsc's writers type-check as they encode, so the happy path validates once. On failure:
    // avsc's `bytes` accepts only Node Buffers while our types say Uint8Array, so retry with
    // Buffer views, and if that fails too report the bad field paths (never avsc's message,
    // which quotes the value).
    try {
      return this.encodeFast(schema, value);
    } catch {
      const avroValue = withBuffers(value);
      assertValid(schema, avroValue, 'value is');
      return frame(schema.fingerprint, schema.type.toBuffer(avroValue));
    }
  }

  /**
   * Encodes straight after the header in a reusable scratch buffer, then copies out once
   * (toBuffer + frame would allocate and copy twice). Grows the scratch for large values.
   */
  private encodeFast(schema: SchemaVersion, value: unknown): Buffer {
    for (;;) {
      const end = schema.type.encode(value, this.scratch, SINGLE_OBJECT_HEADER_LENGTH);
      if (end >= 0) {
        writeHeader(schema.fingerprint, this.scratch);
        return Buffer.from(this.scratch.subarray(0, end));
      }
      // avsc returns the negated shortfall when the buffer is too small.
      this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.scratch.length - end));
    }
  }

  private writerPlan(buf: Buffer): WriterPlan {
    const low = buf.readUInt32LE(2);
    const high = buf.readUInt32LE(6);
    const known = this.byHeader.get(low)?.get(high);
    if (known) return known;
    const fingerprint = fingerprintOf(buf);
    const writer = this.catalogue.byFingerprint.get(fingerprint);
    if (!writer) {
      throw new CodecError(
        'UNKNOWN_FINGERPRINT',
        `no known schema has fingerprint ${fingerprintHex(fingerprint)}`,
      );
    }
    const plan = { writer, steps: this.planFor(writer) };
    let byHigh = this.byHeader.get(low);
    if (!byHigh) this.byHeader.set(low, (byHigh = new Map<number, WriterPlan>()));
    byHigh.set(high, plan);
    return plan;
  }

  private planFor(writer: SchemaVersion): readonly Step[] {
    const latest = this.catalogue.latest(writer.subject).version;
    const steps: Step[] = [];
    let from = writer.version;
    while (true) {
      // Resolve as far as the next version that needs an upcaster (or the latest).
      let to = from;
      while (to < latest && !this.upcasters.has(upcasterKey(writer.subject, to))) to += 1;
      const fromType = this.catalogue.version(writer.subject, from).type;
      const reader = this.catalogue.version(writer.subject, to).type;
      const upcaster = this.upcasters.get(upcasterKey(writer.subject, to));
      steps.push({
        readerVersion: to,
        resolve: resolverFor(reader, fromType, writer.subject, from, to),
        ...(upcaster ? { upcaster } : {}),
      });
      if (!upcaster) break;
      from = to + 1;
    }
    return steps;
  }
}

/** Reads the body that starts at `start` and runs to the end of `payload`. */
type BodyReader = (payload: Buffer, start: number) => unknown;

function resolverFor(reader: Type, writer: Type, subject: string, from: number, to: number): BodyReader {
  let resolver: Resolver | undefined;
  if (from !== to) {
    try {
      resolver = reader.createResolver(writer);
    } catch (error) {
      throw new CodecError(
        'SCHEMA_INCOMPATIBLE',
        `${subject} v${from} cannot be resolved to v${to} and no upcaster is registered: ${firstLine(error)}`,
      );
    }
  }
  // In place, where fromBuffer would need the body as its own Buffer view (one per decode);
  // decode leaves the checks fromBuffer makes to its caller.
  return (payload, start): unknown => {
    const decoded = reader.decode(payload, start, resolver);
    if (decoded.offset < 0) throw new Error('truncated buffer');
    if (decoded.offset !== payload.length) throw new Error('trailing data');
    return decoded.value;
  };
}

function decodeBody(read: BodyReader, payload: Buffer, start: number, writer: SchemaVersion): unknown {
  try {
    return read(payload, start);
  } catch (error) {
    throw new CodecError(
      'CORRUPT_PAYLOAD',
      `${writer.subject} v${writer.version} body of ${payload.length - start} bytes does not decode: ${firstLine(error)}`,
    );
  }
}

function assertValid(schema: SchemaVersion, value: unknown, what: string): void {
  const problems: string[] = [];
  schema.type.isValid(value, {
    errorHook: (path: string[]) => problems.push(path.join('.') || '(root)'),
  });
  if (problems.length > 0) {
    // Paths only: the values themselves may carry PHI.
    throw new CodecError(
      'INVALID_VALUE',
      `${what} not a valid ${schema.subject} v${schema.version}; bad fields: ${problems.slice(0, 10).join(', ')}`,
    );
  }
}

const { isDate } = types;

/** Deep copy with every non-Buffer Uint8Array viewed as a Buffer (no byte copies). */
function withBuffers(value: unknown): unknown {
  if (types.isUint8Array(value)) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (value === null || typeof value !== 'object' || isDate(value)) return value;
  if (Array.isArray(value)) return value.map(withBuffers);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withBuffers(v)]));
}

function upcasterKey(eventType: string, fromVersion: number): string {
  return `${eventType}@v${fromVersion}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
