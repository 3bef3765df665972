/**
 * Scheduler types in oasis-core's shapes (`go/scheduler/api`): consensus parameters, validators (keyed by
 * consensus key in state, `{id, entity_id, voting_power}`), and committees
 * `{kind, members[{role, public_key}], runtime_id, valid_for}`, as two-way codecs.
 */
import {
  arrayCodec,
  bytesCodec,
  enumCodec,
  field,
  flagField,
  hexCodec,
  quantityField,
  structCodec,
  u64Codec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { CodedError } from '../../../errors.ts';
import { CommitteeKindNames, CommitteeRoleNames } from '../../registry/api/runtime.ts';

/** Error/event module of the scheduler. */
export const SCHEDULER_MODULE = 'scheduler';

/** Committee kinds (only executor committees exist). */
export const CommitteeKind = Object.freeze({ computeExecutor: 1 });

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

/** A consensus validator. */
export const validatorCodec = structCodec({
  id: field(bytesCodec(32)),
  entity_id: field(bytesCodec(32)),
  voting_power: field(u64Codec),
});

/** A validator (wire field names). */
export type Validator = ReturnType<typeof validatorCodec.decode>;

/** A committee member. */
export const committeeNodeCodec = structCodec({
  role: field(enumCodec(CommitteeRoleNames)),
  public_key: field(bytesCodec(32)),
});

/** A committee elected for one epoch. */
export const committeeCodec = structCodec({
  kind: field(enumCodec(CommitteeKindNames)),
  members: field(arrayCodec(committeeNodeCodec)),
  runtime_id: field(hexCodec(32)),
  valid_for: u64Field(false),
});

/** A committee (wire field names). */
export type Committee = ReturnType<typeof committeeCodec.decode>;

/** Coded scheduler errors. */
export const SchedulerErrors = Object.freeze({
  noSuchCommittee: () => new CodedError(SCHEDULER_MODULE, 1, 'scheduler: no such committee'),
});
