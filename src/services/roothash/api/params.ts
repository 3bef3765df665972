/**
 * Roothash consensus parameters (`roothash.ConsensusParameters`) and the genesis `roothash` section
 * (`{params, runtime_states?}`), as two-way codecs.
 */
import {
  arrayCodec,
  field,
  flagField,
  hexCodec,
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
import { messageEventCodec } from './messages.ts';

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

/** A runtime's starting point carried over in a genesis dump (`roothash.GenesisRuntimeState`). */
export const genesisRuntimeStateCodec = structCodec({
  state_root: field(hexCodec(32)),
  round: u64Field(false),
  message_results: field(arrayCodec(messageEventCodec), true),
});

/**
 * The genesis `roothash` section (`{params, runtime_states?}`); a runtime listed in `runtime_states`
 * starts from that round and state root instead of its descriptor's genesis.
 */
export const roothashGenesisCodec = structCodec({
  params: field(roothashParametersCodec),
  runtime_states: field(mapCodec(hexCodec(32), genesisRuntimeStateCodec), true),
});

/** The decoded genesis `roothash` section. */
export type RoothashGenesis = ReturnType<typeof roothashGenesisCodec.decode>;

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
