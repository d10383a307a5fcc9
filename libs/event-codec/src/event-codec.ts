import type { Resolver, Type } from 'avsc';
import { types } from 'node:util';
import { CodecError } from './codec-errors';
import { fingerprintHex } from './rabin-fingerprint';
import type { SchemaCatalogue, SchemaVersion } from './schema-catalogue';
import { SINGLE_OBJECT_HEADER_LENGTH, frame, unframe, writeHeader } from './single-object';
import type { Upcaster } from './upcaster';

/** A decoded payload in the CURRENT shape of its subject, with the version it was written at. */
export interface Decoded<T = unknown> {
  readonly subject: string;
  readonly writerVersion: number;
  readonly version: number;
  readonly value: T;
}

/** How a writer version becomes the current version: Avro resolution segments joined by upcasters. */
interface Step {
  /** The version this segment's reader decodes into. */
  readonly readerVersion: number;
  readonly resolve: (body: Buffer) => unknown;
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
  private readonly plans = new Map<bigint, readonly Step[]>();
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
    const { fingerprint, body } = unframe(payload);
    const writer = this.catalogue.byFingerprint.get(fingerprint);
    if (!writer) {
      throw new CodecError(
        'UNKNOWN_FINGERPRINT',
        `no known schema has fingerprint ${fingerprintHex(fingerprint)}`,
      );
    }
    if (expectedSubject !== undefined && writer.subject !== expectedSubject) {
      throw new CodecError(
        'SCHEMA_INCOMPATIBLE',
        `payload is ${writer.subject}, expected ${expectedSubject}`,
      );
    }
    const steps = this.planFor(writer);
    let current = body;
    let value: unknown;
    let version = writer.version;
    for (const [i, step] of steps.entries()) {
      if (i > 0) current = this.catalogue.version(writer.subject, version).type.toBuffer(value);
      value = decodeBody(step.resolve, current, writer);
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

  private planFor(writer: SchemaVersion): readonly Step[] {
    const cached = this.plans.get(writer.fingerprint);
    if (cached) return cached;
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
    this.plans.set(writer.fingerprint, steps);
    return steps;
  }
}

function resolverFor(
  reader: Type,
  writer: Type,
  subject: string,
  from: number,
  to: number,
): (body: Buffer) => unknown {
  if (from === to) return (body): unknown => reader.fromBuffer(body) as unknown;
  let resolver: Resolver;
  try {
    resolver = reader.createResolver(writer);
  } catch (error) {
    throw new CodecError(
      'SCHEMA_INCOMPATIBLE',
      `${subject} v${from} cannot be resolved to v${to} and no upcaster is registered: ${firstLine(error)}`,
    );
  }
  return (body): unknown => reader.fromBuffer(body, resolver) as unknown;
}

function decodeBody(resolve: (body: Buffer) => unknown, body: Buffer, writer: SchemaVersion): unknown {
  try {
    return resolve(body);
  } catch (error) {
    throw new CodecError(
      'CORRUPT_PAYLOAD',
      `${writer.subject} v${writer.version} body of ${body.length} bytes does not decode: ${firstLine(error)}`,
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
