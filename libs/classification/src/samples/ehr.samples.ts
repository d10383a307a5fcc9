import { CANARY } from './genomics.samples';
import { utf8 } from './writer';

/*
 * Synthetic EHR content. Every identifier is fake and carries the canary (ZZCANARY), so a test
 * can prove that no identifier reaches a signal, an event or a log line.
 */

const PATIENT = {
  family: CANARY,
  given: 'PATIENT',
  mrn: 'ZZ0000001',
  birthDate: '1970-01-01',
  phone: '555-0100',
} as const;

const segments = (...lines: readonly string[]): Uint8Array => utf8(`${lines.join('\r')}\r`);

/** HL7 v2.5.1 ADT^A01 (admit), segments separated by CR. */
export const hl7Adt = (): Uint8Array =>
  segments(
    'MSH|^~\\&|SIM-ADT|SIM-HOSP|MEDLINEAGE|MEDLINEAGE|20261120091500||ADT^A01^ADT_A01|MSG00001|P|2.5.1',
    'EVN|A01|20261120091500',
    `PID|1||${PATIENT.mrn}^^^SIM-HOSP^MR||${PATIENT.family}^${PATIENT.given}||19700101|U|||1 CANARY WAY^^SIMTOWN^^00000||${PATIENT.phone}`,
    'PV1|1|I|WARD1^101^A|||||||MED||||||||V0000001',
  );

/** HL7 v2.5.1 ORU^R01 (lab result) with an OBX and a free-text NTE. */
export const hl7Oru = (): Uint8Array =>
  segments(
    'MSH|^~\\&|SIM-LAB|SIM-HOSP|MEDLINEAGE|MEDLINEAGE|20261120101500||ORU^R01^ORU_R01|MSG00002|P|2.5.1',
    `PID|1||${PATIENT.mrn}^^^SIM-HOSP^MR||${PATIENT.family}^${PATIENT.given}||19700101|U`,
    'OBR|1||LAB0001|718-7^Hemoglobin [Mass/volume] in Blood^LN|||20261120093000',
    'OBX|1|NM|718-7^Hemoglobin [Mass/volume] in Blood^LN||13.2|g/dL|12.0-16.0|N|||F',
    `NTE|1||Sample drawn by nurse; patient ${PATIENT.family} fasting.`,
  );

/** MLLP framing (HL7 v2 minimal lower layer protocol): VT, message, FS, CR. */
export const mllp = (message: Uint8Array): Uint8Array => {
  const out = new Uint8Array(message.length + 3);
  out[0] = 0x0b;
  out.set(message, 1);
  out[message.length + 1] = 0x1c;
  out[message.length + 2] = 0x0d;
  return out;
};

const patientResource = {
  resourceType: 'Patient',
  id: 'sim-patient-1',
  identifier: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: PATIENT.mrn }],
  name: [{ family: PATIENT.family, given: [PATIENT.given] }],
  telecom: [{ system: 'phone', value: PATIENT.phone }],
  gender: 'unknown',
  birthDate: PATIENT.birthDate,
};

const observationResource = (id: string, value: number) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: {
    coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood' }],
  },
  subject: { reference: 'Patient/sim-patient-1' },
  effectiveDateTime: '2026-11-20T09:30:00Z',
  valueQuantity: { value, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
});

/** FHIR R4 Patient, pretty-printed JSON. */
export const fhirPatientJson = (): Uint8Array => utf8(`${JSON.stringify(patientResource, null, 2)}\n`);

/** FHIR R4 Observation, pretty-printed JSON. */
export const fhirObservationJson = (): Uint8Array =>
  utf8(`${JSON.stringify(observationResource('sim-obs-1', 13.2), null, 2)}\n`);

/** FHIR Bulk Data export: one resource per line (application/fhir+ndjson). */
export const fhirNdjson = (): Uint8Array =>
  utf8(
    [patientResource, observationResource('sim-obs-1', 13.2), observationResource('sim-obs-2', 12.8)]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );

/** FHIR R4 Patient as XML. */
export const fhirPatientXml = (): Uint8Array =>
  utf8(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Patient xmlns="http://hl7.org/fhir">',
      '  <id value="sim-patient-1"/>',
      `  <identifier><system value="urn:oid:2.16.840.1.113883.19.5"/><value value="${PATIENT.mrn}"/></identifier>`,
      `  <name><family value="${PATIENT.family}"/><given value="${PATIENT.given}"/></name>`,
      `  <birthDate value="${PATIENT.birthDate}"/>`,
      '</Patient>',
      '',
    ].join('\n'),
  );

/** C-CDA R2.1 Continuity of Care Document: US Realm Header, one narrative section. */
export const ccda = (): Uint8Array =>
  utf8(
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>',
      '<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:sdtc="urn:hl7-org:sdtc" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
      '  <realmCode code="US"/>',
      '  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>',
      '  <templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>',
      '  <templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>',
      '  <id root="2.16.840.1.113883.19.5.99999.1" extension="SIM-DOC-1"/>',
      '  <code code="34133-9" codeSystem="2.16.840.1.113883.6.1" displayName="Summary of episode note"/>',
      '  <title>Continuity of Care Document (synthetic)</title>',
      '  <effectiveTime value="20261120091500+0000"/>',
      '  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>',
      '  <recordTarget><patientRole>',
      `    <id root="2.16.840.1.113883.19.5" extension="${PATIENT.mrn}"/>`,
      `    <patient><name><given>${PATIENT.given}</given><family>${PATIENT.family}</family></name>`,
      '      <administrativeGenderCode code="UN" codeSystem="2.16.840.1.113883.5.1"/>',
      '      <birthTime value="19700101"/></patient>',
      '  </patientRole></recordTarget>',
      '  <component><structuredBody><component><section>',
      '    <templateId root="2.16.840.1.113883.10.20.22.2.10" extension="2014-06-09"/>',
      '    <code code="18776-5" codeSystem="2.16.840.1.113883.6.1" displayName="Plan of care note"/>',
      '    <title>Plan of Care</title>',
      `    <text>Follow up in two weeks. ${PATIENT.family} to repeat haemoglobin.</text>`,
      '  </section></component></structuredBody></component>',
      '</ClinicalDocument>',
      '',
    ].join('\n'),
  );

/** A lab extract as CSV: structured, but not a health standard. */
export const labCsv = (): Uint8Array =>
  utf8(
    [
      'mrn,test_code,test_name,value,unit,collected',
      `${PATIENT.mrn},718-7,Hemoglobin,13.2,g/dL,2026-11-20T09:30:00Z`,
      `${PATIENT.mrn},2345-7,Glucose,5.4,mmol/L,2026-11-20T09:30:00Z`,
      `${PATIENT.mrn},2160-0,Creatinine,71,umol/L,2026-11-20T09:30:00Z`,
      '',
    ].join('\n'),
  );
