/**
 * Worst cases the default limits still admit: one crafted input per guard, just under its limit,
 * plus one that sits under all of them at once. Each case runs in a fresh child process so its
 * peak RSS is its own.
 *
 *   node -r @swc-node/register libs/dicom/bench/guard-worst-case.ts
 */
import { spawnSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { DEFAULT_DICOM_LIMITS, DicomRejectedError, parseDicom } from '../src/index';
import {
  ENC_EXPLICIT_LE as E,
  ENC_IMPLICIT_LE as I,
  concat,
  element,
  item,
  part10,
  sequence,
} from '../src/synthetic/encoder';

const MiB = 1024 * 1024;
const EXPLICIT = '1.2.840.10008.1.2.1';
const IMPLICIT = '1.2.840.10008.1.2';
const L = DEFAULT_DICOM_LIMITS;

function head(enc = E): Uint8Array[] {
  return [
    element(enc, 0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7'),
    element(enc, 0x00080018, 'UI', '2.25.5'),
  ];
}

function privateElements(count: number, vr: string, value: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const group = 0x0009 + 2 * Math.floor(i / 0xef00);
    out.push(element(E, ((group << 16) | (0x1000 + (i % 0xef00))) >>> 0, vr, value));
  }
  return out;
}

function nestedUndefined(depth: number, inner: Uint8Array): Uint8Array {
  let value = inner;
  for (let i = 0; i < depth; i++) value = sequence(E, 0x00400275, [item(E, [value])]);
  return value;
}

const CASES: Record<string, () => Uint8Array> = {
  'values: 4 MiB of one-byte DS values (implicit VR)': () => {
    const n = L.maxValueBytes - 4096;
    const ds = new Uint8Array(n);
    for (let i = 0; i < n; i += 2) {
      ds[i] = 0x31;
      ds[i + 1] = 0x5c;
    }
    ds[n - 1] = 0x20;
    return part10(IMPLICIT, concat([...head(I), element(I, 0x00180050, 'DS', ds)]));
  },
  'values: 4 MiB of ASCII (UR, read char by char)': () =>
    part10(
      EXPLICIT,
      concat([...head(), element(E, 0x00080120, 'UR', new Uint8Array(L.maxValueBytes - 4096).fill(0x61))]),
    ),
  'elements: 99,990 private SH elements': () =>
    part10(EXPLICIT, concat([...head(), ...privateElements(L.maxElements - 10, 'SH', 'A')])),
  'items: 19,990 undefined-length items': () => {
    const one = item(E, [element(E, 0x00080100, 'SH', 'Z')]);
    return part10(
      EXPLICIT,
      concat([
        ...head(),
        sequence(
          E,
          0x00081140,
          Array.from({ length: L.maxItems - 10 }, () => one),
        ),
      ]),
    );
  },
  'nested: 31 MiB OB in one undefined-length item': () =>
    part10(
      EXPLICIT,
      concat([
        ...head(),
        nestedUndefined(1, element(E, 0x00091010, 'OB', new Uint8Array(L.maxNestedBytes - MiB))),
      ]),
    ),
  'nested: 1 MiB OB under 31 undefined-length items': () =>
    part10(
      EXPLICIT,
      concat([...head(), nestedUndefined(31, element(E, 0x00091010, 'OB', new Uint8Array(MiB - 4096)))]),
    ),
  'whitespace: one 9,999-space run in LT': () => {
    const text = new Uint8Array(10_002).fill(0x20);
    text[9_999] = 0x78;
    return part10(EXPLICIT, concat([...head(), element(E, 0x00204000, 'LT', text)]));
  },
  'deflate: 63 MiB of zeros inflated': () =>
    part10('1.2.840.10008.1.2.1.99', deflateRawSync(new Uint8Array(L.maxInflatedBytes - MiB))),
  'size: 255 MiB Pixel Data': () =>
    part10(EXPLICIT, concat([...head(), element(E, 0x7fe00010, 'OW', new Uint8Array(L.maxBytes - MiB))])),
  'combined: 80k elements, 15k items, 3 MiB values, 24 MiB nested': () => {
    const one = item(E, [element(E, 0x00080100, 'SH', 'Z')]);
    const ds = new Uint8Array(3 * MiB);
    for (let i = 0; i < ds.length; i += 2) {
      ds[i] = 0x31;
      ds[i + 1] = 0x5c;
    }
    ds[ds.length - 1] = 0x20;
    return part10(
      EXPLICIT,
      concat([
        ...head(),
        sequence(
          E,
          0x00081140,
          Array.from({ length: 15_000 }, () => one),
        ),
        ...privateElements(80_000, 'SH', 'A').slice(0, 64_000),
        element(E, 0x00190000 | 0x1000, 'UC', ds),
        ...Array.from({ length: 16_000 }, (_, i) => element(E, (0x00230000 | (0x1000 + i)) >>> 0, 'SH', 'A')),
        nestedUndefined(1, element(E, 0x00211010, 'OB', new Uint8Array(24 * MiB))),
      ]),
    );
  },
};

function runCase(name: string): void {
  const build = CASES[name];
  if (build === undefined) throw new Error(`unknown case ${name}`);
  const bytes = build();
  const rssBefore = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  let outcome: string;
  try {
    const parsed = parseDicom(bytes);
    outcome = `parsed (${parsed.elementCount} elements)`;
  } catch (error) {
    outcome = error instanceof DicomRejectedError ? error.message : `THREW ${String(error)}`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    `${JSON.stringify({ name, mb: bytes.length / 1e6, ms, rssBeforeMiB: rssBefore / MiB, peakRssMiB: peak / MiB, outcome })}\n`,
  );
}

const only = process.argv[2];
if (only !== undefined) {
  runCase(only);
} else {
  for (const name of Object.keys(CASES)) {
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, name], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    try {
      const r = JSON.parse(line) as {
        mb: number;
        ms: number;
        rssBeforeMiB: number;
        peakRssMiB: number;
        outcome: string;
      };
      process.stdout.write(
        `${name.padEnd(62)} ${r.mb.toFixed(1).padStart(6)} MB ${r.ms.toFixed(0).padStart(6)} ms  peak RSS ${r.peakRssMiB.toFixed(0).padStart(5)} MiB (input built: ${r.rssBeforeMiB.toFixed(0)} MiB)  ${r.outcome}\n`,
      );
    } catch {
      process.stdout.write(`${name}: child failed: ${child.stderr.slice(0, 300)}\n`);
    }
  }
}
