import { CANARY } from './genomics.samples';
import { utf8 } from './writer';

/** A dictated clinical note as plain UTF-8 text. */
export const clinicalNote = (): Uint8Array =>
  utf8(
    [
      'RADIOLOGY REPORT (synthetic)',
      '',
      `Patient: ${CANARY} PATIENT    MRN: ZZ0000001    DOB: 01/01/1970`,
      'Exam: CT chest without contrast.',
      '',
      'Findings: No focal consolidation. A 4 mm nodule in the right upper lobe is unchanged',
      'from the prior study. No pleural effusion. Heart size is normal.',
      '',
      'Impression: Stable 4 mm pulmonary nodule; no follow-up imaging is required.',
      '',
      'Dictated by Dr Example — electronically signed.',
      '',
    ].join('\n'),
  );

/**
 * A minimal valid PDF 1.4: catalog, page tree, one page with one Helvetica text line, and an
 * exact cross-reference table. The binary comment on line 2 marks the file as binary, as real
 * writers do.
 */
export function pdf(text = `Radiology report (synthetic) for ${CANARY} PATIENT`): Uint8Array {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 12 Tf 72 720 Td (${escaped}) Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
