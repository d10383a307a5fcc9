/**
 * Minimal typing of the parts of dcmjs 0.51 that @medlineage/dicom uses (dcmjs ships no types).
 * Only the raw ("denaturalized") dataset is typed: keys are tags like "00100010", never keywords.
 */
declare module 'dcmjs' {
  /** One element of a raw dataset. `Value` is 0 for the `untilTag` sentinel element. */
  export interface DcmjsElement {
    vr?: string;
    Value?: unknown;
    _rawValue?: unknown;
  }

  export type DcmjsDataset = Record<string, DcmjsElement>;

  export interface DcmjsReadOptions {
    ignoreErrors?: boolean;
    untilTag?: string | null;
    includeUntilTagValue?: boolean;
    noCopy?: boolean;
    forceStoreRaw?: boolean;
  }

  export interface DcmjsWriteOptions {
    allowInvalidVRLength?: boolean;
    fragmentMultiframe?: boolean;
  }

  export interface DcmjsDicomDict {
    meta: DcmjsDataset;
    dict: DcmjsDataset;
    write(options?: DcmjsWriteOptions): ArrayBuffer;
  }

  export interface DcmjsDictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
  }

  export const data: {
    DicomDict: new (meta: DcmjsDataset) => DcmjsDicomDict;
    DicomMessage: {
      readFile(buffer: ArrayBuffer, options?: DcmjsReadOptions): DcmjsDicomDict;
    };
    DicomMetaDictionary: {
      /** Keyed "(GGGG,EEEE)"; a lazy proxy, so look entries up, never enumerate. */
      dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
    };
  };

  export interface DcmjsLogger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent', persist?: boolean): void;
    getLevel(): number;
  }

  /** loglevel root logger; children (e.g. "validation.dcmjs") keep their own level. */
  export const log: DcmjsLogger & { getLogger(name: string): DcmjsLogger };
}
