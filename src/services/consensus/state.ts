/**
 * Consensus-parameter state: the parameters in effect (0xF1) and the chain context (0xF0), written at
 * genesis and read by the transaction pipeline, the node and queries at any height.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import type { TxPipelineParameters } from '../mux/params.ts';
import { type ConsensusParameters, consensusParamsCodec } from './api/params.ts';

const PARAMS_KEY = makeKey(KeyPrefix.consensusParameters);
const CHAIN_CONTEXT_KEY = makeKey(KeyPrefix.chainContext);

/** Stores the consensus parameters (at genesis, or after a governance change). */
export function setConsensusParameters(state: StateWriter, p: ConsensusParameters): void {
  state.set(PARAMS_KEY, encodeCanonical(consensusParamsCodec.encode(p)));
}

/** The consensus parameters in effect in `state`. */
export function consensusParameters(state: StateReader): ConsensusParameters {
  const raw = state.get(PARAMS_KEY);
  if (!raw) throw new Error('consensus parameters are not initialized');
  return consensusParamsCodec.decode(decodeOwnCanonical(raw), 'consensus.params');
}

/** Stores the chain context (hex), which the beacon's VRF hashes bind to. */
export function setChainContext(state: StateWriter, chainContext: string): void {
  state.set(CHAIN_CONTEXT_KEY, encodeCanonical(chainContext));
}

/** The last stored parameters seen by `pipelineParameters` and what they decoded to. */
let lastPipeline: { raw: Uint8Array; params: TxPipelineParameters } | undefined;

/**
 * What the transaction pipeline needs, read from state (a `TxPipelineParametersProvider`). Asked once per
 * transaction, so the decoding of the stored bytes is reused while they are unchanged (callers only read
 * the result).
 */
export function pipelineParameters(state: StateReader): TxPipelineParameters {
  const raw = state.get(PARAMS_KEY);
  if (raw && lastPipeline && bytesEqual(raw, lastPipeline.raw)) return lastPipeline.params;
  const params = decodePipelineParameters(state);
  if (raw) lastPipeline = { raw: raw.slice(), params };
  return params;
}

function decodePipelineParameters(state: StateReader): TxPipelineParameters {
  const p = consensusParameters(state);
  return Object.freeze({
    maxTxSize: Number(p.max_tx_size),
    maxBlockGas: p.max_block_gas,
    minGasPrice: p.min_gas_price ?? 0n,
    gasCosts: Object.freeze(Object.fromEntries(p.gas_costs)),
  });
}
