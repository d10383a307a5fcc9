import { firstLines, type Head } from './bytes';
import { detection, type Detection } from './signal';

/*
 * EHR formats: HL7 v2 (ER7, optionally MLLP-framed), FHIR JSON / NDJSON (Bulk Data) / XML,
 * and CDA R2 / C-CDA. JSON and XML that are neither are reported as kinds of plain text.
 */

const MLLP_START = 0x0b;
const ALNUM_OR_SPACE = /[A-Za-z0-9\s]/;
const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

/** Byte offset after an optional UTF-8 byte order mark and whitespace. */
function contentStart(text: string): number {
  let i = text.startsWith('\xef\xbb\xbf') ? 3 : 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n'))
    i++;
  return i;
}

/** HL7 v2: `MSH` (or batch `FHS`/`BHS`), field separator, 3-5 distinct encoding characters, separator. */
function sniffHl7(head: Head): Detection[] {
  const s = head.latin1;
  const mllp = s.charCodeAt(0) === MLLP_START;
  const at = mllp ? 1 : 0;
  const segment = s.slice(at, at + 3);
  if (segment !== 'MSH' && segment !== 'FHS' && segment !== 'BHS') return [];
  const fs = s.charAt(at + 3);
  if (fs === '' || ALNUM_OR_SPACE.test(fs) || fs.charCodeAt(0) < 0x21 || fs.charCodeAt(0) > 0x7e) return [];
  const encEnd = s.indexOf(fs, at + 4);
  const enc = encEnd < 0 ? '' : s.slice(at + 4, encEnd);
  if (enc.length < 3 || enc.length > 5 || new Set(enc).size !== enc.length) return [];
  for (const c of enc) {
    if (ALNUM_OR_SPACE.test(c) || c.charCodeAt(0) < 0x21 || c.charCodeAt(0) > 0x7e) return [];
  }
  // A second segment after a \r (or \n, \r\n in files that were edited) confirms the framing.
  const end = s.slice(at, at + 4096).search(/[\r\n]/);
  let next = end < 0 ? -1 : at + end;
  while (next >= 0 && (s[next] === '\r' || s[next] === '\n')) next++;
  const second = next >= 0 && SEGMENT_ID.test(s.slice(next, next + 3)) && s.charAt(next + 3) === fs;
  const what = `${segment} segment with field separator and ${enc.length} encoding characters at ${at}`;
  return [
    detection(
      mllp ? 'hl7v2.mllp' : segment === 'MSH' ? 'hl7v2.msh' : 'hl7v2.batch',
      'HL7V2',
      second ? 0.97 : 0.85,
      at,
      `${mllp ? 'MLLP start block 0x0B at 0, ' : ''}${what}${second ? ', next segment follows' : ''}`,
      { hint: mllp ? 'hl7v2-mllp' : 'hl7v2', rank: 2 },
    ),
  ];
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const RESOURCE_TYPE_KEY = /"resourceType"\s*:\s*"([A-Za-z]+)"/;

type Parsed = 'resource' | 'json' | 'invalid';

function parseJson(text: string): Parsed {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'resourceType' in value) {
      const { resourceType } = value;
      return typeof resourceType === 'string' && RESOURCE_TYPE.test(resourceType) ? 'resource' : 'json';
    }
    return 'json';
  } catch {
    return 'invalid';
  }
}

/** FHIR JSON (one resource), FHIR NDJSON (one resource per line), or other JSON. */
function sniffJson(head: Head): Detection[] {
  if (!head.isText) return [];
  const s = head.latin1;
  const start = contentStart(s);
  const first = s[start];
  if (first !== '{' && first !== '[') return [];
  const lines = firstLines(head, 64)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (first === '{' && lines.length >= 1 && lines.every((l) => l.startsWith('{'))) {
    const parsed: Parsed[] = [];
    for (const line of lines) {
      const p = parseJson(line);
      parsed.push(p);
      if (p === 'invalid') break; // pretty-printed JSON: no need to try every line
    }
    const firstNl = s.indexOf('\n', start);
    const moreFollows =
      firstNl >= 0 &&
      s
        .slice(firstNl + 1)
        .trimStart()
        .startsWith('{');
    if (parsed.every((p) => p === 'resource') && (lines.length >= 2 || moreFollows)) {
      return [
        detection(
          'fhir.ndjson',
          'FHIR_NDJSON',
          lines.length >= 2 ? 0.95 : 0.85,
          start,
          `${lines.length} line(s) each one JSON object with resourceType`,
          {
            hint: 'fhir+ndjson',
            rank: 2,
          },
        ),
      ];
    }
    if (parsed.every((p) => p !== 'invalid') && lines.length >= 2) {
      return [
        detection('text.ndjson', 'PLAIN_TEXT', 0.85, start, 'newline-delimited JSON objects', {
          hint: 'ndjson',
          rank: 1,
        }),
      ];
    }
  }
  const whole = head.complete ? parseJson(s.slice(start)) : 'invalid';
  if (whole === 'resource') {
    return [
      detection('fhir.json', 'FHIR_JSON', 0.97, start, 'JSON object with a resourceType', {
        hint: 'fhir+json',
        rank: 2,
      }),
    ];
  }
  const key = first === '{' ? RESOURCE_TYPE_KEY.exec(s.slice(start, start + 4096)) : null;
  if (key?.[1] !== undefined && RESOURCE_TYPE.test(key[1])) {
    const offset = start + key.index;
    // A complete object that is not valid JSON is only a hint; a cut-off one may be valid.
    return [
      detection(
        'fhir.json',
        'FHIR_JSON',
        head.complete ? 0.6 : 0.88,
        offset,
        head.complete
          ? 'resourceType key in text that is not valid JSON'
          : `JSON object with a resourceType key at ${offset}`,
        { hint: 'fhir+json', rank: 2 },
      ),
    ];
  }
  if (whole === 'json' || (!head.complete && /^[{[]\s*["{[\]}]/.test(s.slice(start, start + 64)))) {
    return [detection('text.json', 'PLAIN_TEXT', 0.85, start, 'JSON value', { hint: 'json', rank: 1 })];
  }
  return [];
}

const ROOT_TAG = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)(\s[^<>]*)?\/?>/;
const XML_LOOKAHEAD = 16 * 1024;

/** The root element's prefix, local name and attributes, skipping the XML declaration, comments and DOCTYPE. */
function xmlRoot(
  s: string,
  from: number,
): { prefix: string; name: string; attributes: string; at: number } | null {
  let i = from;
  for (let steps = 0; steps < 64 && i < Math.min(s.length, XML_LOOKAHEAD); steps++) {
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i);
      if (end < 0) return null;
      i = end + 2;
    } else if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i);
      if (end < 0) return null;
      i = end + 3;
    } else if (s.startsWith('<!', i)) {
      const end = s.indexOf('>', i);
      if (end < 0) return null;
      i = end + 1;
    } else {
      const m = ROOT_TAG.exec(s.slice(i, i + 4096));
      if (m === null || m[2] === undefined) return null;
      return { prefix: m[1] ?? '', name: m[2], attributes: m[3] ?? '', at: i };
    }
  }
  return null;
}

function declaresNamespace(attributes: string, prefix: string, uri: string): boolean {
  const attr = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  const escaped = uri.replace(/[.]/g, '\\.');
  return new RegExp(`(^|\\s)${attr}\\s*=\\s*["']${escaped}["']`).test(attributes);
}

const CCDA_US_REALM_HEADER =
  /<(?:[\w.-]+:)?templateId\b[^>]*\broot\s*=\s*["']2\.16\.840\.1\.113883\.10\.20\.22\.1\.1["']/;
const CDA_TYPE_ID = /\bextension\s*=\s*["']POCD_HD000040["']/;

/** FHIR XML (namespace http://hl7.org/fhir), CDA / C-CDA (ClinicalDocument in urn:hl7-org:v3), or other XML. */
function sniffXml(head: Head): Detection[] {
  const s = head.latin1;
  const start = contentStart(s);
  if (s[start] !== '<') return [];
  const root = xmlRoot(s, start);
  if (root === null) return [];
  if (declaresNamespace(root.attributes, root.prefix, 'http://hl7.org/fhir')) {
    return [
      detection(
        'fhir.xml',
        'FHIR_XML',
        0.95,
        root.at,
        `root element in namespace http://hl7.org/fhir at ${root.at}`,
        {
          hint: 'fhir+xml',
          rank: 2,
        },
      ),
    ];
  }
  if (root.name === 'ClinicalDocument' && declaresNamespace(root.attributes, root.prefix, 'urn:hl7-org:v3')) {
    const out = [
      detection(
        'cda.clinical-document',
        'CCDA',
        0.9,
        root.at,
        `ClinicalDocument root in urn:hl7-org:v3 at ${root.at}`,
        {
          hint: 'cda',
          rank: 2,
        },
      ),
    ];
    const lookahead = s.slice(root.at, root.at + XML_LOOKAHEAD);
    const typeId = CDA_TYPE_ID.exec(lookahead);
    if (typeId !== null) {
      out.push(
        detection('cda.type-id', 'CCDA', 0.92, root.at + typeId.index, 'typeId extension POCD_HD000040', {
          hint: 'cda',
          rank: 2,
        }),
      );
    }
    const template = CCDA_US_REALM_HEADER.exec(lookahead);
    if (template !== null) {
      out.push(
        detection(
          'ccda.us-realm-header',
          'CCDA',
          0.97,
          root.at + template.index,
          'templateId 2.16.840.1.113883.10.20.22.1.1 (US Realm Header)',
          {
            hint: 'ccda',
            rank: 3,
          },
        ),
      );
    }
    return out;
  }
  return head.isText
    ? [detection('text.xml', 'PLAIN_TEXT', 0.85, root.at, 'XML root element', { hint: 'xml', rank: 1 })]
    : [];
}

export function sniffEhr(head: Head): Detection[] {
  return [...sniffHl7(head), ...sniffJson(head), ...sniffXml(head)];
}
