/**
 * Scheduler invariants checked after every block in debug runs: a non-empty current validator set within
 * `max_validators`, no pending set left over after EndBlock, and committees only for the current or past
 * epochs.
 */
import type { StateReader } from '../../state/api.ts';
import { currentEpochState } from '../beacon/state.ts';
import { SchedulerStateReader } from './state.ts';

/** Throws naming the first broken invariant. */
export function checkSchedulerInvariants(state: StateReader): void {
  const st = new SchedulerStateReader(state);
  const params = st.parameters();
  const current = st.currentValidators();
  if (current.length === 0) throw new Error('scheduler: empty validator set');
  if (current.length > params.max_validators)
    throw new Error('scheduler: more validators than max_validators');
  if (st.pendingValidators() !== undefined) throw new Error('scheduler: pending validator set not applied');
  const epoch = currentEpochState(state)?.epoch;
  for (const c of st.committees()) {
    if (epoch !== undefined && c.valid_for > epoch)
      throw new Error('scheduler: committee for a future epoch');
  }
}
