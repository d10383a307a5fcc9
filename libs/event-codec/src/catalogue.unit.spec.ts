import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { types } from 'node:util';
import { ALL_EVENT_TYPES, EVENT_UPCASTERS } from '@medlineage/domain';
import { sampleEvents, sampleLegacyData } from '@medlineage/domain/testing';
import { EventCodec } from './event-codec';
import { defaultSchemaRoot, loadSchemaCatalogue } from './schema-catalogue';

/** The product's real catalogue in schemas/avro, checked as a whole. */
describe('schemas/avro catalogue', () => {
  const catalogue = loadSchemaCatalogue();
  const codec = new EventCodec(catalogue, EVENT_UPCASTERS);
  const root = defaultSchemaRoot();

  it('has one schema subject per domain event type, and no stray event schemas', () => {
    const eventSubjects = [...catalogue.subjects.values()]
      .filter((versions) => versions[0]?.file.startsWith('events/'))
      .map((versions) => versions[0]?.subject)
      .sort();
    expect(eventSubjects).toEqual([...ALL_EVENT_TYPES].sort());
  });

  it('has the envelope and the Kafka message schemas', () => {
    for (const subject of ['EventMetadata', 'IngestRequest', 'DeadLetter']) {
      expect(() => catalogue.latest(subject)).not.toThrow();
    }
  });

  const multiVersion = [...catalogue.subjects.entries()].filter(([, versions]) => versions.length > 1);
  const olderVersions = multiVersion.flatMap(([subject, versions]) =>
    versions.slice(0, -1).map((v) => [subject, v.version] as const),
  );

  it('has evolved schemas to prove evolution on', () => {
    expect(olderVersions.length).toBeGreaterThanOrEqual(3);
  });

  it.each(olderVersions)('reads %s written at v%i as the current version', (subject, version) => {
    const writer = catalogue.version(subject, version);
    const current = catalogue.latest(subject);
    for (let i = 0; i < 50; i++) {
      const decoded = codec.decode(codec.encodeVersion(subject, version, writer.type.random()), subject);
      expect(decoded.version).toBe(current.version);
      expect(decoded.writerVersion).toBe(version);
      expect(current.type.isValid(decoded.value)).toBe(true);
    }
  });

  it('round-trips one realistic sample of every event type exactly', () => {
    const samples = sampleEvents();
    expect(new Set(samples.map((s) => s.type))).toEqual(new Set(ALL_EVENT_TYPES));
    for (const sample of samples) {
      const decoded = codec.decode(codec.encode(sample.type, sample.data), sample.type);
      expect(normalise(decoded.value)).toEqual(normalise(sample.data));
    }
  });

  it('upgrades a sample of every older version to the current shape', () => {
    const legacy = sampleLegacyData();
    expect(legacy.map((l) => `${l.eventType}@${l.version}`).sort()).toEqual(
      olderVersions
        .filter(([s]) => (ALL_EVENT_TYPES as readonly string[]).includes(s))
        .map(([s, v]) => `${s}@${v}`)
        .sort(),
    );
    for (const { eventType, version, data } of legacy) {
      const decoded = codec.decode(codec.encodeVersion(eventType, version, data), eventType);
      expect(catalogue.latest(eventType).type.isValid(decoded.value)).toBe(true);
    }
  });

  it('documents every record, enum and field', () => {
    const undocumented: string[] = [];
    for (const file of listAvsc(root)) {
      walk(JSON.parse(readFileSync(file, 'utf8')), relative(root, file), undocumented);
    }
    expect(undocumented).toEqual([]);
  });
});

function walk(node: unknown, where: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((n) => walk(n, where, out));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if ((n['type'] === 'record' || n['type'] === 'enum' || n['type'] === 'fixed') && !hasDoc(n)) {
    out.push(`${where}: ${String(n['name'])}`);
  }
  if (n['type'] === 'record' && Array.isArray(n['fields'])) {
    for (const f of n['fields'] as Record<string, unknown>[]) {
      if (!hasDoc(f)) out.push(`${where}: field ${String(f['name'])}`);
      walk(f['type'], where, out);
    }
  }
  walk(n['items'], where, out);
  walk(n['values'], where, out);
  if (Array.isArray(n['type'])) walk(n['type'], where, out);
  else if (typeof n['type'] === 'object') walk(n['type'], where, out);
}

function hasDoc(n: Record<string, unknown>): boolean {
  return typeof n['doc'] === 'string' && n['doc'].trim().length > 0;
}

function listAvsc(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listAvsc(join(dir, d.name)) : d.name.endsWith('.avsc') ? [join(dir, d.name)] : [],
  );
}

/** Buffers come back as Buffer where samples may hold Uint8Array: compare bytes, not classes. */
function normalise(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (types.isDate(value)) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  }
  return value;
}
