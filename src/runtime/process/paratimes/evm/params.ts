/**
 * Names, codes and constants of the EVM ParaTime, as runtime-sdk's `evm` module spells them (and
 * `@oasisprotocol/client-rt`'s `evm` wrapper expects), so that clients see the same methods and errors as
 * on an Emerald-style ParaTime.
 */
import { CodedError } from '../../../../errors.ts';

/** runtime-sdk `evm` module. */
export const EVM_MODULE = 'evm';

/** Its error codes (runtime-sdk `evm::Error`). */
export const EvmErrorCode = Object.freeze({
  invalidArgument: 1,
  executionFailed: 2,
  invalidSignerType: 3,
  feeOverflow: 4,
  forbidden: 7,
  reverted: 8,
});

/** Its event codes. */
export const EvmEventCode = Object.freeze({ log: 1 });

/** `core` module event codes the EVM path emits. */
export const CoreEventCode = Object.freeze({ gasUsed: 1 });

/** Method names (calls and queries). */
export const EvmMethods = Object.freeze({
  create: 'evm.Create',
  call: 'evm.Call',
  simulateCall: 'evm.SimulateCall',
  balance: 'evm.Balance',
  code: 'evm.Code',
  storage: 'evm.Storage',
  parameters: 'evm.Parameters',
});

/** The module-controlled auth scheme of raw Ethereum transactions (declared with the envelope). */
export { ETHEREUM_TX_SCHEME } from '../../../protocol/eth_envelope.ts';

/**
 * Runtime units (wei, 18 decimals) per consensus base unit (9 decimals), as Emerald and Sapphire set
 * runtime-sdk's `consensus_scaling_factor`: 1 TEST on the consensus layer is 10^18 wei here.
 */
export const EVM_SCALING_FACTOR = 10n ** 9n;

/** Ethereum chain ID of an Emerald-style local network (0xa514), the default. */
export const DEFAULT_CHAIN_ID = 42260n;

/** The hard fork the EVM runs (opcodes, gas schedule, precompiles). */
export const HARDFORK = 'cancun';

/** Return data of an executed call is cut to this many bytes (runtime-sdk `MAX_RESULT_SIZE`). */
export const MAX_RESULT_SIZE = 1024;

/** Largest raw transaction accepted by this ParaTime (contract deployments are larger than transfers). */
export const MAX_EVM_TX_SIZE = 128 * 1024;

/** Default most gas per batch (runtime-sdk core `max_batch_gas`), also the per-transaction ceiling. */
export const DEFAULT_MAX_BATCH_GAS = 15_000_000n;

/** EIP-3529: refunds are capped at gas used divided by this. */
export const MAX_REFUND_QUOTIENT = 5n;

/** An `evm` module error. */
export function evmError(code: number, message: string): CodedError {
  return new CodedError(EVM_MODULE, code, message);
}

/** The smaller of two amounts (`Math.min` does not take bigints). */
export function minAmount(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}
