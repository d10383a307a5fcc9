import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The deployment secrets ingest and gateways need. Each is 32 random bytes. */
export interface PipelineSecrets {
  /** Keyed hash for pseudonymous subject ids and UIDs. */
  readonly pseudonymKey: Buffer;
  /** Wraps the per-subject data keys in the key ring. */
  readonly keyEncryptionKey: Buffer;
  /** Gateway-side keyed hashes (file names, ordering keys). */
  readonly gatewaySecret: Buffer;
}

const ENV = {
  pseudonymKey: 'MEDLINEAGE_PSEUDONYM_KEY',
  keyEncryptionKey: 'MEDLINEAGE_KEK',
  gatewaySecret: 'MEDLINEAGE_GATEWAY_SECRET',
} as const;

/**
 * Secrets from the environment (base64, production: injected from a secret manager); for
 * embedded runs, missing ones are generated once into `file` (mode 0600) so restarts keep the
 * same pseudonyms and can still open sealed identities.
 */
export function loadSecrets(file: string, env: NodeJS.ProcessEnv = process.env): PipelineSecrets {
  const stored = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  let changed = false;
  const pick = (name: keyof typeof ENV): Buffer => {
    const fromEnv = env[ENV[name]];
    if (fromEnv) return decode(fromEnv, ENV[name]);
    const existing = stored[name];
    if (existing) return decode(existing, file);
    const fresh = randomBytes(32);
    stored[name] = fresh.toString('base64');
    changed = true;
    return fresh;
  };
  const secrets = {
    pseudonymKey: pick('pseudonymKey'),
    keyEncryptionKey: pick('keyEncryptionKey'),
    gatewaySecret: pick('gatewaySecret'),
  };
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  return secrets;
}

function decode(value: string, source: string): Buffer {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32) throw new RangeError(`${source}: expected 32 bytes of base64`);
  return bytes;
}
