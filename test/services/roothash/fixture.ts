/**
 * Roothash test fixture: a chain running the real beacon, staking, registry, scheduler and roothash
 * services through the mux, with a validator (entity 1, node 1) and three compute nodes (4, 5, 6) of
 * entities 2, 3, 4 serving runtime 1 (2 workers, 1 backup, round timeout 2 blocks by default), the runtime's
 * account funded; and builders for signed executor commitments.
 */

import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import type { CborValue } from '../../../src/codec/cbor.ts';
import { addressFromRuntimeId } from '../../../src/crypto/address.ts';
import { EMPTY_HASH, sha512_256 } from '../../../src/crypto/hash.ts';
import type { GovernanceParameters } from '../../../src/services/governance/api/params.ts';
import { GovernanceService } from '../../../src/services/governance/service.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import { GovernanceModel, type Runtime } from '../../../src/services/registry/api/runtime.ts';
import type { RegistryGenesis } from '../../../src/services/registry/genesis.ts';
import { headerHash } from '../../../src/services/roothash/api/block.ts';
import {
  type ExecutorCommitment,
  signExecutorCommitment,
} from '../../../src/services/roothash/api/commitment.ts';
import type { RoothashGenesis } from '../../../src/services/roothash/api/genesis.ts';
import {
  messagesHash,
  type RuntimeMessage,
  runtimeMessageCodec,
} from '../../../src/services/roothash/api/messages.ts';
import { executorCommitBodyCodec, RoothashMethods } from '../../../src/services/roothash/api/methods.ts';
import type { RoothashParameters } from '../../../src/services/roothash/api/params.ts';
import { RoothashService } from '../../../src/services/roothash/service.ts';
import { RoothashStateReader } from '../../../src/services/roothash/state.ts';
import { SchedulerQueries } from '../../../src/services/scheduler/api/queries.ts';
import { SchedulerService } from '../../../src/services/scheduler/service.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';
import type { StakingGenesis } from '../../../src/services/staking/genesis.ts';
import { stakingParameterChanges } from '../../../src/services/staking/parameter_changes.ts';
import {
  computeRuntime,
  key,
  nodeDescriptor,
  nodeKeys,
  RegistryChain,
  registryGenesis,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../registry/fixture.ts';
import { CHAIN_CONTEXT, funded } from '../staking/fixture.ts';

/** The runtime under test and its staking account. */
export const RUNTIME = runtimeId(1);
export const RUNTIME_ADDRESS = addressFromRuntimeId(RUNTIME);
/** Compute node number → owning entity key. */
export const COMPUTE_NODES = new Map([
  [4, 2],
  [5, 3],
  [6, 4],
]);
/** Stake slashed (and freeze epochs) for incorrect results. */
export const INCORRECT_RESULTS_PENALTY = { amount: 100n, freeze_interval: 1n };

/** Test roothash parameters. */
export function roothashParams(over: Partial<RoothashParameters> = {}): RoothashParameters {
  return {
    gas_costs: new Map([
      ['compute_commit', 1000n],
      ['submit_msg', 1000n],
    ]),
    debug_do_not_suspend_runtimes: false,
    debug_bypass_stake: false,
    max_runtime_messages: 32,
    max_in_runtime_messages: 0,
    max_evidence_age: 0n,
    max_past_roots_stored: 3n,
    ...over,
  };
}

/** How a test chain differs from the default. */
export interface ChainOptions {
  /** Round timeout in blocks (default 2). */
  roundTimeout?: bigint;
  /** Adjusts the runtime descriptor before genesis. */
  runtime?: (rt: Runtime) => void;
  params?: Partial<RoothashParameters>;
  /** The genesis section's `runtime_states`. */
  runtimeStates?: RoothashGenesis['runtime_states'];
  /** Staking and registry sections to start from instead of the fixture's (e.g. a state dump). */
  dumped?: { staking: StakingGenesis; registry: RegistryGenesis };
  /** The runtime account's balance at genesis (default 1000). */
  runtimeBalance?: bigint;
  /** The consensus minimum gas price (default 0; `submit` then pays for its gas). */
  minGasPrice?: bigint;
  /** The runtime account's self-delegated escrow at genesis (default none). */
  runtimeEscrow?: bigint;
  /** The staking parameter `allow_escrow_messages` (default false). */
  allowEscrowMessages?: boolean;
  /** Adds governance with these parameters (runtime governance messages reach it). */
  governance?: GovernanceParameters;
}

function testRuntime(o: ChainOptions): Runtime {
  const rt = computeRuntime(1, 1);
  rt.executor.round_timeout = o.roundTimeout ?? 2n;
  rt.staking.slashing.set(SlashReason.runtimeIncorrectResults, INCORRECT_RESULTS_PENALTY);
  o.runtime?.(rt);
  return rt;
}

/**
 * A chain at genesis with the runtime registered (no committee until epoch 1). Epochs last 5 blocks, so
 * the round timeout (default 2) keeps a round and its backup timeout inside epoch 1.
 */
export function roothashChain(o: ChainOptions = {}): RegistryChain {
  const { staking, registry } = o.dumped ?? fixtureGenesis(o);
  const governance =
    o.governance === undefined ? undefined : new GovernanceService([stakingParameterChanges]);
  const roothash = new RoothashService(
    CHAIN_CONTEXT,
    governance && ((ctx, c) => governance.submitProposal(ctx, c)),
  );
  return new RegistryChain(staking, registry, {
    minGasPrice: o.minGasPrice ?? 0n,
    services: [new SchedulerService(), roothash, ...(governance ? [governance] : [])],
    sections: {
      ...(o.governance
        ? { governance: { params: o.governance, proposals: [], vote_entries: new Map() } }
        : {}),
      scheduler: {
        params: {
          min_validators: 1,
          max_validators: 10,
          max_validators_per_entity: 1,
          debug_bypass_stake: false,
          reward_factor_epoch_election_any: 0n,
          debug_allow_weak_alpha: false,
          voting_power_distribution: 0,
        },
      },
      roothash: { params: roothashParams(o.params), runtime_states: o.runtimeStates ?? new Map() },
    },
  });
}

function fixtureGenesis(o: ChainOptions): { staking: StakingGenesis; registry: RegistryGenesis } {
  const staking = stakedGenesis([
    [1, 10_000n, 5000n],
    [2, 1000n, 1000n],
    [3, 1000n, 1000n],
    [4, 1000n, 1000n],
  ]);
  const runtimeBalance = o.runtimeBalance ?? 1000n;
  staking.ledger.set(hexOf(RUNTIME_ADDRESS), funded(runtimeBalance));
  if (o.runtimeEscrow !== undefined) {
    // The runtime's own stake (a runtime governing itself backs its stake claim).
    const id = hexOf(RUNTIME_ADDRESS);
    staking.ledger.get(id)!.escrow.active = { balance: o.runtimeEscrow, totalShares: o.runtimeEscrow };
    staking.delegations.set(id, new Map([[id, { shares: o.runtimeEscrow }]]));
    staking.totalSupply += o.runtimeEscrow;
  }
  staking.params.allowEscrowMessages = o.allowEscrowMessages ?? false;
  staking.totalSupply += runtimeBalance;
  const computeNodes = [...COMPUTE_NODES];
  const registry = registryGenesis({
    entities: [signedEntity(1, [1]), ...computeNodes.map(([n, e]) => signedEntity(e, [n]))],
    runtimes: [testRuntime(o)],
    nodes: [
      signedNode(nodeDescriptor(1, 1, { expiration: 5n }), 1),
      ...computeNodes.map(([n, e]) =>
        signedNode(
          nodeDescriptor(n, e, { roles: NodeRoles.computeWorker, runtimes: [RUNTIME], expiration: 5n }),
          n,
        ),
      ),
    ],
  });
  // Runtimes may govern themselves (updating their descriptor with a registry message).
  registry.params.enable_runtime_governance_models.set(GovernanceModel.runtime, true);
  return { staking, registry };
}

/** The committee of the current epoch as node numbers: workers in scheduling order, backups. */
export function committeeNodes(c: RegistryChain): { workers: number[]; backups: number[] } {
  const byKey = new Map([...COMPUTE_NODES.keys()].map((n) => [toHex(nodeKeys(n).node.publicKey), n]));
  const [committee] = SchedulerQueries.getCommittees(c.state, RUNTIME) as Array<{
    members: Array<{ role: number; public_key: Uint8Array }>;
  }>;
  if (committee === undefined) throw new Error('no committee');
  const of = (role: number) =>
    committee.members.filter((m) => m.role === role).map((m) => byKey.get(toHex(m.public_key))!);
  return { workers: of(1), backups: of(2) };
}

/** The latest block header of the runtime. */
export function latestHeader(c: RegistryChain) {
  return new RoothashStateReader(c.state).runtimeState(RUNTIME)!.last_block.header;
}

/** Roots of a result named `variant` (different variants disagree on the state root). */
export function roots(variant: string, messages: RuntimeMessage[] = []) {
  return {
    io_root: sha512_256(utf8(`io ${variant}`)),
    state_root: sha512_256(utf8(`state ${variant}`)),
    messages_hash: messagesHash(messages.map((m) => runtimeMessageCodec.encode(m) as CborValue)),
    in_msgs_hash: EMPTY_HASH,
  };
}

const NO_ROOTS = {
  io_root: undefined,
  state_root: undefined,
  messages_hash: undefined,
  in_msgs_hash: undefined,
};

/** The scheduler (rank 0) of the next round, as a node number. */
export function nextScheduler(c: RegistryChain): number {
  const { workers } = committeeNodes(c);
  const round = latestHeader(c).round + 1n;
  return workers[Number(round % BigInt(workers.length))]!;
}

/** A commitment by node `n` for the next round under scheduler `scheduler` with results `variant`. */
export function commitment(
  c: RegistryChain,
  n: number,
  opts: {
    variant?: string;
    scheduler?: number;
    messages?: RuntimeMessage[];
    /** Messages the hash commits to (defaults to `messages`). */
    hashOf?: RuntimeMessage[];
    round?: bigint;
    failure?: number;
    /** Incoming messages the round claims to have processed (default none). */
    inMsgs?: { count: number; hash: Uint8Array };
  } = {},
): ExecutorCommitment {
  const last = latestHeader(c);
  const scheduler = opts.scheduler ?? nextScheduler(c);
  const header = {
    scheduler_id: nodeKeys(scheduler).node.publicKey,
    header: {
      round: opts.round ?? last.round + 1n,
      previous_hash: headerHash(last),
      ...(opts.failure ? NO_ROOTS : roots(opts.variant ?? 'honest', opts.hashOf ?? opts.messages ?? [])),
      ...(opts.inMsgs ? { in_msgs_hash: opts.inMsgs.hash } : {}),
      in_msgs_count: opts.inMsgs?.count ?? 0,
    },
    failure: opts.failure ?? 0,
    rak_sig: undefined,
  };
  return signExecutorCommitment(nodeKeys(n).node, RUNTIME, CHAIN_CONTEXT, header, opts.messages ?? []);
}

/** The CBOR body of `roothash.ExecutorCommit`. */
export function commitBody(commits: ExecutorCommitment[], id = RUNTIME): unknown {
  return executorCommitBodyCodec.encode({ id, commits });
}

/** Submits commitments in one transaction (signed by entity 1) in its own block. */
export function submit(c: RegistryChain, commits: ExecutorCommitment[]) {
  // Gas enough for the commitment; paid at the chain's minimum gas price (free when that is 0).
  const gas = 2000n;
  const fee = { amount: gas * c.minGasPrice, gas };
  return c.block([c.sign(key(1), RoothashMethods.executorCommit, commitBody(commits), fee)]);
}

/** Runs empty blocks until the block at `height` has executed. */
export function runUntil(c: RegistryChain, height: bigint): void {
  while (BigInt(c.height) <= height) c.block();
}
