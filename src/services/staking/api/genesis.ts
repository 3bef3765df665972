/**
 * The genesis `staking` section (oasis-core `staking.Genesis`): its wire shape (what the genesis file and
 * the hashed CBOR hold, built from the same account and parameter shapes the state uses) and the typed
 * view the staking service loads, with maps keyed by address hex.
 */
import {
  arrayCodec,
  type Codec,
  field,
  mapCodec,
  quantityField,
  structCodec,
  textCodec,
  uintCodec,
  viewCodec,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { CodecError } from '../../../errors.ts';
import {
  type Account,
  accountCodec,
  accountWireCodec,
  type DebondingDelegation,
  type Delegation,
  debondingDelegationCodec,
  debondingDelegationWireCodec,
  delegationCodec,
} from './account.ts';
import { type AddressHex, addressOfHex, compareHex, hexOf } from './address.ts';
import { type StakingParameters, stakingParametersCodec, stakingParametersWireCodec } from './params.ts';

const q = quantityField;

/** Wire shape of the genesis `staking` section. */
export const stakingSectionCodec = structCodec({
  params: field(stakingParametersWireCodec),
  token_symbol: field(textCodec),
  token_value_exponent: field(uintCodec),
  total_supply: q(false),
  common_pool: q(false),
  last_block_fees: q(false),
  governance_deposits: q(false),
  ledger: field(mapCodec(addressCodec, accountWireCodec), true),
  delegations: field(mapCodec(addressCodec, mapCodec(addressCodec, delegationCodec)), true),
  debonding_delegations: field(
    mapCodec(addressCodec, mapCodec(addressCodec, arrayCodec(debondingDelegationWireCodec))),
    true,
  ),
});

/** The wire form of the staking section, typed (what `GenesisDocument.staking` holds). */
export type StakingSection = typeof stakingSectionCodec extends Codec<infer T> ? T : never;

/** The staking genesis section as the service loads it. Maps are keyed by address hex. */
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

/** An address-keyed map as a hex-keyed one (and back, sorted by address). */
function byHex<A, B>(m: Map<Uint8Array, A>, f: (x: A) => B): Map<AddressHex, B> {
  return new Map([...m].map(([k, x]) => [hexOf(k), f(x)]));
}
function byAddress<A, B>(m: Map<AddressHex, A>, f: (x: A) => B): Map<Uint8Array, B> {
  return new Map([...m].sort((a, b) => compareHex(a[0], b[0])).map(([k, x]) => [addressOfHex(k), f(x)]));
}

function fromSection(w: StakingSection, path: string): StakingGenesis {
  if (w.token_value_exponent > 255) throw new CodecError(`${path}.token_value_exponent`, 'exceeds u8');
  const debonding = (l: DebondingDelegationWire[]) =>
    l.map((d) => debondingDelegationCodec.fromWire(d, path));
  return {
    params: stakingParametersCodec.fromWire(w.params, `${path}.params`),
    tokenSymbol: w.token_symbol,
    tokenValueExponent: w.token_value_exponent,
    totalSupply: w.total_supply,
    commonPool: w.common_pool,
    lastBlockFees: w.last_block_fees,
    governanceDeposits: w.governance_deposits,
    ledger: byHex(w.ledger, (a) => accountCodec.fromWire(a, `${path}.ledger`)),
    delegations: byHex(w.delegations, (inner) => byHex(inner, (d) => d)),
    debondingDelegations: byHex(w.debonding_delegations, (inner) => byHex(inner, debonding)),
  };
}

type DebondingDelegationWire = ReturnType<typeof debondingDelegationWireCodec.decode>;

function toSection(g: StakingGenesis): StakingSection {
  return {
    params: stakingParametersCodec.toWire(g.params),
    token_symbol: g.tokenSymbol,
    token_value_exponent: g.tokenValueExponent,
    total_supply: g.totalSupply,
    common_pool: g.commonPool,
    last_block_fees: g.lastBlockFees,
    governance_deposits: g.governanceDeposits,
    ledger: byAddress(g.ledger, (a) => accountCodec.toWire(a)),
    delegations: byAddress(g.delegations, (inner) => byAddress(inner, (d) => ({ shares: d.shares }))),
    debonding_delegations: byAddress(g.debondingDelegations, (inner) =>
      byAddress(inner, (l) => l.map((d) => debondingDelegationCodec.toWire(d))),
    ),
  };
}

/** The staking genesis section: the typed view over `stakingSectionCodec` (`fromWire(doc.staking)`). */
export const stakingGenesisCodec = viewCodec(stakingSectionCodec, fromSection, toSection);
