export {
  SYNTHETIC_PRIVATE_CREATOR,
  SYNTHETIC_UID_ROOT,
  syntheticAnswerKey,
  syntheticStudy,
  syntheticStudyFiles,
  type PlantedIdentifier,
  type SyntheticAnswerKey,
  type SyntheticFile,
  type SyntheticInstance,
  type SyntheticModality,
  type SyntheticPatient,
  type SyntheticSeries,
  type SyntheticStudy,
  type SyntheticStudyOptions,
  type SyntheticTransferSyntax,
} from './study';
export {
  brokenDicomSamples,
  edgeCaseDicomSamples,
  type BrokenDicomSample,
  type EdgeCaseDicomSample,
} from './samples';
export { seededRandom } from './random';
