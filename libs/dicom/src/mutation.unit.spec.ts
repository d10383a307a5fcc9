import { DicomRejectedError, parseDicom, type DicomRejectionCode } from './index';
import { seededRandom, syntheticStudy, type SyntheticTransferSyntax } from './synthetic';
import { silenceDcmjs } from './testing/silence-dcmjs';

/**
 * B1: 1,000 deterministic mutations of valid files. Each must parse or throw DicomRejectedError:
 * never another error type, never a hang (jest's timeout), never unbounded memory. Timing is
 * reported, not asserted.
 */

const MUTATIONS = 1000;
const INTERESTING_U32 = [
  0, 1, 2, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe, 0xffffffff,
];
const VR_CODES = ['UN', 'SQ', 'OB', 'OW', 'UT', 'US', 'FD', 'XX', '\0\0'];

type Outcome = 'parsed' | DicomRejectionCode;

interface Base {
  readonly name: string;
  readonly bytes: Buffer;
  /** Mutations mostly target the header (everything before the pixel values). */
  readonly headerEnd: number;
}

function base(transferSyntax: SyntheticTransferSyntax): Base {
  const file = syntheticStudy({
    seed: `mutation-${transferSyntax}`,
    modality: 'CT',
    instances: 1,
    rows: 32,
    cols: 32,
    transferSyntax,
  }).files[0];
  if (file === undefined) throw new Error('no synthetic file');
  const pixels = transferSyntax === 'deflated' ? 0 : 32 * 32 * 2;
  return { name: transferSyntax, bytes: file.bytes, headerEnd: file.bytes.length - pixels };
}

function mutate(source: Base, random: () => number): { kind: string; bytes: Buffer } {
  const pick = (n: number): number => Math.floor(random() * n);
  const at = (): number => (random() < 0.85 ? pick(source.headerEnd) : pick(source.bytes.length));
  const bytes = Buffer.from(source.bytes);
  switch (pick(7)) {
    case 0: {
      const n = 1 + pick(4);
      for (let i = 0; i < n; i++) bytes[at()] = pick(256);
      return { kind: 'byte-flips', bytes };
    }
    case 1: {
      const offset = Math.min(at(), bytes.length - 4);
      bytes.writeUInt32LE(INTERESTING_U32[pick(INTERESTING_U32.length)] ?? 0, offset);
      return { kind: 'u32-le', bytes };
    }
    case 2: {
      const offset = Math.min(at(), bytes.length - 2);
      bytes.writeUInt16LE((INTERESTING_U32[pick(INTERESTING_U32.length)] ?? 0) & 0xffff, offset);
      return { kind: 'u16-le', bytes };
    }
    case 3:
      return { kind: 'truncation', bytes: bytes.subarray(0, at()) };
    case 4: {
      const offset = Math.min(at(), bytes.length - 2);
      bytes.write(VR_CODES[pick(VR_CODES.length)] ?? 'UN', offset, 'latin1');
      return { kind: 'vr-swap', bytes };
    }
    case 5: {
      const from = at();
      const length = 1 + pick(64);
      return {
        kind: 'deletion',
        bytes: Buffer.concat([bytes.subarray(0, from), bytes.subarray(from + length)]),
      };
    }
    default: {
      const from = at();
      const chunk = bytes.subarray(at(), at() + 1 + pick(64));
      return {
        kind: 'insertion',
        bytes: Buffer.concat([bytes.subarray(0, from), chunk, bytes.subarray(from)]),
      };
    }
  }
}

beforeAll(silenceDcmjs);

describe('mutation fuzzing (1,000 mutated files)', () => {
  it('every mutation parses or is rejected with DicomRejectedError, within a loose memory bound', () => {
    const bases = [base('explicit-little'), base('implicit-little'), base('deflated')];
    const weights = [0.6, 0.25, 0.15];
    const random = seededRandom(0x5eed);
    const outcomes = new Map<Outcome, number>();
    const failures: string[] = [];
    let slowest = { ms: 0, what: '' };
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;

    for (let i = 0; i < MUTATIONS; i++) {
      const r = random();
      const source =
        r < (weights[0] ?? 0) ? bases[0] : r < (weights[0] ?? 0) + (weights[1] ?? 0) ? bases[1] : bases[2];
      if (source === undefined) throw new Error('no base');
      const { kind, bytes } = mutate(source, random);
      const started = process.hrtime.bigint();
      let outcome: Outcome;
      try {
        parseDicom(bytes);
        outcome = 'parsed';
      } catch (error) {
        if (error instanceof DicomRejectedError) outcome = error.code;
        else {
          failures.push(
            `#${i} ${source.name}/${kind}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
          );
          continue;
        }
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (ms > slowest.ms) slowest = { ms, what: `#${i} ${source.name}/${kind} → ${outcome}` };
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (i % 50 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    }
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);

    console.info(
      [
        `mutation fuzzing: ${MUTATIONS} inputs`,
        `outcomes ${JSON.stringify(Object.fromEntries([...outcomes].sort()))}`,
        `slowest parse ${slowest.ms.toFixed(1)} ms (${slowest.what})`,
        `RSS growth ${((rssPeak - rssBefore) / 2 ** 20).toFixed(1)} MiB`,
      ].join('\n'),
    );
    expect(failures).toEqual([]);
    expect(outcomes.get('parsed') ?? 0).toBeGreaterThan(0);
    expect(rssPeak - rssBefore).toBeLessThan(256 * 2 ** 20);
  });
});
