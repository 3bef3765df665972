/**
 * The one table of state key prefixes, as oasis-core lays out its consensus state: key = 1 prefix byte +
 * fixed-size parts, integers big-endian, `H(x)` = SHA-512/256 of x. Keeping the same prefixes keeps
 * state dumps and proofs comparable with oasis-core's.
 */
import { concatBytes } from '../codec/bytes.ts';

/** Prefix bytes per service. */
export const KeyPrefix = Object.freeze({
  // consensus
  chainContext: 0xf0,
  consensusParameters: 0xf1,
  // registry
  registryEntity: 0x10,
  registryNode: 0x11,
  registryNodeByEntity: 0x12,
  registryRuntime: 0x13,
  registryNodeByConsensusAddress: 0x14,
  registryNodeStatus: 0x15,
  registryParameters: 0x16,
  registryKeyMap: 0x17,
  registrySuspendedRuntime: 0x18,
  registryRuntimeByEntity: 0x19,
  // roothash
  roothashRuntimeState: 0x20,
  roothashParameters: 0x21,
  roothashRoundTimeoutQueue: 0x22,
  roothashEvidence: 0x24,
  roothashStateRoot: 0x25,
  roothashIORoot: 0x26,
  roothashLastRoundResults: 0x27,
  roothashInMsgQueueMeta: 0x28,
  roothashInMsgQueue: 0x29,
  roothashPastRoots: 0x2a,
  // beacon
  beaconCurrentEpoch: 0x40,
  beaconFutureEpoch: 0x41,
  beaconBeacon: 0x42,
  beaconParameters: 0x43,
  /** Ours (unused by oasis-core): the genesis epoch and height, to tell the base epoch from transitions. */
  beaconBaseEpoch: 0x44,
  beaconPendingMockEpoch: 0x45,
  beaconVRFState: 0x46,
  // staking
  stakingAccount: 0x50,
  stakingTotalSupply: 0x51,
  stakingCommonPool: 0x52,
  stakingDelegation: 0x53,
  stakingDebondingDelegation: 0x54,
  stakingDebondingQueue: 0x55,
  stakingParameters: 0x56,
  stakingLastBlockFees: 0x57,
  stakingEpochSigning: 0x58,
  stakingGovernanceDeposits: 0x59,
  stakingReverseDelegation: 0x5a,
  stakingCommissionScheduleAddresses: 0x5b,
  // scheduler
  schedulerCommittee: 0x60,
  schedulerCurrentValidators: 0x61,
  schedulerPendingValidators: 0x62,
  schedulerParameters: 0x63,
  // governance
  governanceNextProposalId: 0x80,
  governanceProposals: 0x81,
  governanceActiveProposals: 0x82,
  governanceVotes: 0x83,
  governancePendingUpgrades: 0x84,
  governanceParameters: 0x85,
});

/** Builds a key from a prefix byte and its parts. */
export function makeKey(prefix: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes(Uint8Array.of(prefix), ...parts);
}
