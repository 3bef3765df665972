/**
 * Registry descriptors for the ParaTimes this node ships: a compute runtime descriptor (v3, no TEE, one
 * deployment) sized for a given number of compute nodes, and deterministic test runtime IDs. Local
 * networks register their runtime through here, so the executor committee shape, the timeouts and the
 * penalties for wrong results are decided in one place.
 */
import { u64be } from '../../codec/bytes.ts';
import {
  GovernanceModel,
  RUNTIME_DESCRIPTOR_VERSION,
  type Runtime,
  RuntimeKind,
  TeeHardware,
} from '../../services/registry/api/runtime.ts';
import { SlashReason } from '../../services/staking/api/params.ts';

/** The version every built-in ParaTime deploys as (and compute nodes register for). */
export const PARATIME_VERSION = Object.freeze({ major: 1, minor: 0, patch: 0 });

const MS = 1_000_000n;
/** Test runtime flag: bit 63 of the big-endian flags in the ID's first 8 bytes (`common.Namespace`). */
const TEST_RUNTIME_FLAGS = 1n << 63n;
/** Key manager runtime flag: bit 62 of the ID's big-endian flags. */
const KEY_MANAGER_RUNTIME_FLAG = 1n << 62n;

/**
 * The ID of a local network's `index`-th runtime: test flag set, the index in the last 8 bytes, so the
 * first is oasis-core's familiar `8000…0000` and the same on every machine.
 */
export function localnetRuntimeId(index = 0): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('runtime index must be ≥ 0');
  const id = new Uint8Array(32);
  id.set(u64be(TEST_RUNTIME_FLAGS), 0);
  id.set(u64be(BigInt(index)), 24);
  return id;
}

/** What a ParaTime's runtime descriptor depends on. */
export interface ParaTimeDescriptorOptions {
  id: Uint8Array;
  /** Entity public key that owns (and, under entity governance, controls) the runtime. */
  owner: Uint8Array;
  /** State root of the runtime's genesis state (`genesisStateRoot` of the ParaTime's local config). */
  genesisStateRoot: Uint8Array;
  /** Compute nodes that will serve it: all but one are workers, the rest backups. */
  computeNodes: number;
  /** Escrow slashed from an entity whose node commits wrong results or equivocates (base units). */
  slashAmount: bigint;
  /** Epochs a slashed node stays frozen (default 0: slashed, still elected). */
  freezeInterval?: bigint;
  /** Blocks a round may take before it fails (default 5). */
  roundTimeout?: bigint;
  /** The key manager runtime of a confidential ParaTime. */
  keyManager?: Uint8Array;
}

/** The executor group sizes for `n` compute nodes: max(1, n−1) workers, the rest backups. */
export function executorGroupSizes(n: number): { workers: number; backups: number } {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('a runtime needs at least one compute node');
  const workers = Math.max(1, n - 1);
  return { workers, backups: n - workers };
}

/**
 * A compute runtime descriptor that passes the registry's checks: no TEE, entity governance, any node may
 * serve it, version 1.0.0 from epoch 0, no straggler allowed, oasis-core's minimum scheduler timings
 * rounded up, and the runtime's penalties for incorrect results and equivocation.
 */
export function paraTimeRuntimeDescriptor(o: ParaTimeDescriptorOptions): Runtime {
  const { workers, backups } = executorGroupSizes(o.computeNodes);
  const slash = { amount: o.slashAmount, freeze_interval: o.freezeInterval ?? 0n };
  return {
    v: RUNTIME_DESCRIPTOR_VERSION,
    id: o.id,
    entity_id: o.owner,
    genesis: { state_root: o.genesisStateRoot, round: 0n },
    kind: RuntimeKind.compute,
    tee_hardware: TeeHardware.invalid,
    key_manager: o.keyManager,
    executor: {
      group_size: workers,
      group_backup_size: backups,
      allowed_stragglers: 0,
      round_timeout: o.roundTimeout ?? 5n,
      max_messages: 32,
      min_live_rounds_percent: 0,
      max_missed_proposals_percent: 0,
      min_live_rounds_eval: 0n,
      max_liveness_fails: 0,
    },
    txn_scheduler: {
      batch_flush_timeout: 100n * MS,
      max_batch_size: 1000n,
      max_batch_size_bytes: 1024n * 1024n,
      // Deposits from the consensus layer arrive as incoming messages (roothash.SubmitMsg).
      max_in_messages: 128,
      // A backup-ranked worker proposes after rank × this: at 1 s a scheduler merely slowed by a busy
      // machine (its check and the block's lag across nodes) was overtaken in a third of loaded rounds, and
      // every member then executed both batches.
      propose_batch_timeout: 2000n * MS,
    },
    storage: { checkpoint_interval: 0n, checkpoint_num_kept: 0n, checkpoint_chunk_size: 0n },
    admission_policy: { any_node: {}, entity_whitelist: undefined, per_role: new Map() },
    constraints: new Map(),
    staking: {
      thresholds: new Map(),
      slashing: new Map([
        [SlashReason.runtimeIncorrectResults, slash],
        [SlashReason.runtimeEquivocation, { ...slash }],
      ]),
      reward_equivocation: 0,
      reward_bad_results: 50,
      min_in_message_fee: 0n,
    },
    governance_model: GovernanceModel.entity,
    deployments: [
      {
        version: { ...PARATIME_VERSION },
        valid_from: 0n,
        tee: new Uint8Array(0),
        bundle_checksum: new Uint8Array(0),
      },
    ],
  };
}

/**
 * The ID of a local network's key manager runtime: test and key manager flags set, the rest ones, as
 * oasis-core's test networks (and sapphire-localnet) number theirs.
 */
export function localnetKeyManagerId(): Uint8Array {
  const id = new Uint8Array(32).fill(0xff);
  id.set(u64be(TEST_RUNTIME_FLAGS | KEY_MANAGER_RUNTIME_FLAG), 0);
  return id;
}

/**
 * A key manager runtime descriptor (kind `keymanager`, no TEE: a test runtime only) owned by `owner`: no
 * state of its own, registered so that confidential runtimes can name it and its nodes can register for it.
 */
export function keyManagerRuntimeDescriptor(id: Uint8Array, owner: Uint8Array): Runtime {
  const base = paraTimeRuntimeDescriptor({
    id,
    owner,
    genesisStateRoot: new Uint8Array(32),
    computeNodes: 1,
    slashAmount: 0n,
  });
  return { ...base, kind: RuntimeKind.keymanager, key_manager: undefined };
}
