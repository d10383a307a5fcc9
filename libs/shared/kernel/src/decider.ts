/**
 * A pure decider: `decide` turns a command and the current state into new events (or throws a
 * domain error), `evolve` folds one event into state. Time and ids arrive inside commands, never
 * from the clock or a random source, so the same inputs always give the same events.
 */
export interface Decider<Command, State, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** Folds a history into state with a decider's `evolve`. */
export function foldEvents<State, Event>(
  decider: Pick<Decider<unknown, State, Event>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
