/** `oasis-core.Staking`: the staking query backend served over gRPC and gRPC-web. */

import { bytes, struct, uint } from '../../codec/schema.ts';
import { thresholdKindDecoder } from '../../services/staking/api/account.ts';
import { StakingQueries as Q } from '../../services/staking/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { UnaryMethod } from '../method.ts';
import { ownerQuery, type StateByHeight, stateMethod, structQueryMethod } from '../queries.ts';

const SERVICE = 'oasis-core.Staking';
const thresholdQuery = struct({ height: uint, kind: thresholdKindDecoder });
const allowanceQuery = struct({ height: uint, owner: bytes(21), beneficiary: bytes(21) });

/** The Staking methods over committed state. */
export function stakingMethods(states: StateByHeight): UnaryMethod[] {
  const byHeight = (name: string, fn: (s: StateReader) => unknown) => stateMethod(SERVICE, name, states, fn);
  const byOwner = (name: string, fn: (s: StateReader, owner: Uint8Array) => unknown) =>
    structQueryMethod(SERVICE, name, states, ownerQuery, (s, q) => fn(s, q.owner));
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
    structQueryMethod(SERVICE, 'Threshold', states, thresholdQuery, (s, q) => Q.threshold(s, q.kind)),
    byOwner('Account', Q.account),
    byOwner('DelegationsFor', Q.delegationsFor),
    byOwner('DelegationInfosFor', Q.delegationInfosFor),
    byOwner('DelegationsTo', Q.delegationsTo),
    byOwner('DebondingDelegationsFor', Q.debondingDelegationsFor),
    byOwner('DebondingDelegationInfosFor', Q.debondingDelegationInfosFor),
    byOwner('DebondingDelegationsTo', Q.debondingDelegationsTo),
    structQueryMethod(SERVICE, 'Allowance', states, allowanceQuery, (s, q) =>
      Q.allowance(s, q.owner, q.beneficiary),
    ),
  ];
}
