import fc from 'fast-check';
import { DATA_CLASSES, INTENDED_USES } from '../common/vocabularies';
import { isDomainError } from '../domain-error';
import {
  CONSENT_ID,
  NEW_CONSENT_ID,
  recordConsent,
  restrictConsent,
  revokeConsent,
} from '../testing/subject-consent.fixtures';
import type { SubjectConsentCommand } from './subject-consent.commands';
import { subjectConsentDecider } from './subject-consent.decider';
import { isSubjectEligible, type EligibilityQuery } from './subject-consent.eligibility';
import type { SubjectConsentEvent } from './subject-consent.events';
import type { SubjectConsentState } from './subject-consent.state';

const THIRD_CONSENT_ID = 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b92';
const consentId = fc.constantFrom(CONSENT_ID, NEW_CONSENT_ID, THIRD_CONSENT_ID);
const uses = fc.subarray([...INTENDED_USES]);
const classes = fc.subarray([...DATA_CLASSES]);

const command: fc.Arbitrary<SubjectConsentCommand> = fc.oneof(
  fc
    .record({ consentId, permittedUses: uses, excludedDataClasses: classes })
    .map((o) => recordConsent({ ...o, expiresAt: null })),
  fc.record({ consentId, removeUses: uses, excludeDataClasses: classes }).map((o) => restrictConsent(o)),
  fc
    .record({ consentId, scope: fc.constantFrom('STOP_FUTURE_USE', 'WITHDRAW_FROM_EXISTING_USE') } as const)
    .map((o) => revokeConsent(o)),
);

/** Every (use, class) at a time when any recorded consent is in force. */
const QUERIES: readonly EligibilityQuery[] = INTENDED_USES.flatMap((use) =>
  DATA_CLASSES.map((dataClass) => ({ use, dataClass, at: new Date('2030-01-01T00:00:00.000Z') })),
);
const eligibleSet = (state: SubjectConsentState): Set<string> =>
  new Set(QUERIES.filter((q) => isSubjectEligible(state, q)).map((q) => `${q.use}/${q.dataClass}`));

function run(
  commands: readonly SubjectConsentCommand[],
): { event: SubjectConsentEvent; before: SubjectConsentState; after: SubjectConsentState }[] {
  let state = subjectConsentDecider.initialState();
  const trace: { event: SubjectConsentEvent; before: SubjectConsentState; after: SubjectConsentState }[] = [];
  for (const c of commands) {
    let events: SubjectConsentEvent[];
    try {
      events = subjectConsentDecider.decide(c, state);
    } catch (error) {
      if (isDomainError(error)) continue;
      throw error;
    }
    for (const event of events) {
      const before = state;
      state = subjectConsentDecider.evolve(state, event);
      trace.push({ event, before, after: state });
    }
  }
  return trace;
}

describe('subject consent properties', () => {
  const sequences = fc.array(command, { maxLength: 30 });

  it('generates sequences with restrictions, revocations and re-consents (guards against vacuity)', () => {
    const seen = new Set<string>();
    for (const commands of fc.sample(sequences, { numRuns: 200, seed: 20260112 })) {
      let revoked = false;
      for (const { event } of run(commands)) {
        if (event.type === 'SubjectConsentRecorded' && revoked) seen.add('re-consent');
        if (event.type === 'SubjectConsentRevoked') revoked = true;
        seen.add(event.type);
      }
    }
    expect([...seen].sort()).toEqual(
      ['SubjectConsentRecorded', 'SubjectConsentRestricted', 'SubjectConsentRevoked', 're-consent'].sort(),
    );
  });

  it('a revoked consent id never becomes active again, whatever follows', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const revokedIds = new Set<string>();
        for (const { event, after } of run(commands)) {
          if (event.type === 'SubjectConsentRevoked') revokedIds.add(event.data.consentId);
          if (after.status === 'active') expect(revokedIds.has(after.consent.consentId)).toBe(false);
        }
      }),
    );
  });

  it('after a revocation the subject stays ineligible for everything until a new consent id is recorded', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        let revokedSinceLastRecord = false;
        for (const { event, after } of run(commands)) {
          if (event.type === 'SubjectConsentRevoked') revokedSinceLastRecord = true;
          if (event.type === 'SubjectConsentRecorded') revokedSinceLastRecord = false;
          if (revokedSinceLastRecord) expect(eligibleSet(after).size).toBe(0);
        }
      }),
    );
  });

  it('a restriction never widens eligibility and always narrows it', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { event, before, after } of run(commands)) {
          if (event.type !== 'SubjectConsentRestricted') continue;
          const was = eligibleSet(before);
          const now = eligibleSet(after);
          expect([...now].every((q) => was.has(q))).toBe(true);
          if (was.size > 0) expect(now.size).toBeLessThan(was.size);
        }
      }),
    );
  });
});
