/** Coded errors of the scheduler (`go/scheduler/api`). */
import { CodedError } from '../../../errors.ts';

/** Error/event module of the scheduler. */
export const SCHEDULER_MODULE = 'scheduler';

/** Coded scheduler errors. */
export const SchedulerErrors = Object.freeze({
  noSuchCommittee: () => new CodedError(SCHEDULER_MODULE, 1, 'scheduler: no such committee'),
});
