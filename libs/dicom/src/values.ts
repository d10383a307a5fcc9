import type { DcmjsDataset, DcmjsElement } from 'dcmjs';
import { isPrivateCreator, isPrivateGroup, keywordOf, tagKey } from './dictionary';
import { DicomRejectedError } from './errors';
import { IDENTIFYING_TAGS, PRIVATE_TEXT_VRS } from './identity';

/** Reading values out of dcmjs's raw dataset (keys like "00100010"), never the naturalized form. */

/** VRs whose leading spaces are significant (PS3.5 Table 6.2-1); all others are trimmed both sides. */
const KEEP_LEADING = new Set(['PN', 'LT', 'ST', 'UT', 'UC']);

/**
 * Loops, not regexes: `/[\0 ]+$/` backtracks quadratically on a long run of padding followed by
 * another character (a 62 KB mutated value took 230 ms).
 */
export function trimTrailingPadding(value: string): string {
  let end = value.length;
  while (end > 0 && (value.charCodeAt(end - 1) === 0 || value.charCodeAt(end - 1) === 0x20)) end--;
  return end === value.length ? value : value.slice(0, end);
}

function trimPadding(value: string, vr: string | undefined): string {
  const end = trimTrailingPadding(value);
  if (vr !== undefined && KEEP_LEADING.has(vr)) return end;
  let start = 0;
  while (start < end.length && end.charCodeAt(start) === 0x20) start++;
  return start === 0 ? end : end.slice(start);
}

interface PersonNameGroups {
  Alphabetic?: unknown;
  Ideographic?: unknown;
  Phonetic?: unknown;
}

function personNameString(value: PersonNameGroups): string {
  const groups = [value.Alphabetic, value.Ideographic, value.Phonetic].map((g) =>
    typeof g === 'string' ? g : '',
  );
  while (groups.length > 1 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The element's values as strings, padding trimmed (PN, LT, ST, UT, UC keep leading spaces), in
 * the form they had in the file: `_rawValue` when dcmjs kept it (DS/IS unformatted, PN with its
 * `=` groups), else `Value`. Binary values yield nothing.
 */
export function stringValues(element: DcmjsElement | undefined): string[] {
  if (element === undefined) return [];
  const raw = element._rawValue;
  let values: unknown[];
  if (typeof raw === 'string') values = raw.split('\\');
  else if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) values = raw;
  else if (Array.isArray(element.Value)) values = element.Value as unknown[];
  else return [];
  const out: string[] = [];
  for (const value of values) {
    if (typeof value === 'string') out.push(trimPadding(value, element.vr));
    else if (typeof value === 'number' && Number.isFinite(value)) out.push(String(value));
    else if (isRecord(value) && ('Alphabetic' in value || 'Ideographic' in value || 'Phonetic' in value)) {
      out.push(trimPadding(personNameString(value), 'PN'));
    }
  }
  return out;
}

export function firstString(dataset: DcmjsDataset, key: string): string | null {
  const value = stringValues(dataset[key])[0];
  return value === undefined || value === '' ? null : value;
}

/** Items of a sequence element, or [] when the element is not a decoded sequence. */
export function sequenceItems(element: DcmjsElement | undefined): DcmjsDataset[] {
  if (element === undefined || !Array.isArray(element.Value)) return [];
  return (element.Value as unknown[]).filter((item): item is DcmjsDataset => isRecord(item));
}

function bytesOf(value: unknown): Uint8Array | null {
  if (Object.prototype.toString.call(value) === '[object ArrayBuffer]')
    return new Uint8Array(value as ArrayBuffer);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

const MAX_OPAQUE_TEXT = 4096;

/**
 * A UN value (private elements of implicit VR files, values dcmjs could not type) read as text
 * when every byte is printable ASCII apart from trailing padding: such values are almost always
 * strings, and identifiers hide there.
 */
function opaqueText(element: DcmjsElement): string | null {
  if (!Array.isArray(element.Value) || element.Value.length !== 1) return null;
  const bytes = bytesOf((element.Value as unknown[])[0]);
  if (bytes === null || bytes.byteLength === 0 || bytes.byteLength > MAX_OPAQUE_TEXT) return null;
  let end = bytes.byteLength;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  if (end === 0) return null;
  let text = '';
  for (let i = 0; i < end; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0x20 || b > 0x7e) return null;
    text += String.fromCharCode(b);
  }
  return text;
}

function privateKey(tag: number, creators: ReadonlyMap<number, string>): string {
  const hex = tagKey(tag);
  const group = hex.slice(0, 4);
  const creator = creators.get((tag >>> 8) & 0xff);
  return creator === undefined ? `${group},${hex.slice(4)}` : `${group},"${creator}",${hex.slice(6)}`;
}

/**
 * Name of an element in an identity key: the DICOM keyword; for private elements
 * `gggg,"CREATOR",xx` (the creator-relative address, stable when the block moves); otherwise
 * `gggg,eeee`.
 */
function elementName(tag: number, creators: ReadonlyMap<number, string>): string {
  if (isPrivateGroup(tag)) return privateKey(tag, creators);
  const keyword = IDENTIFYING_TAGS.get(tag) ?? keywordOf(tag);
  if (keyword !== null) return keyword;
  const hex = tagKey(tag);
  return `${hex.slice(0, 4)},${hex.slice(4)}`;
}

/** Private creator strings of one dataset: group → block number (the xx of gggg,00xx) → creator. */
function creatorsOf(dataset: DcmjsDataset): Map<number, Map<number, string>> {
  const creators = new Map<number, Map<number, string>>();
  for (const key of Object.keys(dataset)) {
    const tag = parseInt(key, 16);
    if (!isPrivateCreator(tag)) continue;
    const name = firstString(dataset, key);
    // LO holds 64 characters; a longer "creator" is not one, and would be copied into every key.
    if (name === null || name.length > 64) continue;
    const group = tag >>> 16;
    let blocks = creators.get(group);
    if (blocks === undefined) {
      blocks = new Map();
      creators.set(group, blocks);
    }
    blocks.set(tag & 0xff, name);
  }
  return creators;
}

function identifyingValue(tag: number, element: DcmjsElement): string | null {
  const vr = element.vr;
  let values: string[];
  if (isPrivateGroup(tag)) {
    if (isPrivateCreator(tag) || (tag & 0xffff) < 0x10) return null;
    if (vr !== undefined && PRIVATE_TEXT_VRS.has(vr)) values = stringValues(element);
    else if (vr === 'UN') {
      const text = opaqueText(element);
      values = text === null ? [] : [text];
    } else return null;
  } else if (IDENTIFYING_TAGS.has(tag) || vr === 'PN' || vr === 'DA' || vr === 'DT') {
    values = stringValues(element);
  } else return null;
  return values.every((v) => v === '') ? null : values.join('\\');
}

/**
 * Every identifying value in the dataset and, recursively, in its sequence items. Keys are paths:
 * `PatientName`, `OtherPatientIDsSequence[0].PatientID`, `0019,"ACME",10[1].PatientID`.
 * Multiple values are joined with `\`.
 */
export function collectIdentity(dataset: DcmjsDataset): Record<string, string> {
  const identity: Record<string, string> = {};
  walk(dataset, '', { identity, chars: 0 });
  return identity;
}

/**
 * Bound on the characters of all identity keys and values. Values are bounded by
 * `maxValueBytes`, but keys repeat their path, so deep nesting times many elements could
 * otherwise build hundreds of MB of keys.
 */
const IDENTITY_CHAR_BUDGET = 8 * 1024 * 1024;

interface IdentityBuilder {
  readonly identity: Record<string, string>;
  chars: number;
}

const NO_CREATORS: ReadonlyMap<number, string> = new Map();

function walk(dataset: DcmjsDataset, prefix: string, builder: IdentityBuilder): void {
  let creators: Map<number, Map<number, string>> | null = null;
  for (const key of Object.keys(dataset)) {
    const element = dataset[key];
    if (element === undefined || !/^[0-9A-F]{8}$/.test(key)) continue;
    const tag = parseInt(key, 16);
    let blocks = NO_CREATORS;
    if (isPrivateGroup(tag)) {
      creators ??= creatorsOf(dataset);
      blocks = creators.get(tag >>> 16) ?? NO_CREATORS;
    }
    if (element.vr === 'SQ') {
      const name = elementName(tag, blocks);
      sequenceItems(element).forEach((item, index) => walk(item, `${prefix}${name}[${index}].`, builder));
      continue;
    }
    const value = identifyingValue(tag, element);
    if (value === null) continue;
    const path = `${prefix}${elementName(tag, blocks)}`;
    builder.chars += path.length + value.length;
    if (builder.chars > IDENTITY_CHAR_BUDGET) {
      throw new DicomRejectedError(
        'SIZE_LIMIT_EXCEEDED',
        `identifying values exceed ${IDENTITY_CHAR_BUDGET} characters`,
      );
    }
    builder.identity[path] = value;
  }
}
