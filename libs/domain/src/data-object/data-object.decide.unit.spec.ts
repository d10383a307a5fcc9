import { given } from '../testing/given-when-then';
import {
  AT,
  DERIVED_ID,
  OBJECT_ID,
  OTHER_SHA256,
  RETAIN_UNTIL,
  REVIEW_ID,
  TAXONOMY,
  changeTier,
  classificationAttributes,
  classifyObject,
  createDerivedObject,
  curator,
  daysAfter,
  deidentifyObject,
  derivedObjectCreated,
  disposeObject,
  expireRetention,
  holdPlaced,
  holdReleased,
  ingestObject,
  objectAccessDenied,
  objectAccessed,
  objectClassified,
  objectDeidentified,
  objectDisposed,
  objectIngested,
  objectRejected,
  placeHold,
  recordAccess,
  rejectObject,
  releaseHold,
  resolveReview,
  retentionExpired,
  reviewRequested,
  reviewResolved,
  tierChanged,
} from '../testing/data-object.fixtures';
import { dataObjectDecider } from './data-object.decider';
import type { DataObjectEvent } from './data-object.events';

const when = (history: readonly DataObjectEvent[]) => given(dataObjectDecider, history);

const ingested = [objectIngested()];
const classified = [...ingested, objectClassified()];
const deidentified = [...classified, objectDeidentified()];
const underReview = [...ingested, reviewRequested()];
const quarantined = [...underReview, reviewResolved({ outcome: 'QUARANTINED' })];
const expired = [...classified, retentionExpired()];
const disposed = [...expired, objectDisposed()];

describe('data object decider', () => {
  describe('When absent', () => {
    it('ingests an object', () => {
      when([]).when(ingestObject()).then([objectIngested()]);
    });

    it('rejects a request with a reason code', () => {
      when([]).when(rejectObject()).then([objectRejected()]);
    });

    it('creates a derived object from available sources, inheriting their subjects once each', () => {
      when([])
        .when(
          createDerivedObject({
            sources: [
              { objectId: OBJECT_ID, status: 'classified', subjectIds: ['subb', 'suba'] },
              { objectId: 'c4b1f0de-0000-4000-8000-000000000001', status: 'stored', subjectIds: ['suba'] },
            ],
          }),
        )
        .then([
          derivedObjectCreated({
            derivedFrom: [OBJECT_ID, 'c4b1f0de-0000-4000-8000-000000000001'],
            subjectIds: ['suba', 'subb'],
          }),
        ]);
    });

    it.each(['disposed', 'quarantined', 'rejected', 'absent'] as const)(
      'refuses to derive from a %s source',
      (status) => {
        when([])
          .when(createDerivedObject({ sources: [{ objectId: OBJECT_ID, status, subjectIds: [] }] }))
          .thenThrows('object.derivation-source-unavailable');
      },
    );

    it('refuses a derivation without sources or from itself', () => {
      when([])
        .when(createDerivedObject({ sources: [] }))
        .thenThrows('object.derivation-invalid');
      when([])
        .when(
          createDerivedObject({ sources: [{ objectId: DERIVED_ID, status: 'classified', subjectIds: [] }] }),
        )
        .thenThrows('object.derivation-invalid');
    });

    it.each([
      ['ClassifyObject', classifyObject()],
      ['ResolveClassificationReview', resolveReview()],
      ['DeidentifyObject', deidentifyObject()],
      ['ChangeStorageTier', changeTier()],
      ['PlaceLegalHold', placeHold()],
      ['ReleaseLegalHold', releaseHold()],
      ['ExpireRetention', expireRetention()],
      ['DisposeObject', disposeObject()],
    ] as const)('refuses %s on an object never ingested', (_, command) => {
      when([]).when(command).thenThrows('object.not-ingested');
    });

    it('does not audit access to an unknown object (no existence oracle): refuses it', () => {
      when([]).when(recordAccess()).thenThrows('object.not-found');
    });
  });

  describe('When rejected', () => {
    const rejected = [objectRejected()];

    it('treats the same rejection redelivered as done', () => {
      when(rejected).when(rejectObject()).thenNothingHappens();
    });

    it('refuses a rejection for another request', () => {
      when(rejected)
        .when(rejectObject({ requestId: 'c0ffee00-1234-4abc-8def-0123456789ff' }))
        .thenThrows('object.rejection-conflict');
    });

    it('refuses to ingest under a rejected id', () => {
      when(rejected).when(ingestObject()).thenThrows('object.rejected');
    });

    it('refuses to classify', () => {
      when(rejected).when(classifyObject()).thenThrows('object.not-ingested');
    });

    it('audits an access attempt as denied', () => {
      const attempt = recordAccess({ representation: 'ORIGINAL', derivativeObjectId: null });
      when(rejected)
        .when(attempt)
        .then([objectAccessDenied('OBJECT_REJECTED', attempt)]);
    });
  });

  describe('When stored (ingested, not yet classified)', () => {
    it('is idempotent: re-ingesting the same content decides nothing', () => {
      when(ingested)
        .when(ingestObject({ at: daysAfter(1) }))
        .thenNothingHappens();
    });

    it('refuses different content under the same id', () => {
      when(ingested)
        .when(ingestObject({ contentSha256: OTHER_SHA256 }))
        .thenThrows('object.content-conflict');
    });

    it('refuses a late rejection of an accepted object', () => {
      when(ingested).when(rejectObject()).thenThrows('object.already-ingested');
    });

    it('classifies when all strong signals agree', () => {
      when(ingested).when(classifyObject()).then([objectClassified()]);
    });

    it('ignores weak and UNKNOWN signals when strong ones agree', () => {
      when(ingested)
        .when(
          classifyObject({
            signals: [
              { ruleId: 'dicom.magic', dataClass: 'IMAGING', confidence: 0.99 },
              { ruleId: 'text.heuristics', dataClass: 'CLINICAL_NOTE', confidence: 0.4 },
              { ruleId: 'fallback', dataClass: 'UNKNOWN', confidence: 1 },
            ],
          }),
        )
        .then([objectClassified({ matchedRuleIds: ['dicom.magic'] })]);
    });

    it('requests review instead of guessing when strong signals conflict', () => {
      when(ingested)
        .when(
          classifyObject({
            signals: [
              { ruleId: 'dicom.sop-class.encapsulated-pdf', dataClass: 'IMAGING', confidence: 0.9 },
              { ruleId: 'text.report-heuristics', dataClass: 'CLINICAL_NOTE', confidence: 0.85 },
            ],
          }),
        )
        .then([
          reviewRequested({
            reasonCode: 'CONFLICTING_SIGNALS',
            candidateClasses: ['IMAGING', 'CLINICAL_NOTE'],
            signalRuleIds: ['dicom.sop-class.encapsulated-pdf', 'text.report-heuristics'],
            detail:
              'CONFLICTING_SIGNALS: candidates [IMAGING, CLINICAL_NOTE] from rules [dicom.sop-class.encapsulated-pdf, text.report-heuristics]',
          }),
        ]);
    });

    it('requests review when only weak signals exist', () => {
      when(ingested)
        .when(classifyObject({ signals: [{ ruleId: 'vcf.header', dataClass: 'GENOMICS', confidence: 0.5 }] }))
        .then([
          reviewRequested({
            reasonCode: 'LOW_CONFIDENCE',
            candidateClasses: ['GENOMICS'],
            signalRuleIds: ['vcf.header'],
            detail: 'LOW_CONFIDENCE: candidates [GENOMICS] from rules [vcf.header]',
          }),
        ]);
    });

    it('requests review when no rule matched', () => {
      when(ingested)
        .when(classifyObject({ signals: [] }))
        .then([
          reviewRequested({
            reasonCode: 'NO_MATCHING_RULE',
            candidateClasses: [],
            signalRuleIds: [],
            detail: 'NO_MATCHING_RULE: candidates [] from rules []',
          }),
        ]);
    });

    it('refuses de-identification before classification', () => {
      when(ingested).when(deidentifyObject()).thenThrows('object.not-classified');
    });

    it('refuses to expire retention before any retention class is known', () => {
      when(ingested).when(expireRetention()).thenThrows('object.not-classified');
    });

    it('refuses disposal while retention is unknown', () => {
      when(ingested).when(disposeObject()).thenThrows('object.retention-not-expired');
    });

    it('withholds content from research before classification but not metadata or care', () => {
      const research = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'HRESCH',
      });
      when(ingested)
        .when(research)
        .then([objectAccessDenied('NOT_YET_CLASSIFIED', research)]);
      const metadata = recordAccess({
        representation: 'METADATA_ONLY',
        derivativeObjectId: null,
        purposeOfUse: 'HRESCH',
      });
      when(ingested)
        .when(metadata)
        .then([objectAccessed(metadata)]);
      const care = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'ETREAT',
      });
      when(ingested)
        .when(care)
        .then([objectAccessed(care)]);
    });

    it('moves tiers, and a move to the current tier decides nothing', () => {
      when(ingested).when(changeTier()).then([tierChanged()]);
      when(ingested)
        .when(changeTier({ toTier: 'HOT' }))
        .thenNothingHappens();
    });
  });

  describe('When under review', () => {
    it('treats the same evaluation redelivered as done', () => {
      when(underReview)
        .when(classifyObject({ signals: [] }))
        .thenNothingHappens();
    });

    it('refuses a classification under another taxonomy version while the review is pending', () => {
      when(underReview)
        .when(classifyObject({ taxonomy: { ...TAXONOMY, version: TAXONOMY.version + 1 } }))
        .thenThrows('object.review-pending');
    });

    it('resolves to the reviewer’s classification, recorded as a manual one', () => {
      when(underReview)
        .when(resolveReview())
        .then([
          reviewResolved(),
          objectClassified({
            basis: 'MANUAL_REVIEW',
            reviewId: REVIEW_ID,
            dataClass: 'CLINICAL_NOTE',
            matchedRuleIds: [],
          }),
        ]);
    });

    it('quarantines', () => {
      when(underReview)
        .when(
          resolveReview({ outcome: 'QUARANTINED', note: 'unexpected burned-in text', classification: null }),
        )
        .then([reviewResolved({ outcome: 'QUARANTINED', note: 'unexpected burned-in text' })]);
    });

    it('refuses a CLASSIFIED resolution without a classification', () => {
      when(underReview)
        .when(resolveReview({ classification: null }))
        .thenThrows('object.review-classification-missing');
    });

    it('refuses to resolve another review', () => {
      when(underReview)
        .when(resolveReview({ reviewId: '00000000-0000-4000-8000-000000000000' }))
        .thenThrows('object.review-unknown');
    });

    it('refuses de-identification until the review is resolved', () => {
      when(underReview).when(deidentifyObject()).thenThrows('object.review-pending');
    });
  });

  describe('When classified', () => {
    it('treats a re-run under the same taxonomy version as done', () => {
      when(classified).when(classifyObject()).thenNothingHappens();
    });

    it('reclassifies under a newer taxonomy version', () => {
      const v5 = { ...TAXONOMY, version: TAXONOMY.version + 1 };
      when(classified)
        .when(classifyObject({ taxonomy: v5 }))
        .then([objectClassified({ taxonomy: v5 })]);
    });

    it('refuses a classification under an older taxonomy version or another taxonomy', () => {
      when(classified)
        .when(classifyObject({ taxonomy: { ...TAXONOMY, version: TAXONOMY.version - 1 } }))
        .thenThrows('object.classification-stale');
      when(classified)
        .when(classifyObject({ taxonomy: { id: 'other-taxonomy', version: 9 } }))
        .thenThrows('object.taxonomy-mismatch');
    });

    it('refuses to resolve a review that is not pending', () => {
      when(classified).when(resolveReview()).thenThrows('object.no-review-pending');
    });

    it('records a de-identification', () => {
      when(classified).when(deidentifyObject()).then([objectDeidentified()]);
    });

    it('treats the same de-identification redelivered as done', () => {
      when(deidentified).when(deidentifyObject()).thenNothingHappens();
    });

    it('refuses a profile without the PS3.15 basic profile code 113100', () => {
      const profile = { ...deidentifyObject().profile, methodCodes: ['113105'] };
      when(classified)
        .when(deidentifyObject({ profile }))
        .thenThrows('object.deidentification-profile-invalid');
    });

    it('requires Clean Pixel Data (113101) when pixels carry burned-in annotation', () => {
      const { dicom } = classificationAttributes;
      if (dicom === null) throw new Error('fixture must be a DICOM object');
      const burnedIn = [...ingested, objectClassified({ dicom: { ...dicom, burnedInAnnotation: 'YES' } })];
      when(burnedIn).when(deidentifyObject()).thenThrows('object.deidentification-profile-invalid');
      const profile = { ...deidentifyObject().profile, methodCodes: ['113100', '113101'] };
      when(burnedIn)
        .when(deidentifyObject({ profile }))
        .then([objectDeidentified({ profile })]);
    });

    it('refuses an object as its own derivative', () => {
      when(classified)
        .when(deidentifyObject({ derivedObjectId: OBJECT_ID }))
        .thenThrows('object.derivation-invalid');
    });

    it('requires research on PHI-bearing content to use a de-identified derivative', () => {
      const original = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'HRESCH',
      });
      when(deidentified)
        .when(original)
        .then([objectAccessDenied('DEIDENTIFIED_CONTENT_REQUIRED', original)]);
      when(deidentified).when(recordAccess()).then([objectAccessed()]);
    });

    it('serves originals to care and to research on data without PHI', () => {
      const care = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'TREAT',
      });
      when(classified)
        .when(care)
        .then([objectAccessed(care)]);
      const noPhi = [...ingested, objectClassified({ phiBearing: false })];
      const research = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'HRESCH',
      });
      when(noPhi)
        .when(research)
        .then([objectAccessed(research)]);
    });

    it('records no bytes for a metadata-only access', () => {
      const metadata = recordAccess({
        representation: 'METADATA_ONLY',
        derivativeObjectId: null,
        bytesReturned: 99,
      });
      when(classified)
        .when(metadata)
        .then([objectAccessed({ ...metadata, bytesReturned: 0 })]);
    });

    it('refuses a derivative that was never recorded, or one given for a non-derivative access', () => {
      when(classified).when(recordAccess()).thenThrows('object.unknown-derivative');
      when(deidentified)
        .when(recordAccess({ representation: 'ORIGINAL', purposeOfUse: 'TREAT' }))
        .thenThrows('object.unknown-derivative');
    });

    describe('legal holds', () => {
      it('places a hold, and placing it again decides nothing', () => {
        when(classified).when(placeHold()).then([holdPlaced()]);
        when([...classified, holdPlaced()])
          .when(placeHold())
          .thenNothingHappens();
      });

      it('releases an active hold only', () => {
        when([...classified, holdPlaced()])
          .when(releaseHold())
          .then([holdReleased()]);
        when(classified).when(releaseHold()).thenThrows('object.hold-not-active');
        when([...classified, holdPlaced(), holdReleased()])
          .when(releaseHold())
          .thenThrows('object.hold-not-active');
        when([...classified, holdPlaced()])
          .when(releaseHold({ holdId: 'hold-other' }))
          .thenThrows('object.hold-not-active');
      });
    });

    describe('retention and disposal', () => {
      it('refuses to expire retention early', () => {
        when(classified)
          .when(expireRetention(daysAfter(-1, RETAIN_UNTIL)))
          .thenThrows('object.retention-not-expired');
      });

      it('expires retention at the end of the period, once', () => {
        when(classified).when(expireRetention(RETAIN_UNTIL)).then([retentionExpired()]);
        when(expired)
          .when(expireRetention(daysAfter(30, RETAIN_UNTIL)))
          .thenNothingHappens();
      });

      it('refuses disposal before retention expired', () => {
        when(classified).when(disposeObject()).thenThrows('object.retention-not-expired');
      });

      it('disposes after retention expired, with verified evidence', () => {
        when(expired).when(disposeObject()).then([objectDisposed()]);
      });

      it('refuses disposal while any legal hold is active, whatever the retention', () => {
        when([...expired, holdPlaced()])
          .when(disposeObject())
          .thenThrows('object.legal-hold-active');
        when([
          ...classified,
          holdPlaced(),
          retentionExpired(),
          holdPlaced({ holdId: 'hold-2' }),
          holdReleased(),
        ])
          .when(disposeObject())
          .thenThrows('object.legal-hold-active');
        when([...expired, holdPlaced(), holdReleased()])
          .when(disposeObject())
          .then([objectDisposed()]);
      });

      it('refuses disposal without verified absence', () => {
        const evidence = disposeObject().evidence;
        when(expired)
          .when(disposeObject({ evidence: { ...evidence, verifiedAbsent: false } }))
          .thenThrows('object.disposal-unverified');
        when(expired)
          .when(disposeObject({ evidence: { ...evidence, removedVersions: [] } }))
          .thenThrows('object.disposal-unverified');
      });

      it('refuses disposal approved by the executor themself', () => {
        const evidence = { ...disposeObject().evidence, approvedBy: curator.id };
        when(expired).when(disposeObject({ evidence })).thenThrows('object.disposal-needs-second-approver');
      });

      it('resets retention when reclassified (the scheduler expires it again under the new class)', () => {
        const v5 = { ...TAXONOMY, version: TAXONOMY.version + 1 };
        when([...expired, objectClassified({ taxonomy: v5 })])
          .when(disposeObject())
          .thenThrows('object.retention-not-expired');
      });
    });
  });

  describe('When quarantined', () => {
    it('allows metadata only', () => {
      const metadata = recordAccess({ representation: 'METADATA_ONLY', derivativeObjectId: null });
      when(quarantined)
        .when(metadata)
        .then([objectAccessed(metadata)]);
      const content = recordAccess({
        representation: 'ORIGINAL',
        derivativeObjectId: null,
        purposeOfUse: 'TREAT',
      });
      when(quarantined)
        .when(content)
        .then([objectAccessDenied('OBJECT_QUARANTINED', content)]);
    });

    it('refuses classification and de-identification', () => {
      when(quarantined).when(classifyObject()).thenThrows('object.quarantined');
      when(quarantined).when(deidentifyObject()).thenThrows('object.quarantined');
    });

    it('may be disposed without waiting for retention, but not under legal hold', () => {
      when(quarantined)
        .when(disposeObject({ at: AT }))
        .then([objectDisposed()]);
      when([...quarantined, holdPlaced()])
        .when(disposeObject())
        .thenThrows('object.legal-hold-active');
    });
  });

  describe('When disposed', () => {
    it.each([
      ['IngestObject', ingestObject()],
      ['ClassifyObject', classifyObject()],
      ['DeidentifyObject', deidentifyObject()],
      ['ChangeStorageTier', changeTier()],
      ['PlaceLegalHold', placeHold()],
      ['ExpireRetention', expireRetention()],
      ['DisposeObject', disposeObject()],
      ['RejectObject', rejectObject()],
    ] as const)('refuses %s', (_, command) => {
      when(disposed).when(command).thenThrows('object.disposed');
    });

    it('refuses a derived object re-created under a disposed id', () => {
      when([derivedObjectCreated(), objectDisposed()])
        .when(createDerivedObject())
        .thenThrows('object.disposed');
    });

    it('audits every access attempt as denied, metadata included', () => {
      const metadata = recordAccess({
        representation: 'METADATA_ONLY',
        derivativeObjectId: null,
        purposeOfUse: 'TREAT',
      });
      when(disposed)
        .when(metadata)
        .then([objectAccessDenied('OBJECT_DISPOSED', metadata)]);
    });
  });

  describe('When derived', () => {
    const derived = [derivedObjectCreated()];

    it('treats the same derivation redelivered as done and refuses other content', () => {
      when(derived).when(createDerivedObject()).thenNothingHappens();
      when(derived)
        .when(createDerivedObject({ contentSha256: OTHER_SHA256 }))
        .thenThrows('object.content-conflict');
    });

    it('classifies like an ingested object', () => {
      when(derived)
        .when(classifyObject({ objectId: DERIVED_ID }))
        .then([objectClassified({ objectId: DERIVED_ID })]);
    });
  });
});
