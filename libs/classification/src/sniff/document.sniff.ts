import { firstLines, type Head } from './bytes';
import { detection, type Detection } from './signal';

/** PDF readers accept the header anywhere in the first 1024 bytes (PDF 32000-1 §7.5.2, implementation note). */
const PDF_WINDOW = 1024;
const PDF_HEADER = /%PDF-[0-9]\.[0-9]/;

function sniffPdf(head: Head): Detection[] {
  const m = PDF_HEADER.exec(head.latin1.slice(0, PDF_WINDOW + 8));
  if (m === null || m.index >= PDF_WINDOW) return [];
  return [
    detection('pdf.header', 'PDF', m.index === 0 ? 0.99 : 0.85, m.index, `%PDF- header at ${m.index}`, {
      hint: 'pdf',
      rank: 2,
    }),
  ];
}

const DELIMITERS: readonly { readonly char: string; readonly hint: string }[] = [
  { char: ',', hint: 'csv' },
  { char: '\t', hint: 'tsv' },
  { char: ';', hint: 'csv' },
];

/** Delimited text: the same number of delimiters on every one of the first lines. */
function sniffDelimited(head: Head): Detection[] {
  const lines = firstLines(head, 20).filter((l) => l.trim() !== '');
  if (lines.length < 3) return [];
  for (const { char, hint } of DELIMITERS) {
    const counts = lines.map((l) => l.split(char).length - 1);
    const [n = 0] = counts;
    if (n >= 1 && counts.every((c) => c === n) && (n >= 2 || lines.length >= 5)) {
      return [
        detection(
          'text.delimited',
          'PLAIN_TEXT',
          0.8,
          0,
          `${lines.length} lines with ${n + 1} delimited fields each`,
          { hint, rank: 1 },
        ),
      ];
    }
  }
  return [];
}

/** Plain text: UTF-8 without NUL and with under 1% control characters. The fallback text claim. */
function sniffText(head: Head): Detection[] {
  if (!head.isText) return [];
  return [
    detection('text.utf8', 'PLAIN_TEXT', 0.9, 0, 'UTF-8 text, no NUL, under 1% control characters', {
      hint: 'text',
      rank: 0,
    }),
    ...sniffDelimited(head),
  ];
}

export function sniffDocuments(head: Head): Detection[] {
  return [...sniffPdf(head), ...sniffText(head)];
}
