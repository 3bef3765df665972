/**
 * Roothash consensus parameters (`roothash.ConsensusParameters`) as a two-way codec.
 */
import {
  field,
  flagField,
  mapCodec,
  structCodec,
  textCodec,
  u64Codec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import type { Runtime } from '../../registry/api/runtime.ts';
import { RoothashErrors } from './errors.ts';

/** Gas ops of roothash transactions. */
export const RoothashGasOps = Object.freeze({
  computeCommit: 'compute_commit',
  evidence: 'evidence',
  submitMsg: 'submit_msg',
});

const count = (omitEmpty: boolean) =>
  field(
    withDefault(uintCodec, () => 0),
    omitEmpty,
  );

/** Roothash consensus parameters (wire field names). */
export const roothashParametersCodec = structCodec({
  gas_costs: field(mapCodec(textCodec, u64Codec), true),
  debug_do_not_suspend_runtimes: flagField(),
  debug_bypass_stake: flagField(),
  max_runtime_messages: count(false),
  max_in_runtime_messages: count(false),
  max_evidence_age: u64Field(false),
  max_past_roots_stored: u64Field(),
});

/** Roothash consensus parameters. */
export type RoothashParameters = ReturnType<typeof roothashParametersCodec.decode>;

/** Gas costs as the gas meter reads them. */
export function gasCostsOf(p: RoothashParameters): Record<string, bigint> {
  return Object.fromEntries(p.gas_costs);
}

/**
 * oasis-core `VerifyRuntimeParameters`: a runtime descriptor may not ask for more outgoing messages per
 * round or more queued incoming messages than the consensus parameters allow (`roothash` 7 / 13). The
 * registry runs it on runtime registration and updates; the roothash on the runtimes of its genesis.
 */
export function verifyRuntimeParameters(rt: Runtime, p: RoothashParameters): void {
  if (rt.executor.max_messages > p.max_runtime_messages) throw RoothashErrors.maxMessagesTooBig();
  if (rt.txn_scheduler.max_in_messages > p.max_in_runtime_messages)
    throw RoothashErrors.maxInMessagesTooBig();
}
