import fc from 'fast-check';
import { foldEvents } from '@medlineage/kernel';
import { isDomainError } from '../domain-error';
import {
  HOLD_ID,
  OTHER_SHA256,
  RETAIN_UNTIL,
  changeTier,
  classifyObject,
  createDerivedObject,
  curator,
  daysAfter,
  deidentifyObject,
  disposeObject,
  expireRetention,
  ingestObject,
  placeHold,
  recordAccess,
  rejectObject,
  releaseHold,
  resolveReview,
} from '../testing/data-object.fixtures';
import type { DataObjectCommand } from './data-object.commands';
import { dataObjectDecider } from './data-object.decider';
import type { DataObjectEvent } from './data-object.events';
import type { DataObjectState } from './data-object.state';

const access = fc
  .record({
    representation: fc.constantFrom('METADATA_ONLY', 'ORIGINAL', 'DEIDENTIFIED_DERIVATIVE', 'THUMBNAIL'),
    purposeOfUse: fc.constantFrom('TREAT', 'HRESCH', 'SYSADMIN', 'PUBHLTH'),
  } as const)
  .map(({ representation, purposeOfUse }) =>
    recordAccess({
      representation,
      purposeOfUse,
      derivativeObjectId:
        representation === 'DEIDENTIFIED_DERIVATIVE' ? recordAccess().derivativeObjectId : null,
    }),
  );

/**
 * Commands over one object from small pools, weighted towards the lifecycle so that sequences
 * reach every state (the coverage test below fails if they stop doing so).
 */
const command: fc.Arbitrary<DataObjectCommand> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(ingestObject(), ingestObject({ contentSha256: OTHER_SHA256 }), rejectObject()),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      classifyObject(),
      classifyObject({ signals: [] }),
      classifyObject({ taxonomy: { id: 'medlineage-core', version: 5 } }),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      resolveReview(),
      resolveReview({ outcome: 'QUARANTINED', classification: null }),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(deidentifyObject(), changeTier(), changeTier({ toTier: 'COLD' })) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      placeHold(),
      placeHold({ holdId: 'hold-2' }),
      releaseHold(),
      releaseHold({ holdId: 'hold-2' }),
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(expireRetention(daysAfter(-1, RETAIN_UNTIL)), expireRetention(RETAIN_UNTIL)),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      disposeObject(),
      disposeObject(),
      disposeObject({ evidence: { ...disposeObject().evidence, approvedBy: curator.id } }),
    ),
  },
  { weight: 2, arbitrary: access },
);

/** Mostly start with a birth, as real streams do; sometimes not, to exercise refusals on absent objects. */
const sequences = fc
  .tuple(
    fc.option(
      fc.constantFrom(ingestObject(), ingestObject(), ingestObject(), createDerivedObject(), rejectObject()),
      {
        freq: 5,
      },
    ),
    fc.array(command, { maxLength: 30 }),
  )
  .map(([birth, rest]) => (birth === null ? rest : [birth, ...rest]));

interface Step {
  readonly before: DataObjectState;
  readonly command: DataObjectCommand;
  readonly events: DataObjectEvent[];
}

/** Runs commands in order; refused commands (domain errors) change nothing, anything else throws. */
function run(commands: readonly DataObjectCommand[]): { steps: Step[]; history: DataObjectEvent[] } {
  let state = dataObjectDecider.initialState();
  const steps: Step[] = [];
  const history: DataObjectEvent[] = [];
  for (const c of commands) {
    let events: DataObjectEvent[];
    try {
      events = dataObjectDecider.decide(c, state);
    } catch (error) {
      if (isDomainError(error)) continue;
      throw error;
    }
    steps.push({ before: state, command: c, events });
    for (const e of events) state = dataObjectDecider.evolve(state, e);
    history.push(...events);
  }
  return { steps, history };
}

const IDEMPOTENT: readonly DataObjectCommand['type'][] = [
  'IngestObject',
  'RejectObject',
  'CreateDerivedObject',
  'ClassifyObject',
  'DeidentifyObject',
  'ChangeStorageTier',
  'PlaceLegalHold',
  'ExpireRetention',
];

describe('data object decider properties', () => {
  it('generates sequences that reach every status (guards the properties below against vacuity)', () => {
    const reached = new Set<string>();
    for (const commands of fc.sample(sequences, { numRuns: 300, seed: 20261120 })) {
      for (const { before, events } of run(commands).steps) {
        reached.add(before.status);
        reached.add(events.reduce(dataObjectDecider.evolve, before).status);
      }
    }
    expect([...reached].sort()).toEqual(
      ['absent', 'classified', 'disposed', 'quarantined', 'rejected', 'stored', 'under-review'].sort(),
    );
  });

  it('only ever refuses with domain errors, and evolve accepts everything decide produced', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { history } = run(commands);
        expect(() => foldEvents(dataObjectDecider, history)).not.toThrow();
      }),
    );
  });

  it('an object is born once (ingested, derived or rejected)', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const births = run(commands).history.filter(
          (e) =>
            e.type === 'ObjectIngested' || e.type === 'DerivedObjectCreated' || e.type === 'ObjectRejected',
        );
        expect(births.length).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('after disposal nothing happens to an object except audited denials', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { before, events } of run(commands).steps) {
          if (before.status === 'disposed') {
            expect(events.every((e) => e.type === 'ObjectAccessDenied')).toBe(true);
          }
        }
      }),
    );
  });

  it('disposal never happens under a legal hold, nor before retention ended unless quarantined', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { before, events } of run(commands).steps) {
          if (!events.some((e) => e.type === 'ObjectDisposed')) continue;
          expect('object' in before && before.object.activeHoldIds).toEqual([]);
          expect(
            before.status === 'quarantined' ||
              ('object' in before && before.object.retention?.expired === true),
          ).toBe(true);
        }
      }),
    );
  });

  it('redelivering an idempotent command right after it succeeded decides nothing', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        for (const { before, command: c, events } of run(commands).steps) {
          if (!IDEMPOTENT.includes(c.type) || events.length === 0) continue;
          const after = events.reduce(dataObjectDecider.evolve, before);
          expect(dataObjectDecider.decide(c, after)).toEqual([]);
        }
      }),
    );
  });

  it('holds are never lost: an active hold stays until its own release', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { history } = run(commands);
        const placed = history.filter(
          (e) => e.type === 'LegalHoldPlaced' && e.data.holdId === HOLD_ID,
        ).length;
        const released = history.filter(
          (e) => e.type === 'LegalHoldReleased' && e.data.holdId === HOLD_ID,
        ).length;
        const state = foldEvents(dataObjectDecider, history);
        const active = 'object' in state && state.object.activeHoldIds.includes(HOLD_ID);
        expect(active).toBe(placed > released);
      }),
    );
  });
});
