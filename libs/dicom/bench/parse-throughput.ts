/**
 * parseDicom vs plain dcmjs on the same synthetic 0.5 MB CT slices, same process, same run.
 *
 *   node -r @swc-node/register libs/dicom/bench/parse-throughput.ts [files=400] [rounds=7]
 *
 * Rounds alternate the order of the contenders; the median round is reported. Buffers are
 * generated up front (in memory, no I/O) and each is backed by its own ArrayBuffer, so plain
 * dcmjs gets `buffer.buffer` with no copy, exactly what parseDicom hands it.
 */
import { createHash } from 'node:crypto';
import { data as dcmjsData } from 'dcmjs';
import { parseDicom } from '../src/index';
import { syntheticStudyFiles } from '../src/synthetic';

const files = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 7);

function exact(bytes: Buffer): ArrayBuffer {
  const buffer = bytes.buffer;
  if (bytes.byteOffset !== 0 || bytes.byteLength !== buffer.byteLength || !(buffer instanceof ArrayBuffer)) {
    throw new Error('expected a buffer with its own ArrayBuffer');
  }
  return buffer;
}

const generationStart = process.hrtime.bigint();
const buffers = [...syntheticStudyFiles({ seed: 'bench', modality: 'CT', instances: files })].map(
  (f) => f.bytes,
);
const generationSeconds = Number(process.hrtime.bigint() - generationStart) / 1e9;
const totalBytes = buffers.reduce((n, b) => n + b.length, 0);

type Contender = { name: string; run: (bytes: Buffer) => unknown };
const contenders: Contender[] = [
  { name: 'dcmjs readFile', run: (b) => dcmjsData.DicomMessage.readFile(exact(b)) },
  {
    name: 'dcmjs readFile {noCopy}',
    run: (b) => dcmjsData.DicomMessage.readFile(exact(b), { noCopy: true }),
  },
  {
    name: 'dcmjs readFile {untilTag}',
    run: (b) => dcmjsData.DicomMessage.readFile(exact(b), { untilTag: '7FE00010', noCopy: true }),
  },
  { name: 'parseDicom', run: (b) => parseDicom(b) },
  {
    name: 'sha256 + dcmjs readFile',
    run: (b) => [createHash('sha256').update(b).digest(), dcmjsData.DicomMessage.readFile(exact(b))],
  },
  { name: 'sha256 + parseDicom', run: (b) => [createHash('sha256').update(b).digest(), parseDicom(b)] },
];

const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
for (const c of contenders) for (const b of buffers.slice(0, 50)) c.run(b); // warm-up
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? contenders : [...contenders].reverse();
  for (const c of order) {
    const started = process.hrtime.bigint();
    for (const b of buffers) c.run(b);
    samples.get(c.name)?.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const out = (line: string): boolean => process.stdout.write(`${line}\n`);
out(
  `node ${process.version}, ${files} files × ${(totalBytes / files / 1e6).toFixed(3)} MB, ${rounds} rounds (median)`,
);
out(
  `generation: ${(files / generationSeconds).toFixed(0)} files/s (${(totalBytes / generationSeconds / 1e6).toFixed(0)} MB/s)`,
);
const baseline = median(samples.get('dcmjs readFile') ?? []);
for (const c of contenders) {
  const seconds = median(samples.get(c.name) ?? []);
  out(
    `${c.name.padEnd(26)} ${(files / seconds).toFixed(0).padStart(6)} files/s ${(totalBytes / seconds / 1e6)
      .toFixed(0)
      .padStart(6)} MB/s  ${(seconds / baseline).toFixed(2)}× dcmjs readFile time`,
  );
}
