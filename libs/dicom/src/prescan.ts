import { checkSpecificCharacterSet, decode, isJsWhitespace, isSingleByteDecoder } from './charset';
import {
  ITEM_DELIMITATION_TAG,
  ITEM_TAG,
  PIXEL_DATA_TAG,
  SEQUENCE_DELIMITATION_TAG,
  SPECIFIC_CHARACTER_SET_TAG,
  TRAILING_PADDING_TAG,
  UNDEFINED_LENGTH,
  UN_VR,
  dcmjsReadVr,
  dictionaryVr,
  implicitVr,
  isPixelDataTag,
  isPrivateGroup,
  tagKey,
  vrFromCode,
  type VrInfo,
} from './dictionary';
import { DicomRejectedError } from './errors';
import type { DicomLimits } from './limits';

/**
 * Structural pre-scan of a Part 10 file, written without dcmjs: walks every tag, VR and length
 * (explicit and implicit VR little endian, explicit big endian; defined and undefined lengths;
 * sequences, items, encapsulated fragments) and enforces {@link DicomLimits}. It never allocates
 * in proportion to a declared length and never copies values, so it is the part that makes the
 * guards trustworthy; dcmjs only runs on input this scan accepted.
 *
 * It also mirrors the places where dcmjs would read the same bytes differently and rejects those
 * (e.g. an undefined-length item whose delimiter dcmjs's byte scan would find elsewhere), so the
 * structure validated here is the structure dcmjs parses.
 */

export interface DatasetEncoding {
  readonly implicit: boolean;
  readonly littleEndian: boolean;
}

export const EXPLICIT_LE: DatasetEncoding = { implicit: false, littleEndian: true };
export const EXPLICIT_BE: DatasetEncoding = { implicit: false, littleEndian: false };
export const IMPLICIT_LE: DatasetEncoding = { implicit: true, littleEndian: true };

/** One step from a dataset into a sequence item, as dcmjs indexes it (empty items are dropped). */
export interface PathStep {
  readonly key: string;
  readonly item: number;
}

/**
 * A sequence stored as VR UN (or an unknown tag whose value is a sequence of items). Its content is
 * Implicit VR Little Endian (PS3.5 §6.2.2) whatever the file's transfer syntax, which dcmjs gets
 * wrong; the parser hides it from dcmjs and reads it separately.
 */
export interface UnSequence {
  readonly path: readonly PathStep[];
  readonly key: string;
  readonly contentStart: number;
  /** Excludes the sequence delimitation item, if any. */
  itemsEnd: number;
}

/** Bytes to overwrite in a private copy of the input before dcmjs reads it. */
export interface Patch {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface ScanResult {
  readonly elementCount: number;
  readonly itemCount: number;
  readonly fragmentCount: number;
  readonly maxSequenceDepth: number;
  readonly hasPrivateTags: boolean;
  readonly valueBytes: number;
  readonly nestedBytes: number;
  /** Offset of the first top-level Pixel Data (7FE0,0010) element header, or null. */
  readonly pixelDataOffset: number | null;
  /** A top-level element other than trailing padding follows that Pixel Data. */
  readonly elementsAfterPixelData: boolean;
  /**
   * End of the top-level dataset: the input length, or where a run of zero bytes up to the end
   * starts (block padding some media and tools leave behind, which dcmjs would read as thousands
   * of (0000,0000) elements). Only bytes before this offset are handed to dcmjs.
   */
  readonly datasetEnd: number;
  readonly unSequences: readonly UnSequence[];
  readonly patches: readonly Patch[];
}

/**
 * dcmjs trims LT, ST, TM, UC and UT values with `str.replace(/\s*$/g, '')`, which backtracks
 * quadratically over every whitespace run that is not at the end (80,000 spaces then a letter:
 * 2.4 s). The pre-scan sums the squared lengths of such runs and refuses the file past this
 * budget (~40 ms of regex work).
 */
const TRIM_COST_BUDGET = 100_000_000;
const RTRIM_VRS = new Set(['LT', 'ST', 'TM', 'UC', 'UT']);

function hex(value: number, width = 4): string {
  return value.toString(16).toUpperCase().padStart(width, '0');
}

function tagName(tag: number): string {
  return `(${hex(tag >>> 16)},${hex(tag & 0xffff)})`;
}

interface Counters {
  elementCount: number;
  itemCount: number;
  fragmentCount: number;
  maxSequenceDepth: number;
  hasPrivateTags: boolean;
  valueBytes: number;
  nestedBytes: number;
  trimCost: number;
}

export class DatasetScanner {
  private readonly view: DataView;
  private readonly counters: Counters = {
    elementCount: 0,
    itemCount: 0,
    fragmentCount: 0,
    maxSequenceDepth: 0,
    hasPrivateTags: false,
    valueBytes: 0,
    nestedBytes: 0,
    trimCost: 0,
  };
  private readonly path: PathStep[] = [];
  private readonly unSequences: UnSequence[] = [];
  private readonly patches: Patch[] = [];
  private pixelDataOffset: number | null = null;
  private elementsAfterPixelData = false;
  private datasetEnd: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: DicomLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.datasetEnd = bytes.byteLength;
  }

  /** Scans the top-level dataset in [start, end of input). */
  scan(start: number, encoding: DatasetEncoding): ScanResult {
    this.dataset(start, this.bytes.byteLength, 0, false, encoding, true);
    return {
      ...this.counters,
      pixelDataOffset: this.pixelDataOffset,
      elementsAfterPixelData: this.elementsAfterPixelData,
      datasetEnd: this.datasetEnd,
      unSequences: this.unSequences,
      patches: this.patches,
    };
  }

  /**
   * Validates a defined-length region (the File Meta group) with the same element rules, without
   * top-level bookkeeping. The caller has ruled out sequences and UN in that region.
   */
  scanRegion(start: number, end: number, encoding: DatasetEncoding): void {
    this.dataset(start, end, 0, false, encoding, false);
  }

  // ---- failures -------------------------------------------------------------------------------

  private malformed(detail: string): never {
    throw new DicomRejectedError('MALFORMED', detail);
  }

  private sizeLimit(detail: string): never {
    throw new DicomRejectedError('SIZE_LIMIT_EXCEEDED', detail);
  }

  /** Something runs past its container: the input itself (truncated) or an enclosing item/value. */
  private overrun(what: string, offset: number, end: number): never {
    if (end === this.bytes.byteLength) {
      throw new DicomRejectedError('TRUNCATED', `${what} at offset ${offset} runs past the end of the input`);
    }
    throw new DicomRejectedError(
      'MALFORMED',
      `${what} at offset ${offset} runs past its enclosing item or value`,
    );
  }

  // ---- readers --------------------------------------------------------------------------------

  private u16(offset: number, le: boolean): number {
    return this.view.getUint16(offset, le);
  }

  private u32(offset: number, le: boolean): number {
    return this.view.getUint32(offset, le);
  }

  private tag(offset: number, le: boolean): number {
    return ((this.view.getUint16(offset, le) << 16) | this.view.getUint16(offset + 2, le)) >>> 0;
  }

  // ---- counters -------------------------------------------------------------------------------

  private countElements(elements: number, fragments: number): void {
    this.counters.elementCount += elements;
    this.counters.fragmentCount += fragments;
    if (this.counters.elementCount + this.counters.fragmentCount > this.limits.maxElements) {
      this.sizeLimit(`more than ${this.limits.maxElements} elements and fragments`);
    }
  }

  private countItem(): void {
    this.counters.itemCount++;
    if (this.counters.itemCount > this.limits.maxItems)
      this.sizeLimit(`more than ${this.limits.maxItems} sequence items`);
  }

  private countValueBytes(n: number, offset: number): void {
    this.counters.valueBytes += n;
    if (this.counters.valueBytes > this.limits.maxValueBytes) {
      this.sizeLimit(`decoded values exceed ${this.limits.maxValueBytes} bytes (at offset ${offset})`);
    }
  }

  private countNestedBytes(n: number, offset: number): void {
    this.counters.nestedBytes += n;
    if (this.counters.nestedBytes > this.limits.maxNestedBytes) {
      this.sizeLimit(`nested item bytes exceed ${this.limits.maxNestedBytes} (at offset ${offset})`);
    }
  }

  // ---- datasets -------------------------------------------------------------------------------

  /**
   * Walks the elements of one dataset. With `delimited`, the dataset is an undefined-length item
   * ending at an item delimitation item (returns the offset after it); otherwise it must end
   * exactly at `end`.
   */
  private dataset(
    start: number,
    end: number,
    depth: number,
    delimited: boolean,
    encoding: DatasetEncoding,
    topLevel: boolean,
  ): number {
    const le = encoding.littleEndian;
    let previousTag = -1;
    // dcmjs gives every dataset (file or item) a fresh Latin-1 decoder until its own (0008,0005).
    let decoder = 'latin1';
    let p = start;
    for (;;) {
      if (!delimited && p === end) return p;
      if (p + 4 > end) this.overrun('element tag', p, end);
      const tag = this.tag(p, le);
      if (topLevel && tag === 0 && this.zeroFrom(p)) {
        this.datasetEnd = p;
        return p;
      }
      if (tag >>> 16 === 0xfffe) {
        if (delimited && tag === ITEM_DELIMITATION_TAG) {
          if (p + 8 > end) this.overrun('item delimitation item', p, end);
          if (this.u32(p + 4, le) !== 0)
            this.malformed(`item delimitation item with a non-zero length at offset ${p}`);
          return p + 8;
        }
        this.malformed(`unexpected ${tagName(tag)} among data elements at offset ${p}`);
      }
      // Ascending order (PS3.5 §7.1) also rules out duplicates, which dcmjs would silently merge.
      if (tag <= previousTag) this.malformed(`${tagName(tag)} out of order at offset ${p}`);
      previousTag = tag;
      this.countElements(1, 0);
      if (isPrivateGroup(tag)) this.counters.hasPrivateTags = true;

      let vr: VrInfo;
      let length: number;
      let valueStart: number;
      /** The VR bytes say UN (explicit VR only). */
      let declaredUn = false;
      if (p + 8 > end) this.overrun(`header of ${tagName(tag)}`, p, end);
      if (encoding.implicit) {
        length = this.u32(p + 4, le);
        valueStart = p + 8;
        vr = implicitVr(tag, length === UNDEFINED_LENGTH);
      } else {
        const declared = vrFromCode(this.view.getUint16(p + 4, false));
        if (declared === undefined) this.malformed(`invalid VR for ${tagName(tag)} at offset ${p}`);
        if (declared.longLength) {
          if (p + 12 > end) this.overrun(`header of ${tagName(tag)}`, p, end);
          length = this.u32(p + 8, le);
          valueStart = p + 12;
        } else {
          length = this.u16(p + 6, le);
          valueStart = p + 8;
        }
        vr = dcmjsReadVr(declared.name);
        if (declared.name === 'UN') {
          declaredUn = true;
          // dcmjs re-reads a UN value with the dictionary VR when it knows the tag.
          const known = dictionaryVr(tag);
          if (known !== null) vr = dcmjsReadVr(known);
        }
      }

      if (topLevel) this.trackTopLevel(tag, p);

      if (length === UNDEFINED_LENGTH) {
        p = this.undefinedLengthValue(tag, p, valueStart, end, depth, encoding, vr, declaredUn);
        continue;
      }

      if (!isPixelDataTag(tag) && length > this.limits.maxElementBytes) {
        this.sizeLimit(
          `${tagName(tag)} at offset ${p} declares ${length} bytes (limit ${this.limits.maxElementBytes})`,
        );
      }
      if (length > end - valueStart) this.overrun(`value of ${tagName(tag)} (${length} bytes)`, p, end);
      const valueEnd = valueStart + length;

      if (declaredUn && vr.kind === 'sequence') {
        // A standard sequence stored as UN: dcmjs would parse its implicit items as explicit VR.
        this.knownUnSequence(tag, p, valueStart, valueEnd, depth, le);
      } else {
        switch (vr.kind) {
          case 'sequence':
            this.sequence(tag, valueStart, valueEnd, valueEnd, depth, encoding);
            break;
          case 'text':
            this.countValueBytes(length, p);
            if (tag === SPECIFIC_CHARACTER_SET_TAG) decoder = this.checkCharacterSet(valueStart, valueEnd, p);
            if (RTRIM_VRS.has(vr.name))
              this.countTrimCost(valueStart, valueEnd, vr.name === 'TM' ? 'latin1' : decoder, p);
            break;
          case 'number':
            if (length % vr.valueSize !== 0) {
              this.malformed(
                `${tagName(tag)} at offset ${p}: length ${length} is not a multiple of ${vr.valueSize}`,
              );
            }
            this.countValueBytes(length, p);
            break;
          case 'bulk':
            if (vr === UN_VR && (declaredUn || encoding.implicit))
              this.maybeUnSequence(tag, valueStart, valueEnd, depth);
            break;
        }
      }
      p = valueEnd;
    }
  }

  private zeroFrom(offset: number): boolean {
    const bytes = this.bytes;
    const n = bytes.byteLength;
    for (let i = offset; i < n; i++) if (bytes[i] !== 0) return false;
    return true;
  }

  private trackTopLevel(tag: number, offset: number): void {
    if (this.pixelDataOffset === null) {
      if (tag === PIXEL_DATA_TAG) this.pixelDataOffset = offset;
    } else if (tag !== TRAILING_PADDING_TAG) {
      this.elementsAfterPixelData = true;
    }
  }

  private undefinedLengthValue(
    tag: number,
    headerAt: number,
    valueStart: number,
    end: number,
    depth: number,
    encoding: DatasetEncoding,
    vr: VrInfo,
    declaredUn: boolean,
  ): number {
    if (encoding.implicit) {
      if (vr.kind !== 'sequence')
        this.malformed(`undefined length on non-sequence ${tagName(tag)} at offset ${headerAt}`);
      return this.sequence(tag, valueStart, end, null, depth, encoding);
    }
    if (declaredUn)
      return this.undefinedUnSequence(tag, headerAt, valueStart, end, depth, encoding.littleEndian);
    switch (vr.name) {
      case 'SQ':
        return this.sequence(tag, valueStart, end, null, depth, encoding);
      case 'OB':
      case 'OW':
        return this.encapsulated(tag, valueStart, end, encoding);
      default:
        return this.malformed(`undefined length on ${vr.name} ${tagName(tag)} at offset ${headerAt}`);
    }
  }

  // ---- sequences ------------------------------------------------------------------------------

  /**
   * Walks the items of a sequence whose value starts at `start`. `definedEnd` is the end of a
   * defined-length value (items must fill it exactly) or null for a delimited sequence that must
   * end with a sequence delimitation item before `hardEnd`. Returns the offset after the value.
   */
  private sequence(
    tag: number,
    start: number,
    hardEnd: number,
    definedEnd: number | null,
    depth: number,
    encoding: DatasetEncoding,
  ): number {
    const le = encoding.littleEndian;
    const itemDepth = depth + 1;
    if (itemDepth > this.limits.maxSequenceDepth) {
      this.sizeLimit(`sequences nested deeper than ${this.limits.maxSequenceDepth} (at offset ${start})`);
    }
    if (itemDepth > this.counters.maxSequenceDepth) this.counters.maxSequenceDepth = itemDepth;
    const key = tagKey(tag);
    const bound = definedEnd ?? hardEnd;
    let dcmjsIndex = 0;
    let p = start;
    for (;;) {
      if (definedEnd !== null && p === definedEnd) return p;
      if (p + 8 > bound) this.overrun(`item in ${tagName(tag)}`, p, bound);
      const itemTag = this.tag(p, le);
      const length = this.u32(p + 4, le);
      if (itemTag === ITEM_TAG) {
        this.countItem();
        const contentStart = p + 8;
        this.path.push({ key, item: dcmjsIndex });
        let contentLength: number;
        if (length === UNDEFINED_LENGTH) {
          const after = this.dataset(contentStart, bound, itemDepth, true, encoding, false);
          contentLength = after - 8 - contentStart;
          this.countNestedBytes(contentLength, p);
          this.checkDcmjsItemScan(contentStart, after - 8, le);
          p = after;
        } else {
          if (length > bound - contentStart)
            this.overrun(`item of ${length} bytes in ${tagName(tag)}`, p, bound);
          contentLength = length;
          this.countNestedBytes(length, p);
          this.dataset(contentStart, contentStart + length, itemDepth, false, encoding, false);
          p = contentStart + length;
        }
        this.path.pop();
        // dcmjs drops empty items, so later items shift down in its arrays.
        if (contentLength > 0) dcmjsIndex++;
      } else if (itemTag === SEQUENCE_DELIMITATION_TAG && definedEnd === null) {
        return p + 8;
      } else {
        this.malformed(`unexpected ${tagName(itemTag)} in ${tagName(tag)} at offset ${p}`);
      }
    }
  }

  /**
   * dcmjs finds the end of an undefined-length item by scanning its bytes two at a time for an
   * item delimitation item (counting nested undefined-length items), not by walking the
   * structure. Replays that scan and rejects the file unless it stops exactly where the
   * structural walk did; otherwise dcmjs would parse different bytes than the ones checked here.
   */
  private checkDcmjsItemScan(contentStart: number, delimiterAt: number, le: boolean): void {
    const bytes = this.bytes;
    const view = this.view;
    // dcmjs reads 16-bit words at even distances from contentStart; jump between 0xFFFE words
    // with a native byte search instead of stepping two bytes at a time.
    const first = le ? 0xfe : 0xff;
    const second = le ? 0xff : 0xfe;
    let depth = 0;
    let p = contentStart;
    while (p <= delimiterAt) {
      const q = bytes.indexOf(first, p);
      if (q === -1 || q > delimiterAt) break;
      if ((q - contentStart) % 2 === 1) {
        p = q + 1;
        continue;
      }
      if (bytes[q + 1] !== second) {
        p = q + 2;
        continue;
      }
      const element = view.getUint16(q + 2, le);
      if (element === 0xe00d) {
        if (view.getUint32(q + 4, le) !== 0) break;
        depth--;
        if (depth < 0) {
          if (q === delimiterAt) return;
          break;
        }
        p = q + 4;
      } else if (element === 0xe000) {
        if (view.getUint32(q + 4, le) === UNDEFINED_LENGTH) depth++;
        p = q + 4;
      } else {
        p = q + 2;
      }
    }
    this.malformed(`ambiguous item delimitation in the item at offset ${contentStart - 8}`);
  }

  // ---- encapsulated pixel data -----------------------------------------------------------------

  /**
   * Basic Offset Table plus fragments (PS3.5 A.4). Offsets must be non-decreasing and each point at
   * a fragment: dcmjs copies one window per offset, so overlapping windows multiply memory.
   */
  private encapsulated(tag: number, start: number, end: number, encoding: DatasetEncoding): number {
    const le = encoding.littleEndian;
    if (start + 8 > end) this.overrun(`offset table of ${tagName(tag)}`, start, end);
    if (this.tag(start, le) !== ITEM_TAG)
      this.malformed(`no offset table item in ${tagName(tag)} at offset ${start}`);
    const tableLength = this.u32(start + 4, le);
    if (tableLength === UNDEFINED_LENGTH || tableLength % 4 !== 0) {
      this.malformed(`invalid offset table length in ${tagName(tag)} at offset ${start}`);
    }
    if (tableLength > end - (start + 8)) this.overrun(`offset table of ${tagName(tag)}`, start, end);
    const entries = tableLength / 4;
    this.countElements(0, 1 + entries);
    let previous = 0;
    for (let i = 0; i < entries; i++) {
      const offset = this.u32(start + 8 + 4 * i, le);
      if (offset < previous) this.malformed(`offset table of ${tagName(tag)} is not ascending (entry ${i})`);
      previous = offset;
    }
    const fragmentsStart = start + 8 + tableLength;
    let nextEntry = 0;
    let p = fragmentsStart;
    for (;;) {
      if (p + 8 > end) this.overrun(`fragment of ${tagName(tag)}`, p, end);
      const itemTag = this.tag(p, le);
      const length = this.u32(p + 4, le);
      if (itemTag === ITEM_TAG) {
        this.countElements(0, 1);
        const relative = p - fragmentsStart;
        while (nextEntry < entries && this.u32(start + 8 + 4 * nextEntry, le) === relative) nextEntry++;
        if (nextEntry < entries && this.u32(start + 8 + 4 * nextEntry, le) < relative) {
          this.malformed(`offset table entry ${nextEntry} of ${tagName(tag)} does not point at a fragment`);
        }
        if (length === UNDEFINED_LENGTH)
          this.malformed(`undefined-length fragment in ${tagName(tag)} at offset ${p}`);
        if (length > end - (p + 8)) this.overrun(`fragment of ${length} bytes in ${tagName(tag)}`, p, end);
        p += 8 + length;
      } else if (itemTag === SEQUENCE_DELIMITATION_TAG) {
        if (length !== 0) this.malformed(`sequence delimitation item with a non-zero length at offset ${p}`);
        if (nextEntry < entries)
          this.malformed(`offset table of ${tagName(tag)} points past the last fragment`);
        return p + 8;
      } else {
        this.malformed(`unexpected ${tagName(itemTag)} among fragments of ${tagName(tag)} at offset ${p}`);
      }
    }
  }

  // ---- sequences stored as UN ---------------------------------------------------------------------

  /** Explicit VR, VR UN, undefined length: the value is implicit VR items up to a sequence delimiter. */
  private undefinedUnSequence(
    tag: number,
    headerAt: number,
    valueStart: number,
    end: number,
    depth: number,
    le: boolean,
  ): number {
    const record = this.recordUnSequence(tag, valueStart);
    const after = this.asUnSequence(
      () => this.sequence(tag, valueStart, end, null, depth, IMPLICIT_LE),
      false,
    );
    record.itemsEnd = after - 8;
    // dcmjs would read an undefined-length UN as encapsulated pixel data. Give it a defined length
    // and VR OB so it reads opaque bytes; the parser decodes the items itself.
    this.patchAsOpaque(headerAt, after - valueStart, le);
    return after;
  }

  /** Explicit VR, VR UN on a tag the dictionary calls SQ, defined length. */
  private knownUnSequence(
    tag: number,
    headerAt: number,
    valueStart: number,
    valueEnd: number,
    depth: number,
    le: boolean,
  ): void {
    const record = this.recordUnSequence(tag, valueStart);
    // The value itself fits in the input, so anything running past it is bad content, not truncation.
    this.asUnSequence(() => this.sequence(tag, valueStart, valueEnd, valueEnd, depth, IMPLICIT_LE), true);
    record.itemsEnd = valueEnd;
    this.patchAsOpaque(headerAt, valueEnd - valueStart, le);
  }

  /**
   * A UN value dcmjs will keep as opaque bytes (private or unknown tag, defined length). If it is a
   * well-formed implicit VR sequence it is recorded so its content is decoded too (private
   * sequences carry identifiers); if not, it stays opaque and nothing it contains counts.
   */
  private maybeUnSequence(tag: number, valueStart: number, valueEnd: number, depth: number): void {
    if (valueEnd - valueStart < 8 || this.tag(valueStart, true) !== ITEM_TAG) return;
    const saved = { ...this.counters };
    const records = this.unSequences.length;
    const patches = this.patches.length;
    const pathLength = this.path.length;
    try {
      const record = this.recordUnSequence(tag, valueStart);
      this.sequence(tag, valueStart, valueEnd, valueEnd, depth, IMPLICIT_LE);
      record.itemsEnd = valueEnd;
    } catch (error) {
      if (!(error instanceof DicomRejectedError)) throw error;
      Object.assign(this.counters, saved);
      this.unSequences.length = records;
      this.patches.length = patches;
      this.path.length = pathLength;
    }
  }

  private recordUnSequence(tag: number, contentStart: number): UnSequence {
    const record: UnSequence = {
      path: [...this.path],
      key: tagKey(tag),
      contentStart,
      itemsEnd: contentStart,
    };
    this.unSequences.push(record);
    return record;
  }

  /** Failures inside a UN sequence's content are reported as UN_SEQUENCE (limits stay limits). */
  private asUnSequence<T>(walk: () => T, truncationIsContent: boolean): T {
    try {
      return walk();
    } catch (error) {
      if (
        error instanceof DicomRejectedError &&
        (error.code === 'MALFORMED' || (truncationIsContent && error.code === 'TRUNCATED'))
      ) {
        throw new DicomRejectedError(
          'UN_SEQUENCE',
          `sequence stored as UN is not implicit VR items: ${error.detail}`,
        );
      }
      throw error;
    }
  }

  /** Rewrites an explicit VR UN header (tag, 'UN', 2 reserved, 32-bit length) to VR OB, defined length. */
  private patchAsOpaque(headerAt: number, length: number, le: boolean): void {
    const lengthBytes = new Uint8Array(4);
    new DataView(lengthBytes.buffer).setUint32(0, length, le);
    this.patches.push({ offset: headerAt + 4, bytes: Uint8Array.of(0x4f, 0x42) });
    this.patches.push({ offset: headerAt + 8, bytes: lengthBytes });
  }

  // ---- character set --------------------------------------------------------------------------

  private countTrimCost(valueStart: number, valueEnd: number, decoder: string, offset: number): void {
    let cost = 0;
    let run = 0;
    if (isSingleByteDecoder(decoder)) {
      const bytes = this.bytes;
      for (let i = valueStart; i < valueEnd; i++) {
        if (isJsWhitespace(bytes[i] ?? 0)) run++;
        else if (run > 0) {
          cost += run * run;
          run = 0;
        }
      }
    } else {
      const text = decode(decoder, this.bytes.subarray(valueStart, valueEnd));
      for (let i = 0; i < text.length; i++) {
        if (isJsWhitespace(text.charCodeAt(i))) run++;
        else if (run > 0) {
          cost += run * run;
          run = 0;
        }
      }
    }
    // A run at the very end is matched at once: it costs nothing extra.
    this.counters.trimCost += cost;
    if (this.counters.trimCost > TRIM_COST_BUDGET) {
      this.sizeLimit(`whitespace runs would make dcmjs's trimming quadratic (at offset ${offset})`);
    }
  }

  private checkCharacterSet(valueStart: number, valueEnd: number, offset: number): string {
    if (valueEnd - valueStart > 1024) {
      throw new DicomRejectedError(
        'UNSUPPORTED_CHARACTER_SET',
        `Specific Character Set of ${valueEnd - valueStart} bytes at offset ${offset}`,
      );
    }
    // dcmjs reads CS with readAsciiString: one char per byte.
    let raw = '';
    for (let i = valueStart; i < valueEnd; i++) raw += String.fromCharCode(this.view.getUint8(i));
    return checkSpecificCharacterSet(raw, offset);
  }
}
