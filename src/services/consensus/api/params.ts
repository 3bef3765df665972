/**
 * Consensus parameters (`go/consensus/genesis.Parameters`): block and transaction limits, gas costs, the
 * commit timeout. Stored in state at 0xF1 so the transaction pipeline and the node read the parameters in
 * effect at any height.
 */
import {
  arrayCodec,
  boolCodec,
  bytesCodec,
  type Codec,
  field,
  optionalCodec,
  quantityCodec,
  structCodec,
  u64Field,
  withDefault,
} from '../../../codec/typed.ts';
import { CodecError } from '../../../errors.ts';
import { gasCostsCodec } from '../../mux/gas.ts';

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
  gas_costs: field(gasCostsCodec, true),
  public_key_blacklist: field(arrayCodec(bytesCodec(32)), true),
  min_gas_price: field(optionalCodec(quantityCodec), true),
});

/** Consensus parameters, typed. */
export type ConsensusParameters = typeof consensusParamsCodec extends Codec<infer T> ? T : never;

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
