/** State of a document published in increasing versions (a policy, a taxonomy). */
export type VersionedDocumentState<Data extends { readonly version: number }> =
  | { readonly status: 'unpublished' }
  | {
      readonly status: 'published';
      readonly latest: Data;
      /** Every published version number, ascending. */
      readonly versions: readonly number[];
    };

/** Folds one published version in; a version not above the latest (a replay) changes nothing. */
export function publishVersion<Data extends { readonly version: number }>(
  state: VersionedDocumentState<Data>,
  data: Data,
): VersionedDocumentState<Data> {
  if (state.status === 'published' && data.version <= state.latest.version) return state;
  return {
    status: 'published',
    latest: data,
    versions: state.status === 'published' ? [...state.versions, data.version] : [data.version],
  };
}
