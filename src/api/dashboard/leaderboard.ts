/**
 * The node-operator leaderboard: every registered entity with its stake (self and delegated), delegator
 * count, commission, its nodes and their roles, and — over the last N blocks — how many its validators
 * signed (uptime) and proposed, how often it was slashed, and whether a node is frozen. Ranked by stake.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { addressFromPublicKey, addressToBech32 } from '../../crypto/address.ts';
import { getEpoch } from '../../services/beacon/api/queries.ts';
import { entityCodec } from '../../services/registry/api/entity.ts';
import { NodeRoles } from '../../services/registry/api/node.ts';
import { RegistryQueries } from '../../services/registry/api/queries.ts';
import { isFrozen, nodeStatusCodec } from '../../services/registry/api/status.ts';
import { validatorCodec } from '../../services/scheduler/api/committee.ts';
import { SchedulerQueries } from '../../services/scheduler/api/queries.ts';
import { delegationCodec } from '../../services/staking/api/account.ts';
import { COMMISSION_RATE_DENOMINATOR, currentRate } from '../../services/staking/api/commission.ts';
import { StakingQueries } from '../../services/staking/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import { type WindowActivity, windowActivity } from './activity.ts';
import type { DashboardBackend } from './backend.ts';
import { latestState, NodeDirectory } from './chain_reads.ts';
import { accountAt, sharesToAmount } from './staking_reads.ts';

/** One node of an entity as the leaderboard shows it. */
export interface OperatorNode {
  id: string;
  consensus_key: string;
  roles: string[];
  /** In the validator set in effect. */
  validator: boolean;
  voting_power: string;
  frozen: boolean;
  /** Share of the window's blocks whose commit this node's precommit is in (0..1). */
  uptime: number;
  proposed: number;
}

/** One leaderboard row. */
export interface OperatorRow {
  rank: number;
  entity_id: string;
  address: string;
  /** Active escrow in base units: self + delegated. */
  stake: string;
  self_stake: string;
  delegated_stake: string;
  /** Delegators other than the entity itself. */
  delegators: number;
  /** Commission in force, as a fraction (0..1); null when the entity has no schedule. */
  commission: number | null;
  /** True when one of its nodes is in the validator set in effect. */
  validator: boolean;
  /** Best uptime among its validator nodes (0..1; 0 for entities without one). */
  uptime: number;
  proposed: number;
  slashes: number;
  frozen: boolean;
  nodes: OperatorNode[];
}

/** The leaderboard as `/api/leaderboard` answers it. */
export interface Leaderboard {
  height: number;
  /** Blocks the uptime and proposal counts cover. */
  window: number;
  operators: OperatorRow[];
}

const ROLE_NAMES: ReadonlyArray<[number, string]> = [
  [NodeRoles.validator, 'validator'],
  [NodeRoles.computeWorker, 'compute'],
  [NodeRoles.observer, 'observer'],
  [NodeRoles.keyManager, 'key-manager'],
  [NodeRoles.storageRpc, 'storage-rpc'],
];

/** The role names of a node's role mask. */
export function roleNames(mask: number): string[] {
  return ROLE_NAMES.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);
}

function operatorRow(
  state: StateReader,
  entityId: Uint8Array,
  directory: NodeDirectory,
  validators: Map<string, bigint>,
  activity: WindowActivity,
  epoch: bigint,
): Omit<OperatorRow, 'rank'> {
  const address = addressFromPublicKey(entityId);
  const account = accountAt(state, address);
  const pool = account.escrow.active;
  let selfShares = 0n;
  let delegators = 0;
  for (const [delegator, d] of StakingQueries.delegationsTo(state, address)) {
    const { shares } = delegationCodec.decode(d as never, 'delegation');
    if (bytesEqual(delegator, address)) selfShares = shares;
    else delegators++;
  }
  const selfStake = sharesToAmount(selfShares, pool);
  const rate = currentRate(account.escrow.commissionSchedule, epoch);
  const nodes = directory.nodes
    .filter((n) => bytesEqual(n.entityId, entityId))
    .map((n): OperatorNode => {
      const key = toHex(n.consensus.id);
      const power = validators.get(toHex(n.id));
      const status = nodeStatusCodec.decode(RegistryQueries.getNodeStatus(state, n.id) as never, 'status');
      return {
        id: toHex(n.id),
        consensus_key: key,
        roles: roleNames(n.roles),
        validator: power !== undefined,
        voting_power: (power ?? 0n).toString(),
        frozen: isFrozen(status),
        uptime: activity.blocks === 0 ? 0 : (activity.signed.get(key) ?? 0) / activity.blocks,
        proposed: activity.proposed.get(key) ?? 0,
      };
    });
  return {
    entity_id: toHex(entityId),
    address: addressToBech32(address),
    stake: pool.balance.toString(),
    self_stake: selfStake.toString(),
    delegated_stake: (pool.balance - selfStake).toString(),
    delegators,
    commission: rate === undefined ? null : Number(rate) / Number(COMMISSION_RATE_DENOMINATOR),
    validator: nodes.some((n) => n.validator),
    uptime: Math.max(0, ...nodes.filter((n) => n.validator).map((n) => n.uptime)),
    proposed: nodes.reduce((sum, n) => sum + n.proposed, 0),
    slashes: activity.slashes.get(toHex(address)) ?? 0,
    frozen: nodes.some((n) => n.frozen),
    nodes,
  };
}

/** Every registered entity at the latest height, ranked by stake (ties by entity ID). */
export function leaderboard(b: DashboardBackend, window: number): Leaderboard {
  const { height, state } = latestState(b);
  const directory = new NodeDirectory(state);
  const validators = new Map(
    SchedulerQueries.getValidators(state).map((v) => {
      const d = validatorCodec.decode(v as never, 'validator');
      return [toHex(d.id), d.voting_power] as const;
    }),
  );
  const activity = windowActivity(b, height, window);
  const epoch = getEpoch(state);
  const rows = RegistryQueries.getEntities(state)
    .map((e) => entityCodec.decode(e as never, 'entity').id)
    .map((id) => operatorRow(state, id, directory, validators, activity, epoch))
    .sort((x, y) => {
      const d = BigInt(y.stake) - BigInt(x.stake);
      return d !== 0n ? (d > 0n ? 1 : -1) : x.entity_id < y.entity_id ? -1 : 1;
    });
  return { height, window: activity.blocks, operators: rows.map((r, i) => ({ rank: i + 1, ...r })) };
}
