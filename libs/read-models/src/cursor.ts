/** A cursor that cannot be decoded or belongs to a different query shape. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

/** Opaque, URL-safe cursor: base64url of a small JSON object. */
export function encodeCursor(value: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks that it has exactly the string fields `keys`. */
export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('cursor is not valid');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new InvalidCursorError('cursor is not valid');
  const record = parsed as Readonly<Record<string, unknown>>;
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = record[key];
    if (typeof value !== 'string') throw new InvalidCursorError('cursor is not valid');
    out[key] = value;
  }
  return out as Record<K, string>;
}
