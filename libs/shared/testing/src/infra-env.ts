import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where tools/infra-up.sh writes the endpoints of the services it started. */
export function infraEnvPath(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env['MEDLINEAGE_CACHE'] ?? join(homedir(), '.cache', 'medlineage');
  return join(cache, 'infra.env');
}

/**
 * Reads `export KEY=VALUE` / `KEY=VALUE` lines. The file is parsed, never executed: a test helper must not
 * run shell code from a file it did not write. Quotes around a value are removed; nothing is expanded.
 */
export function parseInfraEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) {
      continue;
    }
    const [, key = '', rawValue = ''] = match;
    vars[key] = unquote(rawValue.trim());
  }
  return vars;
}

function unquote(value: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(value);
  return quoted ? (quoted[2] ?? '') : value;
}

export type InfraEnvFile =
  | { readonly found: true; readonly path: string; readonly vars: Readonly<Record<string, string>> }
  | { readonly found: false; readonly path: string };

export function readInfraEnv(path: string = infraEnvPath()): InfraEnvFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { found: false, path };
  }
  return { found: true, path, vars: parseInfraEnv(text) };
}
