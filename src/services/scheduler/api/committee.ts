/**
 * Scheduler state records in oasis-core's shapes (`go/scheduler/api`): validators (keyed by consensus key
 * in state, `{id, entity_id, voting_power}`) and committees `{kind, members[{role, public_key}],
 * runtime_id, valid_for}`, as two-way codecs.
 */
import {
  arrayCodec,
  bytesCodec,
  enumCodec,
  field,
  hexCodec,
  structCodec,
  u64Codec,
  u64Field,
} from '../../../codec/typed.ts';
import { CommitteeKindNames, CommitteeRoleNames } from '../../registry/api/runtime.ts';

/** Committee kinds (only executor committees exist). */
export const CommitteeKind = Object.freeze({ computeExecutor: 1 });

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
