import { deflateRawSync } from 'node:zlib';
import type { BurnedInAnnotation } from '@medlineage/domain';
import { data as dcmjsData, type DcmjsDataset, type DcmjsElement } from 'dcmjs';
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from '../part10';
import { derivedDigits, derivedInt } from './random';

/**
 * Root of every synthetic UID: `2.25.` + a UUID minted for MedLineage test data (a 2.25 arc may be
 * subdivided by whoever holds the UUID). Nothing real lives under it.
 */
export const SYNTHETIC_UID_ROOT = '2.25.178563452701725962283056514137796782257';

/** Private creator of the synthetic private block (group 0029). */
export const SYNTHETIC_PRIVATE_CREATOR = 'MEDLINEAGE SYNTHETIC';

export type SyntheticModality = 'CT' | 'MR' | 'US' | 'CR' | 'DX' | 'SC';
export type SyntheticTransferSyntax = 'explicit-little' | 'implicit-little' | 'deflated';

export interface SyntheticPatient {
  readonly name: string;
  readonly id: string;
  /** DA, `YYYYMMDD`. */
  readonly birthDate: string;
  readonly sex: 'F' | 'M' | 'O';
}

export interface SyntheticStudyOptions {
  readonly seed: string | number;
  readonly modality: SyntheticModality;
  /** Instances per series (default 4). */
  readonly instances?: number;
  /** Number of series (default 1). US series cycle BurnedInAnnotation YES, NO, absent. */
  readonly series?: number;
  /** Default per modality (CT/CR/DX/SC 512×512, MR 256×256, US 480×640). */
  readonly rows?: number;
  readonly cols?: number;
  /** Planted identity; defaults are fake, seed-derived and start with `ZZ`. */
  readonly patient?: Partial<SyntheticPatient>;
  readonly transferSyntax?: SyntheticTransferSyntax;
  /** Write dates in the legacy ACR-NEMA form `YYYY.MM.DD`. */
  readonly legacyDates?: boolean;
}

/** One planted identifier and where it sits, in the key syntax of `ParsedDicom.identity`. */
export interface PlantedIdentifier {
  readonly path: string;
  readonly value: string;
}

export interface SyntheticInstance {
  readonly file: string;
  readonly instanceNumber: number;
  readonly sopInstanceUid: string;
  /** The "original" UID left in the private sequence (a known leak pattern). */
  readonly originalUid: string;
  /** Identifiers planted only in this file (in addition to `SyntheticAnswerKey.planted`). */
  readonly planted: readonly PlantedIdentifier[];
}

export interface SyntheticSeries {
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number;
  readonly burnedInAnnotation: BurnedInAnnotation;
  readonly instances: readonly SyntheticInstance[];
}

export interface SyntheticAnswerKey {
  readonly seed: string;
  readonly modality: SyntheticModality;
  /** Value of (0008,0060) in the files (`OT` for secondary capture). */
  readonly modalityAttribute: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly patient: SyntheticPatient;
  readonly studyInstanceUid: string;
  readonly frameOfReferenceUids: readonly string[];
  /** As written: `YYYYMMDD` or `YYYY.MM.DD`. */
  readonly studyDate: string;
  readonly studyYear: number;
  readonly imageType: readonly string[];
  readonly bodyPartExamined: string;
  readonly manufacturer: string;
  readonly manufacturerModelName: string;
  readonly stationName: string;
  readonly rows: number;
  readonly cols: number;
  readonly series: readonly SyntheticSeries[];
  /** Identifiers planted identically in every file. */
  readonly planted: readonly PlantedIdentifier[];
  /**
   * Strings that must never leave a sealed envelope: every atomic planted identifier plus the
   * study's real UIDs (per-instance UIDs are in `series[].instances[]`).
   */
  readonly canaries: readonly string[];
}

export interface SyntheticFile {
  readonly name: string;
  readonly bytes: Buffer;
}

export interface SyntheticStudy {
  readonly files: readonly SyntheticFile[];
  readonly answerKey: SyntheticAnswerKey;
}

interface ModalityProfile {
  readonly sopClassUid: string;
  readonly modalityAttribute: string;
  readonly rows: number;
  readonly cols: number;
  readonly color: boolean;
  readonly imageType: readonly string[];
  readonly bodyPart: string;
  readonly model: string;
  readonly station: string;
  readonly description: string;
  readonly volume: boolean;
}

const PROFILES: Readonly<Record<SyntheticModality, ModalityProfile>> = {
  CT: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    modalityAttribute: 'CT',
    rows: 512,
    cols: 512,
    color: false,
    imageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    bodyPart: 'CHEST',
    model: 'SYNTH CT 64',
    station: 'SYNCT01',
    description: 'CT CHEST WITH CONTRAST',
    volume: true,
  },
  MR: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
    modalityAttribute: 'MR',
    rows: 256,
    cols: 256,
    color: false,
    imageType: ['ORIGINAL', 'PRIMARY', 'M', 'ND'],
    bodyPart: 'BRAIN',
    model: 'SYNTH MR 3T',
    station: 'SYNMR01',
    description: 'MR BRAIN WITHOUT CONTRAST',
    volume: true,
  },
  US: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.6.1',
    modalityAttribute: 'US',
    rows: 480,
    cols: 640,
    color: true,
    imageType: ['ORIGINAL', 'PRIMARY', 'ABDOMINAL'],
    bodyPart: 'ABDOMEN',
    model: 'SYNTH US 5',
    station: 'SYNUS01',
    description: 'US ABDOMEN COMPLETE',
    volume: false,
  },
  CR: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1',
    modalityAttribute: 'CR',
    rows: 512,
    cols: 512,
    color: false,
    imageType: ['ORIGINAL', 'PRIMARY'],
    bodyPart: 'CHEST',
    model: 'SYNTH CR 1',
    station: 'SYNCR01',
    description: 'XR CHEST PA',
    volume: false,
  },
  DX: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.1.1',
    modalityAttribute: 'DX',
    rows: 512,
    cols: 512,
    color: false,
    imageType: ['ORIGINAL', 'PRIMARY'],
    bodyPart: 'HAND',
    model: 'SYNTH DR 2',
    station: 'SYNDX01',
    description: 'XR HAND 3 VIEWS',
    volume: false,
  },
  SC: {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
    modalityAttribute: 'OT',
    rows: 512,
    cols: 512,
    color: true,
    imageType: ['DERIVED', 'SECONDARY'],
    bodyPart: 'CHEST',
    model: 'SYNTH WORKSTATION',
    station: 'SYNWS01',
    description: 'SCREEN CAPTURE',
    volume: false,
  },
};

const TRANSFER_SYNTAX_UIDS: Readonly<Record<SyntheticTransferSyntax, string>> = {
  'explicit-little': EXPLICIT_VR_LITTLE_ENDIAN,
  'implicit-little': IMPLICIT_VR_LITTLE_ENDIAN,
  deflated: DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
};

const MANUFACTURER = 'MEDLINEAGE SYNTHETIC';
const P = `0029,"${SYNTHETIC_PRIVATE_CREATOR}"`;

/** Per-instance placeholders: fixed width, so every instance patches the same template bytes. */
const INSTANCE_NUMBER_MARKER = '@@@@@@IN';
const POSITION_MARKER = '@@@@@@@@ZP';
const SLICE_MARKER = '@@@@@@@@SL';

interface Plan {
  readonly options: Required<Omit<SyntheticStudyOptions, 'patient' | 'seed'>>;
  readonly seed: string;
  readonly profile: ModalityProfile;
  readonly seedTag: string;
  readonly answerKey: SyntheticAnswerKey;
  readonly accession: string;
  readonly otherPatientId: string;
  readonly studyTime: string;
}

function uid(kind: number, seedTag: string, ...parts: number[]): string {
  const value = [SYNTHETIC_UID_ROOT, kind, seedTag, ...parts].join('.');
  if (value.length > 64) throw new RangeError('synthetic UID longer than 64 characters');
  return value;
}

function date(
  seed: string,
  label: string,
  fromYear: number,
  years: number,
): { y: number; m: number; d: number } {
  return {
    y: fromYear + derivedInt(seed, `${label}.y`, years),
    m: 1 + derivedInt(seed, `${label}.m`, 12),
    d: 1 + derivedInt(seed, `${label}.d`, 28),
  };
}

function da(value: { y: number; m: number; d: number }, legacy: boolean): string {
  const mm = String(value.m).padStart(2, '0');
  const dd = String(value.d).padStart(2, '0');
  return legacy ? `${value.y}.${mm}.${dd}` : `${value.y}${mm}${dd}`;
}

function planStudy(input: SyntheticStudyOptions): Plan {
  const seed = String(input.seed);
  const profile = PROFILES[input.modality];
  const options = {
    modality: input.modality,
    instances: input.instances ?? 4,
    series: input.series ?? 1,
    rows: input.rows ?? profile.rows,
    cols: input.cols ?? profile.cols,
    transferSyntax: input.transferSyntax ?? 'explicit-little',
    legacyDates: input.legacyDates ?? false,
  } as const;
  if (!Number.isInteger(options.instances) || options.instances < 1 || options.instances > 89_999) {
    throw new RangeError('instances must be an integer in 1..89999');
  }
  if (!Number.isInteger(options.series) || options.series < 1 || options.series > 99) {
    throw new RangeError('series must be an integer in 1..99');
  }
  if (
    !Number.isInteger(options.rows) ||
    !Number.isInteger(options.cols) ||
    options.rows < 1 ||
    options.cols < 1
  ) {
    throw new RangeError('rows and cols must be positive integers');
  }
  const seedTag = String(100_000 + derivedInt(seed, 'seed-tag', 900_000));
  const birth = date(seed, 'birth', 1935, 60);
  const study = date(seed, 'study', 2012, 13);
  const patient: SyntheticPatient = {
    name: input.patient?.name ?? 'ZZCANARY^PATIENT',
    id: input.patient?.id ?? `ZZMRN${derivedDigits(seed, 'mrn', 6)}`,
    birthDate: input.patient?.birthDate ?? da(birth, false),
    sex: input.patient?.sex ?? (derivedInt(seed, 'sex', 2) === 0 ? 'F' : 'M'),
  };
  const accession = `ZZACC${derivedDigits(seed, 'accession', 7)}`;
  const otherPatientId = `ZZMRN-ALT-${derivedDigits(seed, 'other-mrn', 6)}`;
  const studyDate = da(study, options.legacyDates);
  const studyInstanceUid = uid(1, seedTag);
  const series: SyntheticSeries[] = [];
  const frameOfReferenceUids: string[] = [];
  for (let s = 0; s < options.series; s++) {
    const instances: SyntheticInstance[] = [];
    for (let k = 0; k < options.instances; k++) {
      const sopInstanceUid = uid(3, seedTag, s + 1, 10_000 + k);
      const originalUid = uid(9, seedTag, s + 1, 10_000 + k);
      instances.push({
        file: `${options.modality}_s${String(s + 1).padStart(2, '0')}_i${String(k + 1).padStart(5, '0')}.dcm`,
        instanceNumber: k + 1,
        sopInstanceUid,
        originalUid,
        planted: [{ path: `${P},20[0].${P},01`, value: originalUid }],
      });
    }
    frameOfReferenceUids.push(uid(4, seedTag, s + 1));
    series.push({
      seriesInstanceUid: uid(2, seedTag, s + 1),
      seriesNumber: s + 1,
      burnedInAnnotation: burnedInFor(options.modality, s),
      instances,
    });
  }

  const planted: PlantedIdentifier[] = [
    { path: 'PatientName', value: patient.name },
    { path: 'PatientID', value: patient.id },
    { path: 'IssuerOfPatientID', value: 'ZZCANARY ISSUER' },
    { path: 'PatientBirthDate', value: patient.birthDate },
    { path: 'AccessionNumber', value: accession },
    { path: 'InstitutionName', value: 'ZZCANARY GENERAL HOSPITAL' },
    { path: 'InstitutionAddress', value: 'ZZCANARY 1 Example Road, Springfield' },
    { path: 'ReferringPhysicianName', value: 'ZZCANARY^REFERRER^^DR' },
    { path: 'PerformingPhysicianName', value: 'ZZCANARY^PERFORMER' },
    { path: 'OperatorsName', value: 'ZZCANARY^OPERATOR' },
    { path: 'RequestingPhysician', value: 'ZZCANARY^REQUESTER' },
    { path: 'DeviceSerialNumber', value: `ZZSN${derivedDigits(seed, 'serial', 6)}` },
    { path: 'StudyID', value: `ZZST${derivedDigits(seed, 'study-id', 6)}` },
    { path: 'ImageComments', value: `Seen for ${patient.name} (MRN ${patient.id})` },
    { path: 'OtherPatientIDsSequence[0].PatientID', value: otherPatientId },
    { path: 'OtherPatientIDsSequence[0].IssuerOfPatientID', value: 'ZZCANARY OTHER ISSUER' },
    { path: 'RequestAttributesSequence[0].AccessionNumber', value: accession },
    {
      path: 'RequestAttributesSequence[0].RequestedProcedureID',
      value: `ZZRQ${derivedDigits(seed, 'rq', 6)}`,
    },
    {
      path: 'RequestAttributesSequence[0].ScheduledProcedureStepID',
      value: `ZZSPS${derivedDigits(seed, 'sps', 6)}`,
    },
    { path: `${P},10`, value: patient.name },
    { path: `${P},11`, value: patient.id },
    { path: `${P},12`, value: patient.birthDate },
    { path: `${P},20[0].${P},02`, value: patient.name },
  ];
  const canaries = [
    ...new Set(planted.filter((p) => p.path !== 'ImageComments').map((p) => p.value)),
    studyInstanceUid,
    ...series.map((s) => s.seriesInstanceUid),
    ...frameOfReferenceUids,
  ];

  const answerKey: SyntheticAnswerKey = {
    seed,
    modality: options.modality,
    modalityAttribute: profile.modalityAttribute,
    sopClassUid: profile.sopClassUid,
    transferSyntaxUid: TRANSFER_SYNTAX_UIDS[options.transferSyntax],
    patient,
    studyInstanceUid,
    frameOfReferenceUids,
    studyDate,
    studyYear: study.y,
    imageType: profile.imageType,
    bodyPartExamined: profile.bodyPart,
    manufacturer: MANUFACTURER,
    manufacturerModelName: profile.model,
    stationName: profile.station,
    rows: options.rows,
    cols: options.cols,
    series,
    planted,
    canaries,
  };
  return {
    options,
    seed,
    profile,
    seedTag,
    answerKey,
    accession,
    otherPatientId,
    studyTime: `${String(7 + derivedInt(seed, 'hour', 11)).padStart(2, '0')}${String(derivedInt(seed, 'minute', 60)).padStart(2, '0')}00`,
  };
}

function burnedInFor(modality: SyntheticModality, seriesIndex: number): BurnedInAnnotation {
  if (modality === 'SC') return 'YES';
  if (modality === 'US') return (['YES', 'NO', 'UNKNOWN'] as const)[seriesIndex % 3] ?? 'UNKNOWN';
  if (modality === 'CR' || modality === 'DX') return 'NO';
  return 'UNKNOWN';
}

// ---- dataset ------------------------------------------------------------------------------------

function el(vr: string, ...values: unknown[]): DcmjsElement {
  return { vr, Value: values };
}

function plantedValue(plan: Plan, path: string): string {
  const found = plan.answerKey.planted.find((p) => p.path === path);
  if (found === undefined) throw new Error(`no planted value for ${path}`);
  return found.value;
}

const pixelCache = new Map<string, ArrayBuffer>();

/** A fixed, cheap pattern (diagonal bands): same bytes for every instance of a size. */
function pixelData(rows: number, cols: number, color: boolean): ArrayBuffer {
  const key = `${rows}x${cols}x${color ? 'rgb' : 'mono16'}`;
  const cached = pixelCache.get(key);
  if (cached !== undefined) return cached;
  let buffer: ArrayBuffer;
  if (color) {
    const bytes = new Uint8Array(rows * cols * 3);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const i = (y * cols + x) * 3;
        bytes[i] = (x + y) & 0xff;
        bytes[i + 1] = (x ^ y) & 0xff;
        bytes[i + 2] = (y * 2) & 0xff;
      }
    }
    buffer = bytes.buffer;
  } else {
    const words = new Uint16Array(rows * cols);
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < cols; x++) words[y * cols + x] = ((x ^ y) & 0x3ff) + 24;
    buffer = words.buffer;
  }
  pixelCache.set(key, buffer);
  return buffer;
}

function seriesTemplateDataset(plan: Plan, seriesIndex: number): DcmjsDataset {
  const { profile, answerKey, options, seed, seedTag } = plan;
  const series = answerKey.series[seriesIndex];
  const first = series?.instances[0];
  const frameOfReferenceUid = answerKey.frameOfReferenceUids[seriesIndex];
  if (series === undefined || first === undefined || frameOfReferenceUid === undefined) {
    throw new Error('series out of range');
  }
  const v = (path: string): string => plantedValue(plan, path);
  const blobSalt = derivedInt(seed, 'blob', 5);
  const ds: DcmjsDataset = {
    '00080005': el('CS', 'ISO_IR 192'),
    '00080008': el('CS', ...profile.imageType),
    '00080012': el('DA', answerKey.studyDate),
    '00080013': el('TM', plan.studyTime),
    '00080016': el('UI', profile.sopClassUid),
    '00080018': el('UI', first.sopInstanceUid),
    '00080020': el('DA', answerKey.studyDate),
    '00080021': el('DA', answerKey.studyDate),
    '00080023': el('DA', answerKey.studyDate),
    '00080030': el('TM', plan.studyTime),
    '00080031': el('TM', plan.studyTime),
    '00080033': el('TM', plan.studyTime),
    '00080050': el('SH', plan.accession),
    '00080060': el('CS', profile.modalityAttribute),
    '00080070': el('LO', MANUFACTURER),
    '00080080': el('LO', v('InstitutionName')),
    '00080081': el('ST', v('InstitutionAddress')),
    '00080090': el('PN', v('ReferringPhysicianName')),
    '00081010': el('SH', profile.station),
    '00081030': el('LO', profile.description),
    '0008103E': el('LO', `${profile.modalityAttribute} SERIES ${series.seriesNumber}`),
    '00081050': el('PN', v('PerformingPhysicianName')),
    '00081070': el('PN', v('OperatorsName')),
    '00081090': el('LO', profile.model),
    '00081140': el('SQ', {
      '00081150': el('UI', profile.sopClassUid),
      '00081155': el('UI', uid(5, seedTag, seriesIndex + 1)),
    }),
    '00100010': el('PN', answerKey.patient.name),
    '00100020': el('LO', answerKey.patient.id),
    '00100021': el('LO', v('IssuerOfPatientID')),
    '00100030': el('DA', answerKey.patient.birthDate),
    '00100040': el('CS', answerKey.patient.sex),
    '00101002': el('SQ', {
      '00100020': el('LO', plan.otherPatientId),
      '00100021': el('LO', v('OtherPatientIDsSequence[0].IssuerOfPatientID')),
      '00100022': el('CS', 'TEXT'),
    }),
    '00101010': el(
      'AS',
      `${String(Math.max(0, Math.min(999, answerKey.studyYear - Number(answerKey.patient.birthDate.slice(0, 4))))).padStart(3, '0')}Y`,
    ),
    '00180015': el('CS', profile.bodyPart),
    '00181000': el('LO', v('DeviceSerialNumber')),
    '0020000D': el('UI', answerKey.studyInstanceUid),
    '0020000E': el('UI', series.seriesInstanceUid),
    '00200010': el('SH', v('StudyID')),
    '00200011': el('IS', String(series.seriesNumber)),
    '00200013': el('IS', INSTANCE_NUMBER_MARKER),
    '00200052': el('UI', frameOfReferenceUid),
    '00204000': el('LT', v('ImageComments')),
    '00280002': el('US', profile.color ? 3 : 1),
    '00280004': el('CS', profile.color ? 'RGB' : 'MONOCHROME2'),
    '00280010': el('US', options.rows),
    '00280011': el('US', options.cols),
    '00280100': el('US', profile.color ? 8 : 16),
    '00280101': el('US', profile.color ? 8 : 12),
    '00280102': el('US', profile.color ? 7 : 11),
    '00280103': el('US', 0),
    '00321032': el('PN', v('RequestingPhysician')),
    '00400275': el('SQ', {
      '00080050': el('SH', plan.accession),
      '00081110': el('SQ', {
        '00081150': el('UI', '1.2.840.10008.3.1.2.3.1'),
        '00081155': el('UI', answerKey.studyInstanceUid),
      }),
      '00321060': el('LO', profile.description),
      '00400007': el('LO', profile.description),
      '00400009': el('SH', v('RequestAttributesSequence[0].ScheduledProcedureStepID')),
      '00401001': el('SH', v('RequestAttributesSequence[0].RequestedProcedureID')),
    }),
    '00290010': el('LO', SYNTHETIC_PRIVATE_CREATOR),
    '00291010': el('LO', answerKey.patient.name),
    '00291011': el('SH', answerKey.patient.id),
    '00291012': el('DA', answerKey.patient.birthDate),
    '00291020': el('SQ', {
      '00290010': el('LO', SYNTHETIC_PRIVATE_CREATOR),
      '00291001': el('UI', first.originalUid),
      '00291002': el('PN', answerKey.patient.name),
    }),
    '00291030': el('OB', Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + blobSalt) & 0x3f).buffer),
    '7FE00010': el(profile.color ? 'OB' : 'OW', pixelData(options.rows, options.cols, profile.color)),
  };
  if (profile.color) ds['00280006'] = el('US', 0);
  if (profile.modalityAttribute === 'OT') ds['00080064'] = el('CS', 'WSD');
  if (series.burnedInAnnotation !== 'UNKNOWN') ds['00280301'] = el('CS', series.burnedInAnnotation);
  if (profile.volume) {
    ds['00180050'] = el('DS', '2.5');
    ds['00200032'] = el('DS', '-250.000', '-250.000', POSITION_MARKER);
    ds['00200037'] = el('DS', '1', '0', '0', '0', '1', '0');
    ds['00201041'] = el('DS', SLICE_MARKER);
    ds['00280030'] = el('DS', '0.7', '0.7');
  } else {
    ds['00280030'] = el('DS', '0.2', '0.2');
  }
  if (options.modality === 'CT') {
    ds['00281050'] = el('DS', '40');
    ds['00281051'] = el('DS', '400');
    ds['00281052'] = el('DS', '-1024');
    ds['00281053'] = el('DS', '1');
  }
  return sortedDataset(ds);
}

function sortedDataset(ds: DcmjsDataset): DcmjsDataset {
  const out: DcmjsDataset = {};
  for (const key of Object.keys(ds).sort()) {
    const element = ds[key];
    if (element !== undefined) out[key] = element;
  }
  return out;
}

// ---- templating ---------------------------------------------------------------------------------

interface Template {
  readonly bytes: Buffer;
  /** Dataset start (after File Meta). */
  readonly metaEnd: number;
  readonly sopUidOffsets: readonly number[];
  readonly originalUidOffsets: readonly number[];
  readonly instanceNumberOffsets: readonly number[];
  readonly positionOffsets: readonly number[];
  readonly sliceOffsets: readonly number[];
}

function occurrences(haystack: Buffer, needle: string, end: number): number[] {
  const found: number[] = [];
  const bytes = Buffer.from(needle, 'latin1');
  let at = haystack.indexOf(bytes, 0);
  while (at !== -1 && at < end) {
    found.push(at);
    at = haystack.indexOf(bytes, at + bytes.length);
  }
  return found;
}

function buildTemplate(plan: Plan, seriesIndex: number): Template {
  const first = plan.answerKey.series[seriesIndex]?.instances[0];
  if (first === undefined) throw new Error('series out of range');
  const meta: DcmjsDataset = {
    '00020001': el('OB', Uint8Array.of(0, 1).buffer),
    '00020002': el('UI', plan.profile.sopClassUid),
    '00020003': el('UI', first.sopInstanceUid),
    '00020010': el('UI', plan.answerKey.transferSyntaxUid),
    '00020012': el('UI', `${SYNTHETIC_UID_ROOT}.0`),
    '00020013': el('SH', 'MEDLINEAGE_SYN'),
  };
  const dicom = new dcmjsData.DicomDict(meta);
  dicom.dict = seriesTemplateDataset(plan, seriesIndex);
  const bytes = Buffer.from(dicom.write({ allowInvalidVRLength: true, fragmentMultiframe: false }));
  const metaEnd = 144 + bytes.readUInt32LE(140);
  // Pixel data is last: markers are only searched in the header.
  const headerEnd = bytes.length - plan.options.rows * plan.options.cols * (plan.profile.color ? 3 : 2);
  const template: Template = {
    bytes,
    metaEnd,
    sopUidOffsets: occurrences(bytes, first.sopInstanceUid, headerEnd),
    originalUidOffsets: occurrences(bytes, first.originalUid, headerEnd),
    instanceNumberOffsets: occurrences(bytes, INSTANCE_NUMBER_MARKER, headerEnd),
    positionOffsets: occurrences(bytes, POSITION_MARKER, headerEnd),
    sliceOffsets: occurrences(bytes, SLICE_MARKER, headerEnd),
  };
  if (template.sopUidOffsets.length !== 2 || template.originalUidOffsets.length !== 1) {
    throw new Error('synthetic template: UID placeholders not found where expected');
  }
  if (template.instanceNumberOffsets.length !== 1)
    throw new Error('synthetic template: instance number not found');
  return template;
}

function fixed(value: number, width: number): string {
  const text = value.toFixed(3);
  if (text.length > width) throw new RangeError('synthetic value does not fit its placeholder');
  return text.padStart(width, ' ');
}

function instanceFile(plan: Plan, template: Template, instance: SyntheticInstance): Buffer {
  const out = Buffer.from(template.bytes);
  for (const at of template.sopUidOffsets) out.write(instance.sopInstanceUid, at, 'latin1');
  for (const at of template.originalUidOffsets) out.write(instance.originalUid, at, 'latin1');
  const number = String(instance.instanceNumber).padStart(INSTANCE_NUMBER_MARKER.length, ' ');
  for (const at of template.instanceNumberOffsets) out.write(number, at, 'latin1');
  const z = -100 + (instance.instanceNumber - 1) * 2.5;
  for (const at of template.positionOffsets) out.write(fixed(z, POSITION_MARKER.length), at, 'latin1');
  for (const at of template.sliceOffsets) out.write(fixed(z, SLICE_MARKER.length), at, 'latin1');
  if (plan.options.transferSyntax !== 'deflated') return out;
  // dcmjs writes a "deflated" file uncompressed: compress the dataset here.
  return Buffer.concat([out.subarray(0, template.metaEnd), deflateRawSync(out.subarray(template.metaEnd))]);
}

/**
 * Files of a synthetic study, one at a time (2,000 × 0.5 MB need not sit in memory at once).
 * dcmjs writes one template per series; instances copy it and patch fixed-width UIDs, instance
 * number and slice position in place, so generation costs about one memcpy per file.
 */
export function* syntheticStudyFiles(options: SyntheticStudyOptions): Generator<SyntheticFile> {
  yield* planFiles(planStudy(options));
}

function* planFiles(plan: Plan): Generator<SyntheticFile> {
  for (let s = 0; s < plan.answerKey.series.length; s++) {
    const template = buildTemplate(plan, s);
    for (const instance of plan.answerKey.series[s]?.instances ?? []) {
      yield { name: instance.file, bytes: instanceFile(plan, template, instance) };
    }
  }
}

/** The answer key of `syntheticStudy(options)` without generating any file. */
export function syntheticAnswerKey(options: SyntheticStudyOptions): SyntheticAnswerKey {
  return planStudy(options).answerKey;
}

/**
 * A deterministic synthetic study: same options, same bytes. Realistic headers (nested sequences,
 * a private block with a private sequence holding an "original" UID, fake identifiers starting
 * with `ZZ` in standard, nested and private elements), pixel data of the requested size.
 */
export function syntheticStudy(options: SyntheticStudyOptions): SyntheticStudy {
  const plan = planStudy(options);
  return { files: [...planFiles(plan)], answerKey: plan.answerKey };
}
