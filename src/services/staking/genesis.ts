/**
 * Loads the staking genesis section (`api/genesis.ts`): parameters, token info, supply figures, ledger,
 * delegations and debonding delegations. Validated by loading it into a scratch state and running the same
 * invariant checks used every block, then loaded for real.
 */
import type { StateWriter } from '../../state/api.ts';
import { memoryState } from '../../state/overlay.ts';
import { plainError } from '../mux/result.ts';
import { THRESHOLD_KINDS, ThresholdKind } from './api/account.ts';
import { type AddressHex, addressOfHex, compareHex, isReserved } from './api/address.ts';
import type { StakingGenesis } from './api/genesis.ts';
import type { StakingParameters } from './api/params.ts';
import { pruneAndValidate } from './commission.ts';
import { checkStakingInvariants } from './sanity.ts';
import { StakingState } from './state.ts';

export type { StakingGenesis } from './api/genesis.ts';

/** Longest token symbol and largest value exponent oasis-core accepts. */
export const TOKEN_SYMBOL_MAX_LENGTH = 8;
export const TOKEN_VALUE_EXPONENT_MAX = 20;

function sortedEntries<V>(m: Map<AddressHex, V>): Array<[AddressHex, V]> {
  return [...m].sort((a, b) => compareHex(a[0], b[0]));
}

/** The staking parameters rules oasis-core checks at genesis and on every parameter change. */
export function validateStakingParameters(p: StakingParameters): void {
  for (const kind of THRESHOLD_KINDS) {
    if (kind === ThresholdKind.keyManagerChurp) continue;
    if (!p.thresholds.has(kind))
      throw plainError(`staking: sanity check failed: threshold for kind ${kind} not defined`);
  }
  if (p.feeSplitWeightVote === 0n)
    throw plainError('staking: sanity check failed: fee split proportion for votes must be positive');
  if (p.signingRewardThresholdNumerator > p.signingRewardThresholdDenominator)
    throw plainError('staking: sanity check failed: signing reward threshold numerator exceeds denominator');
}

function writeGenesis(state: StateWriter, g: StakingGenesis): void {
  const st = new StakingState(state);
  st.setParameters(g.params);
  st.setTokenInfo({ symbol: g.tokenSymbol, valueExponent: g.tokenValueExponent });
  st.setTotalSupply(g.totalSupply);
  st.setCommonPool(g.commonPool);
  st.setLastBlockFees(g.lastBlockFees);
  st.setGovernanceDeposits(g.governanceDeposits);
  for (const [k, account] of sortedEntries(g.ledger)) st.setAccount(addressOfHex(k), account);
  for (const [escrow, inner] of sortedEntries(g.delegations)) {
    for (const [delegator, d] of sortedEntries(inner))
      st.setDelegation(addressOfHex(delegator), addressOfHex(escrow), d);
  }
  for (const [escrow, inner] of sortedEntries(g.debondingDelegations)) {
    for (const [delegator, list] of sortedEntries(inner)) {
      for (const d of list) st.addDebondingDelegation(addressOfHex(delegator), addressOfHex(escrow), d);
    }
  }
}

/** Validates a staking genesis at base epoch `epoch`; throws a plain error describing the first problem. */
export function validateStakingGenesis(g: StakingGenesis, epoch: bigint): void {
  if (!/^[A-Z]+$/.test(g.tokenSymbol) || g.tokenSymbol.length > TOKEN_SYMBOL_MAX_LENGTH)
    throw plainError('staking: sanity check failed: token symbol must be 1–8 characters A-Z');
  if (g.tokenValueExponent > TOKEN_VALUE_EXPONENT_MAX)
    throw plainError(`staking: sanity check failed: token value exponent above ${TOKEN_VALUE_EXPONENT_MAX}`);
  validateStakingParameters(g.params);
  for (const [k, account] of g.ledger) {
    if (isReserved(addressOfHex(k)))
      throw plainError(`staking: sanity check failed: reserved address ${k} in ledger`);
    const cs = structuredClone(account.escrow.commissionSchedule);
    pruneAndValidate(cs, g.params.commissionScheduleRules, epoch);
  }
  const scratch = memoryState();
  writeGenesis(scratch, g);
  checkStakingInvariants(new StakingState(scratch));
}

/** Validates and loads the staking genesis into `state`. */
export function loadStakingGenesis(state: StateWriter, g: StakingGenesis, epoch: bigint): void {
  validateStakingGenesis(g, epoch);
  writeGenesis(state, g);
}
