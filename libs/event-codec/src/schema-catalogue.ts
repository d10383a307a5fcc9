import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { Type, type Schema } from 'avsc';
import { CodecError } from './codec-errors';
import { LOGICAL_TYPES } from './logical-types';
import { rabinFingerprint } from './rabin-fingerprint';

/** One version of one schema subject (an event type, a message, the envelope). */
export interface SchemaVersion {
  /** Subject name: the event type string or message name, from the file name. */
  readonly subject: string;
  readonly version: number;
  readonly type: Type;
  /** CRC-64-AVRO of the Parsing Canonical Form. */
  readonly fingerprint: bigint;
  /** Path relative to the catalogue root, for error messages. */
  readonly file: string;
}

/** All versions of all subjects, indexed for encoding (latest) and decoding (by fingerprint). */
export interface SchemaCatalogue {
  readonly root: string;
  readonly subjects: ReadonlyMap<string, readonly SchemaVersion[]>;
  readonly byFingerprint: ReadonlyMap<bigint, SchemaVersion>;
  latest(subject: string): SchemaVersion;
  version(subject: string, version: number): SchemaVersion;
}

const VERSIONED_FILE = /^(?<subject>[A-Za-z][A-Za-z0-9]*)\.v(?<version>[1-9][0-9]*)\.avsc$/;

/** schemas/avro at the repository root (source tree layout: libs/event-codec/src → ../../..). */
export function defaultSchemaRoot(): string {
  return resolve(__dirname, '../../../schemas/avro');
}

/**
 * Loads `common/*.avsc` (shared named types, any order) and then every `<Subject>.v<N>.avsc`
 * below the root. Each versioned schema is parsed against its own copy of the common registry,
 * so two versions may redefine the same record name without clashing.
 */
export function loadSchemaCatalogue(root: string = defaultSchemaRoot()): SchemaCatalogue {
  const commonDir = join(root, 'common');
  const common = parseCommon(
    exists(commonDir)
      ? listFiles(commonDir)
          .filter((f) => f.endsWith('.avsc'))
          .map((f) => ({ file: relative(root, f), schema: readSchema(f) }))
      : [],
  );

  const subjects = new Map<string, SchemaVersion[]>();
  const byFingerprint = new Map<bigint, SchemaVersion>();
  for (const file of listFiles(root)) {
    if (file.startsWith(commonDir) || !file.endsWith('.avsc')) continue;
    const match = VERSIONED_FILE.exec(basename(file));
    if (!match?.groups) {
      throw new CodecError(
        'SCHEMA_CATALOGUE_INVALID',
        `${relative(root, file)} is not named <Subject>.v<N>.avsc`,
      );
    }
    const subject = match.groups['subject'] ?? '';
    const version = Number(match.groups['version']);
    const type = parse(readSchema(file), common, relative(root, file));
    const fingerprint = rabinFingerprint(JSON.stringify(type.schema()));
    const entry: SchemaVersion = { subject, version, type, fingerprint, file: relative(root, file) };
    const clash = byFingerprint.get(fingerprint);
    if (clash) {
      // Identical canonical forms (e.g. only a default changed) would make the writer ambiguous.
      throw new CodecError(
        'SCHEMA_CATALOGUE_INVALID',
        `${entry.file} has the same canonical form as ${clash.file}; change the schema or drop the version`,
      );
    }
    byFingerprint.set(fingerprint, entry);
    const list = subjects.get(subject) ?? [];
    list.push(entry);
    subjects.set(subject, list);
  }

  for (const [subject, list] of subjects) {
    list.sort((a, b) => a.version - b.version);
    list.forEach((entry, i) => {
      if (entry.version !== i + 1) {
        throw new CodecError('SCHEMA_CATALOGUE_INVALID', `${subject} versions must be 1..N without gaps`);
      }
    });
  }

  return {
    root,
    subjects,
    byFingerprint,
    latest(subject) {
      const list = subjects.get(subject);
      const last = list?.[list.length - 1];
      if (!last) throw new CodecError('UNKNOWN_SUBJECT', `no schema for "${subject}"`);
      return last;
    },
    version(subject, version) {
      const found = subjects.get(subject)?.[version - 1];
      if (!found) throw new CodecError('UNKNOWN_SUBJECT', `no schema for "${subject}" v${version}`);
      return found;
    },
  };
}

/** Parses the shared named types once; they may reference each other in any file order. */
function parseCommon(common: readonly { file: string; schema: Schema }[]): Record<string, Type> {
  const registry: Record<string, Type> = {};
  let pending = [...common];
  while (pending.length > 0) {
    const failed: typeof pending = [];
    let lastError: unknown;
    for (const item of pending) {
      // A failed parse may leave half-registered names behind: parse into a scratch copy.
      const scratch = { ...registry };
      try {
        Type.forSchema(item.schema, { ...PARSE_OPTIONS, registry: scratch });
        Object.assign(registry, scratch);
      } catch (error) {
        failed.push(item);
        lastError = error;
      }
    }
    if (failed.length === pending.length) {
      throw new CodecError(
        'SCHEMA_CATALOGUE_INVALID',
        `cannot parse ${failed.map((f) => f.file).join(', ')}: ${String(lastError)}`,
      );
    }
    pending = failed;
  }
  return registry;
}

/** Each versioned schema gets its own copy of the common registry, so versions never clash. */
function parse(schema: Schema, common: Record<string, Type>, file: string): Type {
  try {
    return Type.forSchema(schema, { ...PARSE_OPTIONS, registry: { ...common } });
  } catch (error) {
    throw new CodecError('SCHEMA_CATALOGUE_INVALID', `cannot parse ${file}: ${String(error)}`);
  }
}

const PARSE_OPTIONS = { logicalTypes: LOGICAL_TYPES, wrapUnions: false as const };

function readSchema(file: string): Schema {
  return JSON.parse(readFileSync(file, 'utf8')) as Schema;
}

function exists(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? listFiles(join(dir, d.name)) : [join(dir, d.name)]))
    .sort();
}
