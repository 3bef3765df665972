/**
 * The staking section of the genesis document (oasis-core `staking.Genesis`): parameters, token info,
 * supply figures, ledger, delegations and debonding delegations. Decoded strictly, validated by loading
 * it into a scratch state and running the same invariant checks used every block, then loaded for real.
 */
import { quantity, quantityToBytes } from '../../codec/quantity.ts';
import { arrayOf, type Decoder, mapOf, optional, struct, text, u64 } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';
import type { StateWriter } from '../../state/api.ts';
import { memoryState } from '../../state/overlay.ts';
import { plainError } from '../mux/result.ts';
import {
  type Account,
  accountDecoder,
  accountToCbor,
  type DebondingDelegation,
  type Delegation,
  debondingDelegationDecoder,
  debondingDelegationToCbor,
  delegationDecoder,
  delegationToCbor,
  THRESHOLD_KINDS,
  ThresholdKind,
} from './api/account.ts';
import {
  type AddressHex,
  addressDecoder,
  addressOfHex,
  compareHex,
  hexOf,
  isReserved,
} from './api/address.ts';
import { type StakingParameters, stakingParametersDecoder, stakingParametersToCbor } from './api/params.ts';
import { pruneAndValidate } from './commission.ts';
import { checkStakingInvariants } from './sanity.ts';
import { StakingState } from './state.ts';

/** Longest token symbol and largest value exponent oasis-core accepts. */
export const TOKEN_SYMBOL_MAX_LENGTH = 8;
export const TOKEN_VALUE_EXPONENT_MAX = 20;

/** The staking genesis section. Maps are keyed by address hex. */
export interface StakingGenesis {
  params: StakingParameters;
  tokenSymbol: string;
  tokenValueExponent: number;
  totalSupply: bigint;
  commonPool: bigint;
  lastBlockFees: bigint;
  governanceDeposits: bigint;
  ledger: Map<AddressHex, Account>;
  /** escrow → delegator → delegation. */
  delegations: Map<AddressHex, Map<AddressHex, Delegation>>;
  /** escrow → delegator → debonding delegations. */
  debondingDelegations: Map<AddressHex, Map<AddressHex, DebondingDelegation[]>>;
}

function nested<T>(inner: Decoder<T>): Decoder<Map<AddressHex, Map<AddressHex, T>>> {
  return (v, p) =>
    new Map(
      mapOf(addressDecoder, mapOf(addressDecoder, inner))(v, p).map(([k, m]) => [
        hexOf(k),
        new Map(m.map(([k2, x]) => [hexOf(k2), x])),
      ]),
    );
}

const genesisSpec = struct({
  params: stakingParametersDecoder,
  token_symbol: text,
  token_value_exponent: u64,
  total_supply: quantity,
  common_pool: quantity,
  last_block_fees: quantity,
  governance_deposits: quantity,
  ledger: optional(mapOf(addressDecoder, accountDecoder)),
  delegations: optional(nested(delegationDecoder)),
  debonding_delegations: optional(nested(arrayOf(debondingDelegationDecoder))),
});

/** Strict decoder of the staking genesis section (CBOR value). */
export const stakingGenesisDecoder: Decoder<StakingGenesis> = (value, path) => {
  const d = genesisSpec(value, path);
  if (d.token_value_exponent > 255n) throw new CodecError(`${path}.token_value_exponent`, 'exceeds u8');
  return {
    params: d.params,
    tokenSymbol: d.token_symbol,
    tokenValueExponent: Number(d.token_value_exponent),
    totalSupply: d.total_supply,
    commonPool: d.common_pool,
    lastBlockFees: d.last_block_fees,
    governanceDeposits: d.governance_deposits,
    ledger: new Map((d.ledger ?? []).map(([k, a]) => [hexOf(k), a])),
    delegations: d.delegations ?? new Map(),
    debondingDelegations: d.debonding_delegations ?? new Map(),
  };
};

function sortedEntries<V>(m: Map<AddressHex, V>): Array<[AddressHex, V]> {
  return [...m].sort((a, b) => compareHex(a[0], b[0]));
}

/** The CBOR-ready genesis section (for StateToGenesis and genesis tools). */
export function stakingGenesisToCbor(g: StakingGenesis): Record<string, unknown> {
  const out: Record<string, unknown> = {
    params: stakingParametersToCbor(g.params),
    token_symbol: g.tokenSymbol,
    token_value_exponent: g.tokenValueExponent,
    total_supply: quantityToBytes(g.totalSupply),
    common_pool: quantityToBytes(g.commonPool),
    last_block_fees: quantityToBytes(g.lastBlockFees),
    governance_deposits: quantityToBytes(g.governanceDeposits),
  };
  const addr = addressOfHex;
  if (g.ledger.size > 0)
    out.ledger = new Map(sortedEntries(g.ledger).map(([k, a]) => [addr(k), accountToCbor(a)]));
  const nest = <T>(m: Map<AddressHex, Map<AddressHex, T>>, enc: (x: T) => unknown) =>
    new Map(
      sortedEntries(m).map(([k, inner]) => [
        addr(k),
        new Map(sortedEntries(inner).map(([k2, x]) => [addr(k2), enc(x)])),
      ]),
    );
  if (g.delegations.size > 0) out.delegations = nest(g.delegations, delegationToCbor);
  if (g.debondingDelegations.size > 0)
    out.debonding_delegations = nest(g.debondingDelegations, (l) => l.map(debondingDelegationToCbor));
  return out;
}

function validateParameters(p: StakingParameters): void {
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
  validateParameters(g.params);
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
