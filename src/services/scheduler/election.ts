/**
 * Elections, as pure functions of the registry, the stake and the epoch's beacon: the consensus validator
 * set (entities by escrow, at most `max_validators` nodes and `max_validators_per_entity` per entity,
 * power from stake) and runtime executor committees (workers and backup workers). Every node computes
 * the same result from the same state.
 *
 * Randomness: oasis-core's non-VRF path feeds Go's `math/rand` from a DRBG, which would tie us to Go's
 * generator; we order candidates by SHA-512/256(context || beacon || extra || id) instead — a uniformly
 * random permutation given an unpredictable beacon, in the spirit of oasis-core's VRF-path TupleHash sort.
 */
import { compareBytes, concatBytes, toHex, utf8 } from '../../codec/bytes.ts';
import { sha512_256 } from '../../crypto/hash.ts';

/** A node that may be elected, with what the registry and staking know about it. */
export interface Candidate {
  /** Node identity public key. */
  nodeId: Uint8Array;
  /** Owning entity's public key. */
  entityId: Uint8Array;
  /** Consensus public key (what the engine knows a validator by). */
  consensusKey: Uint8Array;
}

/** An entity competing for validator seats, with its active escrow and its validator-role nodes. */
export interface ValidatorEntity {
  entityId: Uint8Array;
  /** Active escrow balance of the entity's account. */
  escrow: bigint;
  nodes: Candidate[];
}

/** Validator election parameters (scheduler consensus parameters). */
export interface ValidatorElectionParams {
  minValidators: number;
  maxValidators: number;
  maxValidatorsPerEntity: number;
  /** 0 linear (escrow / 16), 1 square root. */
  votingPowerDistribution: 0 | 1;
  /** Every validator gets power 1 (debug networks without stake). */
  debugBypassStake: boolean;
}

/** An elected validator. */
export interface ElectedValidator extends Candidate {
  power: bigint;
}

/** Base units per unit of voting power in the linear distribution (oasis-core's scale). */
export const VOTING_POWER_SCALE = 16n;

/** Orders items by a keyed hash of the beacon: a deterministic, beacon-dependent permutation. */
export function shuffleByBeacon<T>(
  items: T[],
  idOf: (item: T) => Uint8Array,
  context: string,
  beacon: Uint8Array,
  extra: Uint8Array = new Uint8Array(0),
): T[] {
  const prefix = concatBytes(utf8(context), beacon, extra);
  return items
    .map((item) => ({ item, key: sha512_256(prefix, idOf(item)) }))
    .sort((a, b) => compareBytes(a.key, b.key))
    .map((x) => x.item);
}

/** Integer square root (Newton's method, exact for any size). */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/** Voting power of a validator whose entity has `escrow` staked. Never 0. */
export function votingPower(
  escrow: bigint,
  params: Pick<ValidatorElectionParams, 'votingPowerDistribution' | 'debugBypassStake'>,
): bigint {
  if (params.debugBypassStake) return 1n;
  const power = params.votingPowerDistribution === 1 ? isqrt(escrow) : escrow / VOTING_POWER_SCALE;
  return power > 0n ? power : 1n;
}

/**
 * Elects the validator set: entities ordered by escrow (ties in beacon order), each contributing up to
 * `maxValidatorsPerEntity` of its nodes (in beacon order) until `maxValidators`. Returns undefined when
 * fewer than `minValidators` can be elected (the caller keeps the current set).
 */
export function electValidators(
  entities: ValidatorEntity[],
  params: ValidatorElectionParams,
  beacon: Uint8Array,
): ElectedValidator[] | undefined {
  const byAddress = [...entities].sort((a, b) => compareBytes(a.entityId, b.entityId));
  const shuffled = shuffleByBeacon(byAddress, (e) => e.entityId, 'oasis-ts/scheduler: entities', beacon);
  const ordered = shuffled
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.escrow !== b.e.escrow ? (b.e.escrow > a.e.escrow ? 1 : -1) : a.i - b.i))
    .map((x) => x.e);
  const elected: ElectedValidator[] = [];
  for (const entity of ordered) {
    if (elected.length >= params.maxValidators) break;
    const nodes = shuffleByBeacon(entity.nodes, (n) => n.nodeId, 'oasis-ts/scheduler: validators', beacon);
    const power = votingPower(entity.escrow, params);
    for (const node of nodes.slice(0, params.maxValidatorsPerEntity)) {
      if (elected.length >= params.maxValidators) break;
      elected.push({ ...node, power });
    }
  }
  if (elected.length === 0 || elected.length < params.minValidators) return undefined;
  return elected;
}

/** Committee roles (oasis-core numbering). */
export const CommitteeRole = Object.freeze({ worker: 1, backupWorker: 2 } as const);
/** A committee role value. */
export type CommitteeRoleValue = (typeof CommitteeRole)[keyof typeof CommitteeRole];

/** A committee member. */
export interface CommitteeMember {
  role: CommitteeRoleValue;
  /** Node identity public key. */
  publicKey: Uint8Array;
}

/** Sizes an executor committee must have (from the runtime descriptor). */
export interface CommitteeSizes {
  groupSize: number;
  groupBackupSize: number;
  /** Minimum eligible nodes for the committee to form at all (0 = just the group size). */
  minPoolSize?: number;
}

/**
 * Elects a runtime's executor committee from eligible nodes: `groupSize` workers and `groupBackupSize`
 * backup workers, each role drawn by its own beacon permutation; backups come from the nodes that are
 * not workers when there are enough of them (otherwise a node may hold both roles, as in oasis-core).
 * Workers come first. Returns undefined when the pool is too small (no committee this epoch).
 */
export function electExecutorCommittee(
  eligible: Uint8Array[],
  sizes: CommitteeSizes,
  runtimeId: Uint8Array,
  beacon: Uint8Array,
): CommitteeMember[] | undefined {
  const pool = [...eligible].sort(compareBytes);
  const needed = Math.max(sizes.groupSize, sizes.groupBackupSize, sizes.minPoolSize ?? 0);
  if (sizes.groupSize < 1 || pool.length < needed) return undefined;
  const draw = (from: Uint8Array[], role: CommitteeRoleValue, count: number): CommitteeMember[] =>
    shuffleByBeacon(
      from,
      (id) => id,
      'oasis-ts/scheduler: executor',
      beacon,
      concatBytes(runtimeId, Uint8Array.of(role)),
    )
      .slice(0, count)
      .map((publicKey) => ({ role, publicKey }));
  const workers = draw(pool, CommitteeRole.worker, sizes.groupSize);
  // Backups settle discrepancies among the workers, so they are drawn from the other nodes whenever
  // there are enough (oasis-core draws both roles from the same pool; a worker that is also the only
  // backup would decide a dispute about its own result).
  const others = pool.filter((id) => !workers.some((w) => compareBytes(w.publicKey, id) === 0));
  const backupPool = others.length >= sizes.groupBackupSize ? others : pool;
  return [...workers, ...draw(backupPool, CommitteeRole.backupWorker, sizes.groupBackupSize)];
}

/** Hex ids of a member list, for logs and tests. */
export function memberIds(members: CommitteeMember[]): string[] {
  return members.map((m) => `${m.role}:${toHex(m.publicKey)}`);
}
