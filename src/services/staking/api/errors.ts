/**
 * Coded errors of the `staking` module, numbered as oasis-core's `go/staking/api` registers them. Clients
 * (`@oasisprotocol/client`) see the same `{module, code}` pairs.
 */
import { CodedError } from '../../../errors.ts';

/** Error module of the staking service. */
export const STAKING_MODULE = 'staking';

const coded = (code: number, fallback: string) => (msg?: string) =>
  new CodedError(STAKING_MODULE, code, msg ?? fallback);

/** The staking error codes. */
export const StakingErrors = Object.freeze({
  invalidArgument: coded(1, 'staking: invalid argument'),
  invalidSignature: coded(2, 'staking: invalid signature'),
  insufficientBalance: coded(3, 'staking: insufficient balance'),
  insufficientStake: coded(4, 'staking: insufficient stake'),
  forbidden: coded(5, 'staking: forbidden by policy'),
  invalidThreshold: coded(6, 'staking: invalid threshold'),
  tooManyAllowances: coded(7, 'staking: too many allowances'),
  underMinDelegationAmount: coded(8, 'staking: amount is lower than the minimum delegation amount'),
  underMinTransferAmount: coded(9, 'staking: amount is lower than the minimum transfer amount'),
  balanceTooLow: coded(10, 'staking: balance too low'),
  allowanceGreaterThanSupply: coded(11, 'staking: allowance greater than total supply'),
});

/** staking/4, saying how much active escrow is needed and how much there is (base units). */
export function insufficientStakeFor(needed: bigint, active: bigint): CodedError {
  return StakingErrors.insufficientStake(
    `staking: insufficient stake: needs ${needed} base units in active escrow, has ${active}`,
  );
}

/**
 * oasis-core's `quantity` arithmetic failure ("insufficient balance"), which it does not code: it reaches
 * clients as `unknown`/1. Transfer/Burn/AddEscrow beyond the general balance fail with it.
 */
export function quantityInsufficientBalance(): CodedError {
  return new CodedError('unknown', 1, 'quantity: insufficient balance');
}
