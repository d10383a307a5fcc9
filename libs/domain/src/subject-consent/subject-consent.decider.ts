import type { Decider } from '@medlineage/kernel';
import type { SubjectConsentCommand } from './subject-consent.commands';
import { decideSubjectConsent } from './subject-consent.decide';
import type { SubjectConsentEvent } from './subject-consent.events';
import {
  evolveSubjectConsent,
  initialSubjectConsentState,
  type SubjectConsentState,
} from './subject-consent.state';

/** One subject's consents: record, restrict, revoke (final), re-consent under a new id. */
export const subjectConsentDecider: Decider<SubjectConsentCommand, SubjectConsentState, SubjectConsentEvent> =
  {
    decide: decideSubjectConsent,
    evolve: evolveSubjectConsent,
    initialState: initialSubjectConsentState,
  };
