/**
 * Names, codes and costs of the reference accounts ParaTime, taken from runtime-sdk's `accounts` and
 * `consensus_accounts` modules (as `@oasisprotocol/client-rt` spells them), so that clients see familiar
 * method names and error codes.
 */
import { FEE_ACCUMULATOR_ADDRESS, moduleAddress } from '../../../protocol/module_addresses.ts';

/** runtime-sdk `accounts` module. */
export const ACCOUNTS_MODULE = 'accounts';
/** Its error codes. */
export const AccountsErrorCode = Object.freeze({
  invalidArgument: 1,
  insufficientBalance: 2,
  forbidden: 3,
  notFound: 4,
});

/** Its event codes. */
export const AccountsEventCode = Object.freeze({ transfer: 1, burn: 2, mint: 3 });

/** runtime-sdk `consensus_accounts` module. */
export const CONSENSUS_ACCOUNTS_MODULE = 'consensus_accounts';
/** Its error codes. */
export const ConsensusAccountsErrorCode = Object.freeze({
  invalidArgument: 1,
  invalidDenomination: 2,
  insufficientBalance: 3,
  forbidden: 4,
});

/** Its event codes. */
export const ConsensusAccountsEventCode = Object.freeze({ deposit: 1, withdraw: 2 });

/** Method names (transactions and queries). */
export const Methods = Object.freeze({
  transfer: 'accounts.Transfer',
  deposit: 'consensus.Deposit',
  withdraw: 'consensus.Withdraw',
  nonce: 'accounts.Nonce',
  balances: 'accounts.Balances',
  addresses: 'accounts.Addresses',
  denominationInfo: 'accounts.DenominationInfo',
  minGasPrice: 'core.MinGasPrice',
  estimateGas: 'core.EstimateGas',
  runtimeInfo: 'core.RuntimeInfo',
});

/** Runtime units per consensus base unit: the accounts ParaTime counts in consensus base units. */
export const ACCOUNTS_SCALING_FACTOR = 1n;

/** Gas charged per unit of work. */
export const GasCosts = Object.freeze({
  /** Per byte of the raw transaction. */
  txByte: 1n,
  /** Per signature verified. */
  authSignature: 1_000n,
  transfer: 1_000n,
  withdraw: 1_000n,
  deposit: 1_000n,
});

/** The native denomination (empty), the only one the consensus layer understands. */
export const NATIVE_DENOMINATION = new Uint8Array(0);

/** Where withdrawn tokens wait for the consensus transfer (runtime-sdk's `ADDRESS_PENDING_WITHDRAWAL`). */
export const PENDING_WITHDRAWAL_ADDRESS = moduleAddress(CONSENSUS_ACCOUNTS_MODULE, 'pending-withdrawal');

/** Where transaction fees are paid (declared with the other runtime-sdk module addresses). */
export { FEE_ACCUMULATOR_ADDRESS };
