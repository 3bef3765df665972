/**
 * Roothash consensus parameters (`roothash.ConsensusParameters`) and the genesis `roothash` section
 * (`{params}`; runtime states are rebuilt from the registry at genesis), as two-way codecs.
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

/** Gas ops of roothash transactions. */
export const RoothashGasOps = Object.freeze({ computeCommit: 'compute_commit' });

const count = () =>
  field(
    withDefault(uintCodec, () => 0),
    true,
  );

/** Roothash consensus parameters (wire field names). */
export const roothashParametersCodec = structCodec({
  gas_costs: field(mapCodec(textCodec, u64Codec), true),
  debug_do_not_suspend_runtimes: flagField(),
  debug_bypass_stake: flagField(),
  max_runtime_messages: count(),
  max_in_runtime_messages: count(),
  max_evidence_age: u64Field(),
  max_past_roots_stored: u64Field(),
});

/** Roothash consensus parameters. */
export type RoothashParameters = ReturnType<typeof roothashParametersCodec.decode>;

/** The genesis `roothash` section. */
export const roothashGenesisCodec = structCodec({ params: field(roothashParametersCodec) });

/** The decoded genesis `roothash` section. */
export type RoothashGenesis = ReturnType<typeof roothashGenesisCodec.decode>;

/** Gas costs as the gas meter reads them. */
export function gasCostsOf(p: RoothashParameters): Record<string, bigint> {
  return Object.fromEntries(p.gas_costs);
}
