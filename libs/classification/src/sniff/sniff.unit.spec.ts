import { deflateRawSync, gzipSync } from 'node:zlib';
import {
  bam,
  bcf,
  bgzf,
  ByteWriter,
  CANARY,
  ccda,
  clinicalNote,
  cramHeader,
  dicomPart10,
  element,
  elf,
  fastq,
  fhirNdjson,
  fhirPatientJson,
  fhirPatientXml,
  gzip,
  hl7Adt,
  hl7Oru,
  mllp,
  pdf,
  peStub,
  rawDataset,
  sam,
  sampleFiles,
  type SampleFile,
  SOP_CLASSES,
  tar,
  utf8,
  vcf,
  vcfGz,
  zip,
} from '../samples';
import { inflateRawCapped } from './inflate';
import { screenContent } from './screen';
import { MAX_HEAD_BYTES, MAX_INFLATED_BYTES, type SniffResult } from './signal';
import { sniff } from './sniff';

const whole = (b: Uint8Array): SniffResult => sniff(b, b.length);
const rules = (r: SniffResult): string[] => r.signals.map((s) => s.ruleId);
const signal = (r: SniffResult, ruleId: string) => r.signals.find((s) => s.ruleId === ruleId);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const w = new ByteWriter();
  for (const p of parts) w.bytes(p);
  return w.done();
};

/** Built once: the set deflates several MiB. */
const SAMPLES = sampleFiles();
/** Each sample sniffed at most once, shared by the answer-key tests. */
const sniffedSamples = new Map<SampleFile, SniffResult>();
const sniffSample = (file: SampleFile): SniffResult => {
  let r = sniffedSamples.get(file);
  if (r === undefined) {
    r = whole(file.bytes);
    sniffedSamples.set(file, r);
  }
  return r;
};

describe('sniff', () => {
  describe('DICOM', () => {
    it('recognises Part 10 by DICM at 128 and the file meta group after it', () => {
      const r = whole(dicomPart10());
      expect(r).toMatchObject({
        format: 'DICOM',
        contentSniff: 'dicom-part10',
        executable: false,
        conflicting: false,
      });
      expect(signal(r, 'dicom.part10')).toMatchObject({ format: 'DICOM', confidence: 0.99, offset: 128 });
      expect(rules(r)).not.toContain('dicom.preamble-not-zero');
    });

    it('is less sure when DICM is not followed by a file meta group', () => {
      const b = dicomPart10();
      b.set([0x08, 0x00], 132);
      expect(signal(whole(b), 'dicom.part10')).toMatchObject({ confidence: 0.75 });
    });

    it('needs DICM exactly at 128', () => {
      const b = concat(new Uint8Array(127), utf8('DICM'), new Uint8Array(64));
      expect(rules(whole(b))).not.toContain('dicom.part10');
    });

    it('recognises a DICOMDIR by its media storage SOP class', () => {
      const r = whole(dicomPart10({ sopClassUid: SOP_CLASSES.mediaStorageDirectory }));
      expect(r).toMatchObject({ format: 'DICOMDIR', contentSniff: 'dicomdir', conflicting: false });
      expect(rules(r)).toEqual(['dicom.part10', 'dicom.dicomdir']);
    });

    it('recognises a dataset without preamble in explicit VR little endian', () => {
      const r = whole(concat(rawDataset(), element(0x0010, 0x0020, 'LO', 'ID')));
      expect(r).toMatchObject({ format: 'DICOM', contentSniff: 'dicom-raw' });
      expect(signal(r, 'dicom.raw')).toMatchObject({ confidence: 0.9, offset: 0 });
    });

    it('recognises a file meta group without preamble', () => {
      const part10 = dicomPart10({ sopClassUid: SOP_CLASSES.mediaStorageDirectory });
      const r = whole(part10.subarray(132));
      expect(r).toMatchObject({ format: 'DICOMDIR', contentSniff: 'dicomdir' });
    });

    it('recognises implicit VR little endian when the UIDs check out', () => {
      const implicit = (group: number, el: number, value: string) =>
        new ByteWriter().u16(group).u16(el).u32(value.length).ascii(value).done();
      const b = concat(
        implicit(0x0008, 0x0005, 'ISO_IR 100'),
        implicit(0x0008, 0x0016, `${SOP_CLASSES.ct}\0`),
        implicit(0x0008, 0x0060, 'CT'),
      );
      expect(signal(whole(b), 'dicom.raw')).toMatchObject({ format: 'DICOM', confidence: 0.8 });
    });

    it('recognises explicit VR big endian', () => {
      const be = (group: number, el: number, vr: string, value: string) => {
        const w = new ByteWriter().bytes([group >> 8, group & 0xff, el >> 8, el & 0xff]).ascii(vr);
        return w.bytes([0, value.length]).ascii(value).done();
      };
      const b = concat(
        be(0x0008, 0x0005, 'CS', 'ISO_IR 100'),
        be(0x0008, 0x0060, 'CS', 'MR'),
        be(0x0008, 0x0070, 'LO', 'SIM '),
      );
      expect(whole(b)).toMatchObject({ format: 'DICOM', contentSniff: 'dicom-raw-be' });
    });

    it('does not take an odd-length or out-of-order element for DICOM', () => {
      const odd = new ByteWriter().u16(8).u16(5).ascii('CS').u16(3).ascii('ABC').done();
      expect(whole(concat(odd, rawDataset())).format).not.toBe('DICOM');
      const backwards = concat(
        element(0x0008, 0x0060, 'CS', 'CT'),
        element(0x0008, 0x0016, 'UI', SOP_CLASSES.ct),
      );
      expect(rules(whole(backwards))).not.toContain('dicom.raw');
    });

    it('reports a preamble that is not zero', () => {
      const r = whole(dicomPart10({ preamble: utf8('II*\0') }));
      expect(r.format).toBe('DICOM');
      expect(signal(r, 'dicom.preamble-not-zero')).toMatchObject({ format: 'UNKNOWN', offset: 0 });
    });

    it('takes a PDF inside an Encapsulated PDF object as that object, not as a second format', () => {
      const r = whole(
        dicomPart10({
          sopClassUid: SOP_CLASSES.encapsulatedPdf,
          extra: [element(0x0042, 0x0011, 'OB', pdf())],
        }),
      );
      expect(r).toMatchObject({ format: 'DICOM', contentSniff: 'dicom-part10', conflicting: false });
      expect(rules(r)).toEqual(['dicom.part10', 'dicom.encapsulated-document', 'dicom.encapsulated-pdf']);
    });

    it('calls a PDF inside a DICOM object of another SOP class a conflict', () => {
      const r = whole(dicomPart10({ extra: [element(0x0042, 0x0011, 'OB', pdf())] }));
      expect(r).toMatchObject({
        format: 'UNKNOWN',
        contentSniff: 'conflict:dicom-part10+pdf',
        conflicting: true,
      });
    });
  });

  describe('gzip and BGZF', () => {
    it('tells plain gzip from BGZF by the BC extra subfield', () => {
      const plain = whole(gzip(vcf()));
      expect(rules(plain)).toContain('gzip.member');
      expect(rules(plain)).not.toContain('bgzf.block');
      const blocked = whole(vcfGz());
      expect(rules(blocked)).toEqual(
        expect.arrayContaining(['bgzf.block', 'bgzf.eof', 'bgzf/vcf.fileformat']),
      );
      expect(rules(blocked)).not.toContain('gzip.member');
      for (const r of [plain, blocked]) expect(r).toMatchObject({ format: 'VCF', contentSniff: 'vcf.gz' });
    });

    it('treats gzip with another extra subfield as plain gzip', () => {
      const data = deflateRawSync(vcf());
      const b = new ByteWriter()
        .bytes([0x1f, 0x8b, 8, 4])
        .u32(0)
        .bytes([0, 3])
        .u16(6)
        .ascii('AP')
        .u16(2)
        .u16(0x1234);
      const r = whole(b.bytes(data).u32(0).u32(0).done());
      expect(rules(r)).toContain('gzip.member');
      expect(r.format).toBe('VCF');
    });

    it('tells BGZF VCF, BAM and BCF apart by what the first block inflates to', () => {
      expect(whole(vcfGz())).toMatchObject({ format: 'VCF', contentSniff: 'vcf.gz' });
      expect(whole(bam())).toMatchObject({ format: 'BAM', contentSniff: 'bam' });
      expect(whole(bcf())).toMatchObject({ format: 'BCF', contentSniff: 'bcf' });
      expect(signal(whole(bam()), 'bgzf/bam.magic')).toMatchObject({ confidence: 0.99, offset: 0 });
    });

    it('reads several BGZF blocks and notes a missing EOF marker only when it sees the end', () => {
      const big = bgzf(fastq({ reads: 2000 }));
      expect(big.length).toBeGreaterThan(MAX_HEAD_BYTES);
      const head = sniff(big.subarray(0, MAX_HEAD_BYTES), big.length);
      expect(head).toMatchObject({ format: 'FASTQ', contentSniff: 'fastq.gz' });
      expect(signal(head, 'bgzf.block')).toMatchObject({ confidence: 0.99 });
      expect(rules(head).filter((id) => id.startsWith('bgzf.eof'))).toEqual([]);
      const small = vcfGz();
      expect(rules(whole(small))).toContain('bgzf.eof');
      expect(rules(whole(small.subarray(0, small.length - 28)))).toContain('bgzf.eof-missing');
      expect(screenContent(whole(small.subarray(0, small.length - 28)))).toEqual({ admit: true });
    });

    it('never echoes the gzip FNAME field', () => {
      const r = whole(gzip(fastq(), { name: `${CANARY}_PATIENT.fastq` }));
      expect(r.format).toBe('FASTQ');
      expect(JSON.stringify(r)).not.toContain(CANARY);
    });

    it('calls a gzip stream cut short malformed only when the head is the whole object', () => {
      const gz = gzip(fastq());
      const cut = gz.subarray(0, gz.length >> 1);
      expect(rules(sniff(cut, cut.length))).toContain('gzip.truncated');
      expect(screenContent(sniff(cut, cut.length))).toMatchObject({
        admit: false,
        reasonCode: 'MALFORMED_CONTENT',
      });
      const partOfBigger = sniff(cut, gz.length * 10);
      expect(rules(partOfBigger)).not.toContain('gzip.truncated');
      expect(partOfBigger.format).toBe('FASTQ');
    });

    it('calls invalid deflate data corrupt', () => {
      const b = new ByteWriter()
        .bytes([0x1f, 0x8b, 8, 0])
        .u32(0)
        .bytes([0, 3])
        .bytes([0xff, 0xff, 0xff, 0xff])
        .done();
      expect(rules(whole(b))).toContain('gzip.corrupt');
      expect(screenContent(whole(b))).toMatchObject({
        admit: false,
        detail: 'malformed content: gzip.corrupt',
      });
    });

    it('opens one layer only', () => {
      const r = whole(gzip(gzip(vcf())));
      expect(rules(r)).toEqual(['gzip.member', 'gzip/gzip.member']);
      expect(r).toMatchObject({ format: 'UNKNOWN', contentSniff: 'gzip' });
    });

    it('ignores 1F 8B 08 with reserved flag bits', () => {
      expect(rules(whole(Uint8Array.from([0x1f, 0x8b, 8, 0xe0, 0, 0, 0, 0, 0, 3, 1, 2])))).not.toContain(
        'gzip.member',
      );
    });

    it('finds a gzip-wrapped tar and DICOM too', () => {
      expect(whole(gzip(tar('a.txt', utf8('hello'))))).toMatchObject({
        format: 'ARCHIVE',
        contentSniff: 'tar.gz',
      });
      expect(whole(gzip(dicomPart10()))).toMatchObject({ format: 'DICOM', contentSniff: 'dicom-part10.gz' });
    });
  });

  describe('inflateRawCapped', () => {
    it('inflates a complete stream', () => {
      const data = vcf();
      const out = inflateRawCapped(deflateRawSync(data));
      expect(out).toMatchObject({ kind: 'complete' });
      expect(Buffer.from(out.bytes).equals(Buffer.from(data))).toBe(true);
    });

    it('returns a prefix of a truncated stream', () => {
      const data = vcf({ records: 400 });
      const deflated = deflateRawSync(data);
      const out = inflateRawCapped(deflated.subarray(0, deflated.length >> 1));
      expect(out).toMatchObject({ kind: 'partial', capped: false });
      expect(Buffer.from(data.subarray(0, out.bytes.length)).equals(Buffer.from(out.bytes))).toBe(true);
    });

    it('stops a deflate bomb at the cap', () => {
      const bomb = deflateRawSync(new Uint8Array(32 * 1024 * 1024));
      const started = process.hrtime.bigint();
      const out = inflateRawCapped(bomb);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      expect(out).toMatchObject({ kind: 'partial', capped: true });
      expect(out.bytes.length).toBeGreaterThan(0);
      expect(out.bytes.length).toBeLessThanOrEqual(MAX_INFLATED_BYTES);
      expect(ms).toBeLessThan(500);
    });

    it('honours a smaller cap', () => {
      expect(inflateRawCapped(deflateRawSync(vcf()), 100).bytes.length).toBeLessThanOrEqual(100);
    });

    it('reports corrupt data', () => {
      expect(inflateRawCapped(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toMatchObject({
        kind: 'corrupt',
      });
    });
  });

  describe('genomics', () => {
    it('recognises FASTQ by its four-line records', () => {
      expect(whole(fastq())).toMatchObject({ format: 'FASTQ', contentSniff: 'fastq' });
      expect(signal(whole(fastq({ reads: 1 })), 'fastq.records')).toMatchObject({ confidence: 0.85 });
      const crlf = utf8('@r1\r\nACGTN\r\n+r1\r\nIIII#\r\n@r2\r\nACGTA\r\n+\r\nIIIII\r\n');
      expect(whole(crlf).format).toBe('FASTQ');
    });

    it('ignores a record cut by the head limit', () => {
      const b = fastq({ reads: 2000 });
      const r = sniff(b.subarray(0, MAX_HEAD_BYTES), b.length);
      expect(r.format).toBe('FASTQ');
      expect(signal(r, 'fastq.records')?.detail).toContain('8 FASTQ record(s)');
    });

    it('does not take SAM, an @-mention or unequal qualities for FASTQ', () => {
      expect(whole(sam())).toMatchObject({ format: 'PLAIN_TEXT', contentSniff: 'sam' });
      expect(rules(whole(sam()))).not.toContain('fastq.records');
      expect(rules(whole(utf8('@team the\nscan\n+1\nis ok\n')))).not.toContain('fastq.records');
      expect(rules(whole(utf8('@r1\nACGT\n+\nIII\n')))).not.toContain('fastq.records');
    });

    it('recognises SAM alignment lines without a header', () => {
      const line = 'r1\t99\tchr1\t100\t60\t4M\t=\t300\t204\tACGT\tIIII\n';
      expect(signal(whole(utf8(line)), 'sam.alignment')).toMatchObject({
        format: 'PLAIN_TEXT',
        confidence: 0.85,
      });
    });

    it('recognises CRAM by magic and version', () => {
      expect(whole(cramHeader())).toMatchObject({ format: 'CRAM', contentSniff: 'cram' });
      expect(signal(whole(cramHeader()), 'cram.magic')?.detail).toBe('CRAM magic at 0, version 3.1');
      expect(whole(utf8('CRAM\x02\x01' + 'x'.repeat(20))).format).toBe('CRAM');
      expect(whole(utf8('CRAM\x09\x01' + 'x'.repeat(20))).format).not.toBe('CRAM');
    });

    it('recognises VCF text and uncompressed BCF and BAM', () => {
      expect(whole(vcf())).toMatchObject({ format: 'VCF', contentSniff: 'vcf' });
      expect(whole(utf8('BCF\x02\x02\x10\x00\x00\x00##fileformat=VCFv4.3\n')).format).toBe('BCF');
      expect(whole(new ByteWriter().ascii('BAM\x01').u32(4).ascii('@HD\t').u32(0).done()).format).toBe('BAM');
    });
  });

  describe('EHR', () => {
    it('recognises HL7 v2, also MLLP-framed and with LF segment separators', () => {
      expect(whole(hl7Adt())).toMatchObject({ format: 'HL7V2', contentSniff: 'hl7v2' });
      expect(signal(whole(hl7Adt()), 'hl7v2.msh')).toMatchObject({ confidence: 0.97 });
      expect(whole(mllp(hl7Oru()))).toMatchObject({ format: 'HL7V2', contentSniff: 'hl7v2-mllp' });
      expect(signal(whole(mllp(hl7Oru())), 'hl7v2.mllp')).toMatchObject({ offset: 1 });
      const lf = utf8(Buffer.from(hl7Adt()).toString('latin1').replace(/\r/g, '\n'));
      expect(whole(lf).format).toBe('HL7V2');
      expect(whole(utf8('FHS|^~\\&|SIM\rBHS|^~\\&|SIM\rMSH|^~\\&|SIM\r')).format).toBe('HL7V2');
    });

    it('does not take prose starting with MSH, or bad encoding characters, for HL7', () => {
      expect(whole(utf8('MSH stands for message header.\n')).format).toBe('PLAIN_TEXT');
      expect(rules(whole(utf8('MSH|^^\\&|A|B\r')))).not.toContain('hl7v2.msh');
      expect(rules(whole(utf8('MSH|abcd|A|B\r')))).not.toContain('hl7v2.msh');
    });

    it('tells FHIR JSON from NDJSON', () => {
      expect(whole(fhirPatientJson())).toMatchObject({ format: 'FHIR_JSON', contentSniff: 'fhir+json' });
      expect(whole(fhirNdjson())).toMatchObject({ format: 'FHIR_NDJSON', contentSniff: 'fhir+ndjson' });
      expect(whole(utf8('{"resourceType":"Patient","id":"a"}\n'))).toMatchObject({ format: 'FHIR_JSON' });
      const nd = fhirNdjson();
      const cut = nd.subarray(0, Buffer.from(nd).indexOf('\n') + 20);
      expect(sniff(cut, nd.length)).toMatchObject({ format: 'FHIR_NDJSON' });
      expect(signal(sniff(cut, nd.length), 'fhir.ndjson')).toMatchObject({ confidence: 0.85 });
    });

    it('recognises a FHIR resource cut by the head limit by its resourceType key', () => {
      const big = utf8(
        JSON.stringify(
          { resourceType: 'Bundle', type: 'collection', entry: new Array(5000).fill({ a: 1 }) },
          null,
          1,
        ),
      );
      expect(sniff(big.subarray(0, 1000), big.length)).toMatchObject({ format: 'FHIR_JSON' });
    });

    it('reports other JSON as a kind of text', () => {
      expect(whole(utf8('{"mrn":"1","hb":13}'))).toMatchObject({
        format: 'PLAIN_TEXT',
        contentSniff: 'json',
      });
      expect(whole(utf8('[1,2,3]'))).toMatchObject({ format: 'PLAIN_TEXT', contentSniff: 'json' });
      expect(whole(utf8('{"a":1}\n{"b":2}\n'))).toMatchObject({
        format: 'PLAIN_TEXT',
        contentSniff: 'ndjson',
      });
    });

    it('recognises FHIR XML, also with a namespace prefix', () => {
      expect(whole(fhirPatientXml())).toMatchObject({ format: 'FHIR_XML', contentSniff: 'fhir+xml' });
      expect(
        whole(utf8('<f:Patient xmlns:f="http://hl7.org/fhir"><f:id value="1"/></f:Patient>')).format,
      ).toBe('FHIR_XML');
    });

    it('tells C-CDA (US Realm Header template) from other CDA and other XML', () => {
      expect(whole(ccda())).toMatchObject({ format: 'CCDA', contentSniff: 'ccda' });
      expect(rules(whole(ccda()))).toEqual(
        expect.arrayContaining(['cda.clinical-document', 'cda.type-id', 'ccda.us-realm-header']),
      );
      const cda = utf8(
        '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>x</title></ClinicalDocument>',
      );
      expect(whole(cda)).toMatchObject({ format: 'CCDA', contentSniff: 'cda' });
      expect(whole(utf8('<?xml version="1.0"?>\n<!-- c --><report><p>x</p></report>'))).toMatchObject({
        format: 'PLAIN_TEXT',
        contentSniff: 'xml',
      });
      expect(whole(utf8('<ClinicalDocument xmlns="urn:other"/>')).format).toBe('PLAIN_TEXT');
    });
  });

  describe('documents and text', () => {
    it('recognises PDF at 0 and anywhere in the first 1024 bytes', () => {
      expect(whole(pdf())).toMatchObject({ format: 'PDF', contentSniff: 'pdf' });
      expect(signal(whole(concat(utf8('junk '.repeat(100)), pdf())), 'pdf.header')).toMatchObject({
        offset: 500,
        confidence: 0.85,
      });
      expect(rules(whole(concat(utf8('junk '.repeat(300)), pdf())))).not.toContain('pdf.header');
    });

    it('recognises UTF-8 text, also cut inside a multi-byte character', () => {
      const note = clinicalNote();
      expect(whole(note)).toMatchObject({ format: 'PLAIN_TEXT', contentSniff: 'text' });
      const dash = Buffer.from(note).indexOf(Buffer.from('—'));
      expect(sniff(note.subarray(0, dash + 1), note.length).format).toBe('PLAIN_TEXT');
    });

    it('does not take NULs, invalid UTF-8 or control characters for text', () => {
      expect(whole(utf8('abc\0def')).format).toBe('UNKNOWN');
      expect(whole(Uint8Array.from([0x61, 0xe9, 0x62, 0x63])).format).toBe('UNKNOWN');
      expect(whole(Uint8Array.from([0x61, 1, 2, 3, 4, 0x62])).format).toBe('UNKNOWN');
    });

    it('recognises delimited text', () => {
      expect(whole(utf8('a,b,c\n1,2,3\n4,5,6\n'))).toMatchObject({ contentSniff: 'csv' });
      expect(whole(utf8('a\tb\n1\t2\n3\t4\n5\t6\n7\t8\n'))).toMatchObject({ contentSniff: 'tsv' });
    });
  });

  describe('archives and executables', () => {
    it('recognises zip, tar (checksum verified) and compressed streams it does not open', () => {
      expect(whole(zip([{ name: 'a.txt', data: utf8('x') }]))).toMatchObject({
        format: 'ARCHIVE',
        contentSniff: 'zip',
      });
      const t = tar('a.txt', utf8('hello'));
      expect(signal(whole(t), 'tar.ustar')).toMatchObject({ confidence: 0.97, offset: 257 });
      t[0] = 0x41;
      expect(signal(whole(t), 'tar.ustar')).toMatchObject({ confidence: 0.7 });
      expect(whole(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0, 4]))).toMatchObject({
        contentSniff: 'xz',
      });
      expect(whole(Uint8Array.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]))).toMatchObject({
        contentSniff: '7z',
      });
      expect(whole(utf8('BZh91AY&SY\x01\x02'))).toMatchObject({ format: 'ARCHIVE', contentSniff: 'bz2' });
      expect(whole(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]))).toMatchObject({ contentSniff: 'zst' });
    });

    it.each([
      ['ELF', elf(), 'elf'],
      ['PE', concat(peStub(), new Uint8Array(64)), 'pe'],
      ['DOS MZ', new ByteWriter().ascii('MZ').u16(0x90).u16(3).u16(0).u16(4).zeros(100).done(), 'pe'],
      ['Mach-O', Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), 'mach-o'],
      ['WebAssembly', Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), 'wasm'],
      ['script', utf8('#!/usr/bin/env python3\nprint(1)\n'), 'script'],
    ])('flags %s as executable', (_, bytes, hint) => {
      const r = whole(bytes);
      expect(r).toMatchObject({ executable: true, contentSniff: hint });
      expect(screenContent(r)).toEqual({
        admit: false,
        reasonCode: 'EXECUTABLE_CONTENT',
        detail: `executable content: ${hint}`,
      });
    });

    it('does not flag text that merely starts with MZ', () => {
      expect(whole(utf8('MZ scan notes: nothing remarkable.\n')).executable).toBe(false);
    });
  });

  describe('disguises and polyglots', () => {
    it('flags a PE in the DICOM preamble as executable and conflicting (CVE-2019-11687)', () => {
      const r = whole(dicomPart10({ preamble: peStub() }));
      expect(r).toMatchObject({ format: 'UNKNOWN', executable: true, conflicting: true });
      expect(rules(r)).toEqual(
        expect.arrayContaining(['exec.pe', 'dicom.part10', 'dicom.preamble-not-zero']),
      );
    });

    it('flags an ELF with DICM at 128 the same way', () => {
      const r = whole(dicomPart10({ preamble: elf() }));
      expect(r).toMatchObject({
        executable: true,
        conflicting: true,
        contentSniff: 'conflict:dicom-part10+elf',
      });
    });

    it('calls a zip/DICOM polyglot and a PDF behind a DICOM prefix conflicting, not one or the other', () => {
      const polyglot = zip([{ name: 'payload.bin', data: dicomPart10().subarray(41) }]);
      expect(whole(polyglot)).toMatchObject({ format: 'UNKNOWN', conflicting: true, executable: false });
      expect(whole(concat(rawDataset(), pdf()))).toMatchObject({
        format: 'UNKNOWN',
        contentSniff: 'conflict:dicom-raw+pdf',
        conflicting: true,
      });
    });

    it('judges content, not names: a zip named .dcm is just a zip', () => {
      const file = SAMPLES.find((f) => f.name === 'IM000001.dcm');
      expect(file && sniffSample(file)).toMatchObject({ format: 'ARCHIVE', conflicting: false });
    });
  });

  describe('limits and inputs', () => {
    it('looks at the first 64 KiB only', () => {
      const big = concat(fastq({ reads: 2000 }), elf());
      expect(sniff(big, big.length)).toEqual(sniff(big.subarray(0, MAX_HEAD_BYTES), big.length));
    });

    it('treats an unusable total size as unknown (nothing is called truncated)', () => {
      const gz = gzip(fastq());
      const cut = gz.subarray(0, 200);
      for (const total of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
        expect(rules(sniff(cut, total))).not.toContain('gzip.truncated');
      }
    });

    it('reports empty content and content with no signature', () => {
      expect(whole(new Uint8Array(0))).toMatchObject({ format: 'UNKNOWN', contentSniff: 'empty' });
      expect(screenContent(whole(new Uint8Array(0)))).toMatchObject({
        admit: false,
        reasonCode: 'MALFORMED_CONTENT',
      });
      expect(sniff(new Uint8Array(0), 100)).toMatchObject({
        contentSniff: 'unknown',
        signals: [{ ruleId: 'content.unrecognised', confidence: 0 }],
      });
    });

    it('admits conflicting but harmless content (it goes to review)', () => {
      expect(screenContent(whole(concat(rawDataset(), pdf())))).toEqual({ admit: true });
    });
  });

  describe('the sample answer key', () => {
    it.each(SAMPLES.map((f) => [f.name, f] as const))('sniffs %s as expected', (_, file) => {
      const r = sniffSample(file);
      expect({ format: r.format, contentSniff: r.contentSniff }).toEqual({
        format: file.expected.format,
        contentSniff: file.expected.contentSniff,
      });
    });

    it('never lets a canary identifier into a signal', () => {
      for (const file of SAMPLES) {
        const json = JSON.stringify(sniffSample(file));
        expect(json).not.toContain(CANARY);
        expect(json).not.toContain('ZZ0000001');
      }
    });

    it('keeps details to signature names and offsets', () => {
      for (const file of SAMPLES) {
        for (const s of sniffSample(file).signals) expect(s.detail).toMatch(/^[\x20-\x7e]{1,160}$/);
      }
    });
  });

  it('uses ordinary gzip from zlib as well as our writer', () => {
    expect(whole(gzipSync(hl7Adt()))).toMatchObject({ format: 'HL7V2', contentSniff: 'hl7v2.gz' });
    expect(whole(bgzf(hl7Adt()))).toMatchObject({ format: 'HL7V2', contentSniff: 'hl7v2.gz' });
  });
});
