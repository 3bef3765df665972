/** Scheduler consensus parameters in oasis-core's shape (`go/scheduler/api.ConsensusParameters`). */
import {
  field,
  flagField,
  quantityField,
  structCodec,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';

/** A signed integer count (Go `int`) that is never negative here. */
const count = () =>
  field(
    withDefault(uintCodec, () => 0),
    false,
  );

/** Scheduler consensus parameters (wire field names). */
export const schedulerParametersCodec = structCodec({
  min_validators: count(),
  max_validators: count(),
  max_validators_per_entity: count(),
  debug_bypass_stake: flagField(),
  reward_factor_epoch_election_any: quantityField(false),
  debug_allow_weak_alpha: flagField(),
  voting_power_distribution: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
});

/** Scheduler consensus parameters. */
export type SchedulerParameters = ReturnType<typeof schedulerParametersCodec.decode>;

/** Checks parameters as oasis-core's scheduler genesis does; throws a plain error naming the field. */
export function validateSchedulerParameters(p: SchedulerParameters): void {
  if (p.min_validators <= 0) throw new Error('scheduler: minimum number of validators not configured');
  if (p.max_validators <= 0) throw new Error('scheduler: maximum number of validators not configured');
  if (p.max_validators_per_entity <= 0) {
    throw new Error('scheduler: maximum number of validators per entity not configured');
  }
  if (p.voting_power_distribution > 1) throw new Error('scheduler: unknown voting power distribution');
}
