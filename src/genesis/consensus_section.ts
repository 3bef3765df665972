/**
 * The genesis `consensus` section: the engine backend and the consensus parameters (block and transaction
 * limits, gas costs, commit timeout). Stored in state at 0xF1 so the transaction pipeline and the node read
 * the parameters in effect at any height.
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import {
  arrayCodec,
  boolCodec,
  bytesCodec,
  type Codec,
  field,
  optionalCodec,
  quantityCodec,
  structCodec,
  textCodec,
  u64Field,
  withDefault,
} from '../codec/typed.ts';
import { CodecError } from '../errors.ts';
import type { TxPipelineParameters } from '../services/mux/params.ts';
import type { StateReader, StateWriter } from '../state/api.ts';
import { KeyPrefix, makeKey } from '../state/keys.ts';
import { gasCostsShape } from './sections.ts';

/** The consensus backend name oasis-core writes (our engine implements the same algorithm). */
export const CONSENSUS_BACKEND = 'tendermint';

const n = u64Field;

/** Consensus parameters (`go/consensus/genesis.Parameters`); durations in nanoseconds. */
export const consensusParamsCodec = structCodec({
  timeout_commit: n(false),
  skip_timeout_commit: field(
    withDefault(boolCodec, () => false),
    false,
  ),
  empty_block_interval: n(false),
  max_tx_size: n(false),
  max_block_size: n(false),
  max_block_gas: n(false),
  max_evidence_size: n(false),
  state_checkpoint_interval: n(false),
  state_checkpoint_num_kept: n(),
  state_checkpoint_chunk_size: n(),
  gas_costs: field(gasCostsShape, true),
  public_key_blacklist: field(arrayCodec(bytesCodec(32)), true),
  min_gas_price: field(optionalCodec(quantityCodec), true),
});

/** Consensus parameters, typed. */
export type ConsensusParameters = typeof consensusParamsCodec extends Codec<infer T> ? T : never;

/** The genesis `consensus` section. */
export const consensusSectionCodec = structCodec({
  backend: field(textCodec),
  params: field(consensusParamsCodec),
});

/** Checks values the engine and pipeline depend on; throws naming the field. */
export function validateConsensusParameters(p: ConsensusParameters, path = 'consensus.params'): void {
  if (!p.skip_timeout_commit && p.timeout_commit < 1_000_000n) {
    throw new CodecError(`${path}.timeout_commit`, 'must be at least 1ms unless skip_timeout_commit is set');
  }
  if (p.max_tx_size < 1n) throw new CodecError(`${path}.max_tx_size`, 'must be positive');
  if (p.max_block_size < p.max_tx_size)
    throw new CodecError(`${path}.max_block_size`, 'must be at least max_tx_size');
  if (p.max_block_size > 100n * 1024n * 1024n)
    throw new CodecError(`${path}.max_block_size`, 'must be at most 100 MiB');
}

const PARAMS_KEY = makeKey(KeyPrefix.consensusParameters);

/** Stores the consensus parameters (at genesis, or after a governance change). */
export function setConsensusParameters(state: StateWriter, p: ConsensusParameters): void {
  state.set(PARAMS_KEY, encodeCanonical(consensusParamsCodec.encode(p)));
}

/** The consensus parameters in effect in `state`. */
export function consensusParameters(state: StateReader): ConsensusParameters {
  const raw = state.get(PARAMS_KEY);
  if (!raw) throw new Error('consensus parameters are not initialized');
  return consensusParamsCodec.decode(decodeCanonical(raw), 'consensus.params');
}

/** What the transaction pipeline needs, read from state (a `TxPipelineParametersProvider`). */
export function pipelineParameters(state: StateReader): TxPipelineParameters {
  const p = consensusParameters(state);
  return {
    maxTxSize: Number(p.max_tx_size),
    maxBlockGas: p.max_block_gas,
    minGasPrice: p.min_gas_price ?? 0n,
    gasCosts: Object.fromEntries(p.gas_costs),
  };
}
