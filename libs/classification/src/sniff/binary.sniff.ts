import { byteAt, hasBytes, type Head, latin1, u16le, u32be, u32le } from './bytes';
import { detection, type Detection } from './signal';

/*
 * Archives (reported, not opened) and executables (flagged whatever else the bytes look like:
 * a PE or ELF in a DICOM preamble is a known polyglot, CVE-2019-11687).
 */

function archive(ruleId: string, conf: number, offset: number, detail: string, hint: string): Detection {
  return detection(ruleId, 'ARCHIVE', conf, offset, detail, { hint, rank: 2 });
}

/** POSIX/GNU tar: `ustar` at 257 and a header checksum that adds up (POSIX.1-1988 §10.1.1). */
function tarChecksumOk(b: Uint8Array): boolean {
  if (b.length < 512) return false;
  const field = latin1(b, 148, 156);
  const expected = Number.parseInt(field.replace(/[\0 ]+/g, ' ').trim(), 8);
  if (!Number.isFinite(expected)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (b[i] ?? 0);
  return sum === expected;
}

function sniffArchives(head: Head): Detection[] {
  const b = head.bytes;
  const out: Detection[] = [];
  if (hasBytes(b, 0, 'PK\x03\x04')) {
    const version = u16le(b, 4);
    out.push(
      archive(
        'zip.local-header',
        version !== null && version <= 63 ? 0.95 : 0.7,
        0,
        'zip local file header PK\\3\\4 at 0',
        'zip',
      ),
    );
  } else if (hasBytes(b, 0, 'PK\x05\x06') || hasBytes(b, 0, 'PK\x07\x08')) {
    out.push(
      archive('zip.other-header', 0.85, 0, 'zip end-of-central-directory or spanning marker at 0', 'zip'),
    );
  }
  if (hasBytes(b, 257, 'ustar')) {
    out.push(archive('tar.ustar', tarChecksumOk(b) ? 0.97 : 0.7, 257, 'ustar magic at 257', 'tar'));
  }
  if (hasBytes(b, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))
    out.push(archive('7z.magic', 0.95, 0, '7z signature at 0', '7z'));
  if (hasBytes(b, 0, 'Rar!\x1a\x07')) out.push(archive('rar.magic', 0.95, 0, 'RAR signature at 0', 'rar'));
  if (hasBytes(b, 0, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
    out.push(archive('xz.magic', 0.95, 0, 'xz signature at 0', 'xz'));
  if (hasBytes(b, 0, [0x28, 0xb5, 0x2f, 0xfd]))
    out.push(archive('zstd.magic', 0.9, 0, 'zstd frame magic at 0', 'zst'));
  if (
    hasBytes(b, 0, 'BZh') &&
    byteAt(b, 3) >= 0x31 &&
    byteAt(b, 3) <= 0x39 &&
    hasBytes(b, 4, [0x31, 0x41, 0x59, 0x26, 0x53, 0x59])
  ) {
    out.push(archive('bzip2.magic', 0.95, 0, 'bzip2 stream and block magic at 0', 'bz2'));
  }
  return out;
}

function executable(ruleId: string, conf: number, offset: number, detail: string, hint: string): Detection {
  return detection(ruleId, 'UNKNOWN', conf, offset, detail, { hint, rank: 2, executable: true });
}

function sniffExecutables(head: Head): Detection[] {
  const b = head.bytes;
  const out: Detection[] = [];
  if (hasBytes(b, 0, 'MZ')) {
    const peAt = u32le(b, 0x3c);
    if (peAt !== null && peAt >= 0x40 && hasBytes(b, peAt, 'PE\0\0')) {
      out.push(executable('exec.pe', 0.99, 0, `MZ at 0, PE signature at ${peAt}`, 'pe'));
    } else {
      // DOS MZ header: bytes on last page < 512, header paragraphs >= 2.
      const lastPage = u16le(b, 2);
      const paragraphs = u16le(b, 8);
      if (
        lastPage !== null &&
        paragraphs !== null &&
        lastPage < 512 &&
        paragraphs >= 2 &&
        paragraphs * 16 <= head.totalSize
      ) {
        out.push(executable('exec.mz', 0.8, 0, 'DOS MZ header at 0', 'pe'));
      }
    }
  }
  if (hasBytes(b, 0, '\x7fELF')) {
    const valid = [1, 2].includes(byteAt(b, 4)) && [1, 2].includes(byteAt(b, 5)) && byteAt(b, 6) === 1;
    out.push(executable('exec.elf', valid ? 0.99 : 0.85, 0, 'ELF magic 7F 45 4C 46 at 0', 'elf'));
  }
  const be = u32be(b, 0);
  if (be === 0xfeedface || be === 0xfeedfacf || be === 0xcefaedfe || be === 0xcffaedfe) {
    out.push(executable('exec.mach-o', 0.97, 0, 'Mach-O magic at 0', 'mach-o'));
  }
  if (be === 0xcafebabe) {
    // Fat Mach-O (few architectures) or a Java class file (major version >= 45): both run.
    out.push(executable('exec.cafebabe', 0.9, 0, 'CAFEBABE magic at 0 (fat Mach-O or Java class)', 'mach-o'));
  }
  if (hasBytes(b, 0, '\0asm') && byteAt(b, 4) === 1)
    out.push(executable('exec.wasm', 0.95, 0, 'WebAssembly magic at 0', 'wasm'));
  if (hasBytes(b, 0, '#!/') || hasBytes(b, 0, '#! /'))
    out.push(executable('exec.shebang', 0.9, 0, 'interpreter line #! at 0', 'script'));
  return out;
}

export function sniffBinaries(head: Head): Detection[] {
  return [...sniffExecutables(head), ...sniffArchives(head)];
}
