import { data as dcmjsData } from 'dcmjs';

/**
 * What dcmjs believes about tags and VRs, mirrored exactly so the pre-scan sees a file the way
 * dcmjs will. Only dcmjs's data dictionary (a lookup table) is used here, never its parser.
 */

export const UNDEFINED_LENGTH = 0xffffffff;
export const ITEM_TAG = 0xfffee000;
export const ITEM_DELIMITATION_TAG = 0xfffee00d;
export const SEQUENCE_DELIMITATION_TAG = 0xfffee0dd;
export const PIXEL_DATA_TAG = 0x7fe00010;
export const FLOAT_PIXEL_DATA_TAG = 0x7fe00008;
export const DOUBLE_FLOAT_PIXEL_DATA_TAG = 0x7fe00009;
export const TRAILING_PADDING_TAG = 0xfffcfffc;
export const SPECIFIC_CHARACTER_SET_TAG = 0x00080005;

/** How dcmjs decodes an element's value. */
export type VrKind = 'sequence' | 'text' | 'number' | 'bulk';

export interface VrInfo {
  readonly name: string;
  readonly kind: VrKind;
  /** 32-bit length field in explicit VR (PS3.5 Table 7.1-1). */
  readonly longLength: boolean;
  /** Size of one value for binary numbers (lengths must be a multiple), else 0. */
  readonly valueSize: number;
}

function vr(name: string, kind: VrKind, longLength: boolean, valueSize = 0): VrInfo {
  return { name, kind, longLength, valueSize };
}

/** Every VR a file may legally declare (PS3.5 Table 6.2-1). */
const VRS: readonly VrInfo[] = [
  vr('AE', 'text', false),
  vr('AS', 'text', false),
  vr('AT', 'number', false, 4),
  vr('CS', 'text', false),
  vr('DA', 'text', false),
  vr('DS', 'text', false),
  vr('DT', 'text', false),
  vr('FD', 'number', false, 8),
  vr('FL', 'number', false, 4),
  vr('IS', 'text', false),
  vr('LO', 'text', false),
  vr('LT', 'text', false),
  vr('OB', 'bulk', true),
  vr('OD', 'bulk', true),
  vr('OF', 'bulk', true),
  vr('OL', 'bulk', true),
  vr('OV', 'bulk', true),
  vr('OW', 'bulk', true),
  vr('PN', 'text', false),
  vr('SH', 'text', false),
  vr('SL', 'number', false, 4),
  vr('SQ', 'sequence', true),
  vr('SS', 'number', false, 2),
  vr('ST', 'text', false),
  vr('SV', 'bulk', true),
  vr('TM', 'text', false),
  vr('UC', 'text', true),
  vr('UI', 'text', false),
  vr('UL', 'number', false, 4),
  vr('UN', 'bulk', true),
  vr('UR', 'text', true),
  vr('US', 'number', false, 2),
  vr('UT', 'text', true),
  vr('UV', 'number', false, 8),
];

const BY_NAME = new Map(VRS.map((v) => [v.name, v]));
/** Keyed by the two VR bytes as a big-endian 16-bit number (`'O'<<8 | 'B'`). */
const BY_CODE = new Map(VRS.map((v) => [(v.name.charCodeAt(0) << 8) | v.name.charCodeAt(1), v]));

export const UN_VR = vrInfo('UN');
export const SQ_VR = vrInfo('SQ');

export function vrInfo(name: string): VrInfo {
  const info = BY_NAME.get(name);
  if (info === undefined) throw new Error(`unknown VR ${name}`);
  return info;
}

export function vrFromCode(code: number): VrInfo | undefined {
  return BY_CODE.get(code);
}

/** VRs dcmjs has a reader for; any other name becomes UN (`ValueRepresentation.createByTypeString`). */
const DCMJS_READABLE = new Set([
  'AE',
  'AS',
  'AT',
  'CS',
  'DA',
  'DS',
  'DT',
  'FL',
  'FD',
  'IS',
  'LO',
  'LT',
  'OB',
  'OD',
  'OF',
  'OW',
  'PN',
  'SH',
  'SL',
  'SQ',
  'SS',
  'ST',
  'TM',
  'UC',
  'UI',
  'UL',
  'UN',
  'UR',
  'US',
  'UT',
  'UV',
]);

/** The VR dcmjs actually reads with for a VR name (dictionary pseudo-VRs `ox`/`xs` included). */
export function dcmjsReadVr(name: string): VrInfo {
  if (DCMJS_READABLE.has(name)) return vrInfo(name);
  if (name === 'ox') return vrInfo('OW');
  if (name === 'xs') return vrInfo('US');
  return UN_VR;
}

export function tagKey(tag: number): string {
  return (tag >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

function dictionaryKey(tag: number): string {
  const hex = tagKey(tag);
  return `(${hex.slice(0, 4)},${hex.slice(4)})`;
}

const CACHE_LIMIT = 20_000;
const dictionaryCache = new Map<number, { vr: string; name: string } | null>();

function dictionaryEntry(tag: number): { vr: string; name: string } | null {
  const cached = dictionaryCache.get(tag);
  if (cached !== undefined) return cached;
  const entry = dcmjsData.DicomMetaDictionary.dictionary[dictionaryKey(tag)];
  const result = entry === undefined ? null : { vr: entry.vr, name: entry.name };
  if (dictionaryCache.size < CACHE_LIMIT) dictionaryCache.set(tag, result);
  return result;
}

/** The dictionary VR dcmjs finds for a tag (exact `(GGGG,EEEE)` match, as dcmjs looks it up). */
export function dictionaryVr(tag: number): string | null {
  return dictionaryEntry(tag)?.vr ?? null;
}

/** DICOM keyword of a standard tag, as in dcmjs's dictionary; null for private and unknown tags. */
export function keywordOf(tag: number): string | null {
  if (isPrivateGroup(tag)) return null;
  return dictionaryEntry(tag)?.name ?? null;
}

export function isPrivateGroup(tag: number): boolean {
  return ((tag >>> 16) & 1) === 1;
}

/** (gggg,0010–00FF) with gggg odd: reserves a block of private elements for a creator string. */
export function isPrivateCreator(tag: number): boolean {
  const element = tag & 0xffff;
  return isPrivateGroup(tag) && element >= 0x10 && element <= 0xff;
}

/** The VR dcmjs assigns to an Implicit VR element (`DicomMessage._readTag`). */
export function implicitVr(tag: number, undefinedLength: boolean): VrInfo {
  const known = dictionaryVr(tag);
  if (known !== null) return dcmjsReadVr(known);
  if (undefinedLength) return SQ_VR;
  if (tag === PIXEL_DATA_TAG) return vrInfo('OW');
  // dcmjs's own test is `element < 0x100 && element > 0`, i.e. also (gggg,0001–000F).
  if (isPrivateGroup(tag) && (tag & 0xffff) > 0 && (tag & 0xffff) < 0x100) return vrInfo('LO');
  return UN_VR;
}

export function isPixelDataTag(tag: number): boolean {
  return tag === PIXEL_DATA_TAG || tag === FLOAT_PIXEL_DATA_TAG || tag === DOUBLE_FLOAT_PIXEL_DATA_TAG;
}
