/** Scheduler events (`go/scheduler/api`): committees were elected in this block. */
import { CommitteeKind } from './committee.ts';

/** Event kinds the scheduler emits. */
export const SchedulerEventKinds = Object.freeze({ elected: 'elected' });

/** The `elected` event: the committee kinds elected (only executor committees exist). */
export function electedEvent(): { kinds: number[] } {
  return { kinds: [CommitteeKind.computeExecutor] };
}
