export * from './errors';
export * from './limits';
export { parseDicom, type ParsedDicom, type ParseDicomOptions } from './parse';
export { pseudonymizeUid, toDicomAttributes, studyYearOf, isDicomStandardUid } from './pseudonymize';
export {
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  isValidUid,
} from './part10';
export { IDENTIFYING_TAGS } from './identity';
