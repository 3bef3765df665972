/**
 * The genesis `roothash` section (`{params, runtime_states?}`); a runtime listed in `runtime_states`
 * starts from that round and state root instead of its descriptor's genesis.
 */
import { arrayCodec, field, hexCodec, mapCodec, structCodec, u64Field } from '../../../codec/typed.ts';
import { messageEventCodec } from './messages.ts';
import { roothashParametersCodec } from './params.ts';

/** A runtime's starting point carried over in a genesis dump (`roothash.GenesisRuntimeState`). */
export const genesisRuntimeStateCodec = structCodec({
  state_root: field(hexCodec(32)),
  round: u64Field(false),
  message_results: field(arrayCodec(messageEventCodec), true),
});

/** The genesis `roothash` section. */
export const roothashGenesisCodec = structCodec({
  params: field(roothashParametersCodec),
  runtime_states: field(mapCodec(hexCodec(32), genesisRuntimeStateCodec), true),
});

/** The decoded genesis `roothash` section. */
export type RoothashGenesis = ReturnType<typeof roothashGenesisCodec.decode>;
