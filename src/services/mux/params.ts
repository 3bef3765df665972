/**
 * The consensus parameters the transaction pipeline needs (`max_tx_size`, `max_block_gas`,
 * `min_gas_price`, `gas_costs.tx_byte`), read through a provider so the mux does not depend on where
 * the consensus genesis/parameters module stores them.
 */
import type { StateReader } from '../../state/api.ts';
import type { GasCosts } from './gas.ts';

/** Gas op charged per byte of a raw transaction. */
export const GAS_OP_TX_BYTE = 'tx_byte';

/** Consensus parameters that shape transaction processing. */
export interface TxPipelineParameters {
  /** Largest raw transaction in bytes (0 = no limit). */
  maxTxSize: number;
  /** Gas budget of a block (0 = unlimited). */
  maxBlockGas: bigint;
  /** Lowest accepted gas price for every transaction (0 = no minimum). */
  minGasPrice: bigint;
  /** Consensus gas costs (`tx_byte`). */
  gasCosts: GasCosts;
}

/** Reads the pipeline parameters in effect for a state. */
export type TxPipelineParametersProvider = (state: StateReader) => TxPipelineParameters;

/** A provider that always answers the same parameters. */
export function staticPipelineParameters(params: TxPipelineParameters): TxPipelineParametersProvider {
  const frozen = Object.freeze({ ...params, gasCosts: Object.freeze({ ...params.gasCosts }) });
  return () => frozen;
}
