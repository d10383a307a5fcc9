import { InvalidObjectKeyError } from './object-store-errors';

/**
 * Object keys are derived from content, never taken from file names or requests:
 * `sha256/<h0h1>/<h2h3>/<64 lower-case hex>`. The two fan-out levels keep directories (and S3
 * listing pages) small. Anything else is refused before any I/O, which is what keeps path
 * traversal, encoded dot segments and absolute paths out of both adapters.
 */
export const KEY_PREFIX = 'sha256/';

/** S3's own limit; our keys are 77 bytes, so anything near it is hostile by definition. */
export const MAX_KEY_BYTES = 1024;

/** Length of every valid key. */
export const KEY_LENGTH = KEY_PREFIX.length + 2 + 1 + 2 + 1 + 64;

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const KEY = /^sha256\/([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** Whether `text` is a SHA-256 in hex (either case). */
export function isSha256Hex(text: unknown): text is string {
  return typeof text === 'string' && SHA256_HEX.test(text);
}

/** The key for content with this SHA-256 (hex, either case; keys are always lower case). */
export function contentKey(sha256Hex: string): string {
  if (!isSha256Hex(sha256Hex)) {
    throw new InvalidObjectKeyError('contentKey needs a 64-digit hex SHA-256', byteLength(sha256Hex));
  }
  const h = sha256Hex.toLowerCase();
  return `${KEY_PREFIX}${h.slice(0, 2)}/${h.slice(2, 4)}/${h}`;
}

/**
 * Returns `key` if it is one of ours, else throws {@link InvalidObjectKeyError} with the first
 * reason that applies. The specific reasons are for diagnosis; the final grammar check alone
 * would refuse all of them.
 */
export function validateObjectKey(key: unknown): string {
  if (typeof key !== 'string') throw new InvalidObjectKeyError('not a string', -1);
  const bytes = byteLength(key);
  const refuse = (reason: string): never => {
    throw new InvalidObjectKeyError(reason, bytes);
  };
  if (bytes === 0) refuse('empty');
  // Length first: every later check is then bounded.
  if (bytes > MAX_KEY_BYTES) refuse(`longer than ${MAX_KEY_BYTES} bytes`);
  if (hasControlCharacters(key)) refuse('contains control characters');
  if (key.includes('\\')) refuse('contains a backslash');
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) refuse('is an absolute path');
  if (key.includes('%')) refuse('contains percent-encoding');
  if (key.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) {
    refuse('contains an empty, "." or ".." segment');
  }
  const match = KEY.exec(key);
  if (!match) refuse('does not match sha256/<h0h1>/<h2h3>/<64 lower-case hex>');
  const [, first = '', second = '', hash = ''] = match ?? [];
  if (hash.slice(0, 2) !== first || hash.slice(2, 4) !== second) {
    refuse('fan-out directories do not match the hash');
  }
  return key;
}

/** Whether `key` is one of ours (no exception). */
export function isValidObjectKey(key: unknown): key is string {
  try {
    validateObjectKey(key);
    return true;
  } catch {
    return false;
  }
}

/** The SHA-256 a valid key names. */
export function keySha256(key: string): string {
  return validateObjectKey(key).slice(-64);
}

/**
 * Returns `prefix` if some valid key starts with it (so listing by it can match something and
 * cannot reach outside the key space), else throws {@link InvalidObjectKeyError}. `''` lists all.
 */
export function validateKeyPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string') throw new InvalidObjectKeyError('prefix is not a string', -1);
  const bytes = byteLength(prefix);
  if (prefix.length > KEY_LENGTH) throw new InvalidObjectKeyError('prefix longer than a key', bytes);
  for (let i = 0; i < prefix.length; i++) {
    if (!fitsTemplate(prefix, i)) {
      throw new InvalidObjectKeyError('not a prefix of sha256/<h0h1>/<h2h3>/<64 lower-case hex>', bytes);
    }
  }
  return prefix;
}

const FAN_OUT_1 = KEY_PREFIX.length; // 7, 8
const FAN_OUT_2 = FAN_OUT_1 + 3; // 10, 11
const HASH_START = FAN_OUT_2 + 3; // 13

function fitsTemplate(prefix: string, i: number): boolean {
  const c = prefix.charAt(i);
  if (i < KEY_PREFIX.length) return c === KEY_PREFIX.charAt(i);
  if (i === FAN_OUT_1 + 2 || i === FAN_OUT_2 + 2) return c === '/';
  if (!/^[0-9a-f]$/.test(c)) return false;
  // The hash's first four digits must agree with the fan-out digits already given.
  const j = i - HASH_START;
  if (j >= 0 && j < 2) return c === prefix.charAt(FAN_OUT_1 + j);
  if (j >= 2 && j < 4) return c === prefix.charAt(FAN_OUT_2 + j - 2);
  return true;
}

/** C0 controls (NUL, CR, LF...) and DEL: they split log lines and truncate C paths. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function byteLength(text: unknown): number {
  return typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : -1;
}
