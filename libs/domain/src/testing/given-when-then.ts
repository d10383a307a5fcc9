import { foldEvents, type Decider } from '@medlineage/kernel';
import { DomainError, type DomainErrorCode } from '../domain-error';

/**
 * Given/when/then for deciders, in jest:
 *
 * ```ts
 * given(dataObjectDecider, [ingested]).when(classify).then([classified]);
 * given(dataObjectDecider, []).when(classify).thenThrows('object.not-ingested');
 * ```
 *
 * `then` also folds the decided events through `evolve`, so a decision that `evolve` cannot
 * apply fails the test. **WARNING:** the object returned by `when` has a `then` method and is
 * therefore a thenable: call `.then(...)` on it straight away, never `await` or return it.
 */
export function given<Command, State, Event>(
  decider: Decider<Command, State, Event>,
  history: readonly Event[] = [],
): { when(command: Command): Outcome<Event> } {
  return {
    when(command) {
      const decide = (): Event[] => decider.decide(command, foldEvents(decider, history));
      return {
        then(expected) {
          const events = decide();
          expect(events).toEqual(expected);
          expect(() => foldEvents(decider, [...history, ...events])).not.toThrow();
        },
        thenNothingHappens() {
          expect(decide()).toEqual([]);
        },
        thenThrows(code) {
          expect(decide).toThrow(DomainError);
          expect(caught(decide)).toMatchObject({ code });
        },
      };
    },
  };
}

export interface Outcome<Event> {
  /** The decision equals `expected` (deep equality) and evolves cleanly. */
  then(expected: readonly Event[]): void;
  /** The command is recognised as already done: no events. */
  thenNothingHappens(): void;
  /** The command is refused with this domain error code. */
  thenThrows(code: DomainErrorCode): void;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the decision to throw, but it returned');
}
