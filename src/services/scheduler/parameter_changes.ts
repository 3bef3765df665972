/** The scheduler's side of governance parameter changes (`go/scheduler/api.ConsensusParameterChanges`). */
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { SCHEDULER_MODULE } from './api/errors.ts';
import { schedulerParametersCodec, validateSchedulerParameters } from './api/params.ts';
import { SchedulerState } from './state.ts';

/** Applies and validates scheduler parameter changes. */
export const schedulerParameterChanges: ParameterChangeHandler = parameterChangeHandler({
  module: SCHEDULER_MODULE,
  codec: schedulerParametersCodec,
  fields: sameNames('min_validators', 'max_validators', 'voting_power_distribution'),
  read: (state) => new SchedulerState(state).parameters(),
  validate: validateSchedulerParameters,
  write: (state, p) => new SchedulerState(state).setParameters(p),
});
