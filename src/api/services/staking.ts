/** `oasis-core.Staking`: the staking query backend served over gRPC and gRPC-web. */
import type { CborValue } from '../../codec/cbor.ts';
import { bytes, struct, uint } from '../../codec/schema.ts';
import { thresholdKindDecoder } from '../../services/staking/api/account.ts';
import { StakingQueries as Q } from '../../services/staking/api/query.ts';
import type { UnaryMethod } from '../method.ts';
import { decodeRequestWith, ownerQuery, type StateByHeight, stateMethod } from '../queries.ts';

const SERVICE = 'oasis-core.Staking';
const thresholdQuery = struct({ height: uint, kind: thresholdKindDecoder });
const allowanceQuery = struct({ height: uint, owner: bytes(21), beneficiary: bytes(21) });

/** The Staking methods over committed state. */
export function stakingMethods(states: StateByHeight): UnaryMethod[] {
  const byHeight = (name: string, fn: (s: Parameters<typeof Q.totalSupply>[0]) => unknown) =>
    stateMethod(SERVICE, name, states, (s) => fn(s));
  const heightField =
    (decoder: (v: CborValue, p: string) => { height: number }) => (r: CborValue | undefined) =>
      decodeRequestWith(decoder, r).height;
  const byOwner = (name: string, fn: (s: Parameters<typeof Q.account>[0], owner: Uint8Array) => unknown) =>
    stateMethod(
      SERVICE,
      name,
      states,
      (s, r) => fn(s, decodeRequestWith(ownerQuery, r).owner),
      heightField(ownerQuery),
    );
  return [
    byHeight('TokenSymbol', Q.tokenSymbol),
    byHeight('TokenValueExponent', Q.tokenValueExponent),
    byHeight('TotalSupply', Q.totalSupply),
    byHeight('CommonPool', Q.commonPool),
    byHeight('LastBlockFees', Q.lastBlockFees),
    byHeight('GovernanceDeposits', Q.governanceDeposits),
    byHeight('Addresses', Q.addresses),
    byHeight('CommissionScheduleAddresses', Q.commissionScheduleAddresses),
    byHeight('ConsensusParameters', Q.consensusParameters),
    byHeight('StateToGenesis', Q.stateToGenesis),
    stateMethod(
      SERVICE,
      'Threshold',
      states,
      (s, r) => Q.threshold(s, decodeRequestWith(thresholdQuery, r).kind),
      heightField(thresholdQuery),
    ),
    byOwner('Account', Q.account),
    byOwner('DelegationsFor', Q.delegationsFor),
    byOwner('DelegationInfosFor', Q.delegationInfosFor),
    byOwner('DelegationsTo', Q.delegationsTo),
    byOwner('DebondingDelegationsFor', Q.debondingDelegationsFor),
    byOwner('DebondingDelegationsTo', Q.debondingDelegationsTo),
    stateMethod(
      SERVICE,
      'Allowance',
      states,
      (s, r) => {
        const q = decodeRequestWith(allowanceQuery, r);
        return Q.allowance(s, q.owner, q.beneficiary);
      },
      heightField(allowanceQuery),
    ),
  ];
}
