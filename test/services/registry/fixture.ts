/**
 * Registry (and scheduler) test fixture: deterministic entity and node keys, descriptor builders and a
 * chain driver running the real beacon, staking and registry services (plus any extra service) through
 * the real mux over `memoryState()`.
 */

import type { TxResult } from '../../../src/consensus/api/application.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import type { MultiSigned, Signed } from '../../../src/crypto/signature.ts';
import type { BeaconGenesis } from '../../../src/services/beacon/api/genesis.ts';
import { BeaconService } from '../../../src/services/beacon/service.ts';
import type { ConsensusService } from '../../../src/services/mux/service.ts';
import type { UpgradeHook } from '../../../src/services/mux/upgrade_hook.ts';
import { type Entity, signEntity } from '../../../src/services/registry/api/entity.ts';
import { type NodeDescriptor, NodeRoles, signNode } from '../../../src/services/registry/api/node.ts';
import {
  defaultRegistryParameters,
  type RegistryParameters,
} from '../../../src/services/registry/api/params.ts';
import {
  GovernanceModel,
  type Runtime,
  RuntimeKind,
  runtimeCodec,
} from '../../../src/services/registry/api/runtime.ts';
import type { RegistryGenesis } from '../../../src/services/registry/genesis.ts';
import { registryHooks } from '../../../src/services/registry/hooks.ts';
import { RegistryService } from '../../../src/services/registry/service.ts';
import { RegistryState } from '../../../src/services/registry/state.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import type { StakingGenesis } from '../../../src/services/staking/genesis.ts';
import { StakingService } from '../../../src/services/staking/service.ts';
import { StakingState } from '../../../src/services/staking/state.ts';
import { type BlockOptions, type BlockOutcome, MuxChain } from '../fixtures/chain.ts';
import { addr, key, makeGenesis } from '../staking/fixture.ts';
import { afterFeeAndNonce } from '../state_snapshot.ts';

export { addr, key };

/** Blocks per epoch in these tests (epoch 1 starts at height 5). */
export const EPOCH_INTERVAL = 5;

/** The five keys of node `n` (1..19). */
export function nodeKeys(n: number) {
  return {
    node: key(100 + n),
    p2p: key(120 + n),
    consensus: key(140 + n),
    vrf: key(160 + n),
    tls: key(180 + n),
  };
}

/** A signed entity descriptor of key `i` listing nodes `nodes`. */
export function signedEntity(i: number, nodes: number[] = []): Signed {
  const entity: Entity = { v: 2, id: key(i).publicKey };
  if (nodes.length > 0) entity.nodes = nodes.map((n) => nodeKeys(n).node.publicKey);
  return signEntity(key(i), entity);
}

const routable = { ip: Uint8Array.of(8, 8, 8, 8), port: 26656, zone: '' };

/** A node descriptor for node `n` of entity `entity`. */
export function nodeDescriptor(
  n: number,
  entity: number,
  opts: { roles?: number; expiration?: bigint; runtimes?: Uint8Array[] } = {},
): NodeDescriptor {
  const k = nodeKeys(n);
  return {
    v: 3,
    id: k.node.publicKey,
    entityId: key(entity).publicKey,
    expiration: opts.expiration ?? 3n,
    tls: { pubKey: k.tls.publicKey },
    p2p: { id: k.p2p.publicKey, addresses: [routable] },
    consensus: { id: k.consensus.publicKey, addresses: [{ id: k.consensus.publicKey, address: routable }] },
    vrf: { id: k.vrf.publicKey },
    runtimes: (opts.runtimes ?? []).map((id) => ({
      id,
      version: { major: 1, minor: 0, patch: 0 },
      capabilities: {},
      extraInfo: null,
    })),
    roles: opts.roles ?? NodeRoles.validator,
  };
}

/** Node `n`'s descriptor signed by its five keys. */
export function signedNode(desc: NodeDescriptor, n: number): MultiSigned {
  return signNode(nodeKeys(n), desc);
}

/** A runtime ID with the last byte `b` (flags clear: a production compute runtime). */
export function runtimeId(b: number): Uint8Array {
  const id = new Uint8Array(32);
  id[31] = b;
  return id;
}

/** A valid compute runtime owned by entity key `entity`, first deployment from `validFrom`. */
export function computeRuntime(b: number, entity: number, validFrom = 0n): Runtime {
  return {
    v: 3,
    id: runtimeId(b),
    entity_id: key(entity).publicKey,
    genesis: { state_root: new Uint8Array(32), round: 0n },
    kind: RuntimeKind.compute,
    tee_hardware: 0,
    key_manager: undefined,
    executor: {
      group_size: 2,
      group_backup_size: 1,
      allowed_stragglers: 0,
      round_timeout: 5n,
      max_messages: 32,
      min_live_rounds_percent: 0,
      max_missed_proposals_percent: 0,
      min_live_rounds_eval: 0n,
      max_liveness_fails: 0,
    },
    txn_scheduler: {
      batch_flush_timeout: 1_000_000_000n,
      max_batch_size: 100n,
      max_batch_size_bytes: 16384n,
      max_in_messages: 0,
      propose_batch_timeout: 2_000_000_000n,
    },
    storage: { checkpoint_interval: 0n, checkpoint_num_kept: 0n, checkpoint_chunk_size: 0n },
    admission_policy: { any_node: {}, entity_whitelist: undefined, per_role: new Map() },
    constraints: new Map(),
    staking: {
      thresholds: new Map(),
      slashing: new Map(),
      reward_equivocation: 0,
      reward_bad_results: 0,
      min_in_message_fee: 0n,
    },
    governance_model: GovernanceModel.entity,
    deployments: [
      {
        version: { major: 1, minor: 0, patch: 0 },
        valid_from: validFrom,
        tee: new Uint8Array(0),
        bundle_checksum: new Uint8Array(0),
      },
    ],
  };
}

/** The CBOR body of a `registry.RegisterRuntime` transaction. */
export function runtimeBody(rt: Runtime): unknown {
  return runtimeCodec.encode(rt);
}

/** Test registry parameters: no address routability checks, max expiration 5 epochs. */
export function registryParams(over: Partial<RegistryParameters> = {}): RegistryParameters {
  return { ...defaultRegistryParameters(), ...over };
}

/** A staking genesis where each `[key, general, escrow]` has that general balance and self-delegated escrow. */
export function stakedGenesis(accounts: Array<[number, bigint, bigint]>): StakingGenesis {
  const g = makeGenesis(accounts.map(([i, general]) => [i, general]));
  for (const [i, , escrow] of accounts) {
    if (escrow === 0n) continue;
    const id = hexOf(addr(i));
    g.ledger.get(id)!.escrow.active = { balance: escrow, totalShares: escrow };
    g.delegations.set(id, new Map([[id, { shares: escrow }]]));
    g.totalSupply += escrow;
  }
  return g;
}

/** An empty registry section with `params`. */
export function registryGenesis(over: Partial<RegistryGenesis> = {}): RegistryGenesis {
  return {
    params: registryParams(),
    entities: [],
    runtimes: [],
    suspended_runtimes: [],
    nodes: [],
    node_statuses: new Map(),
    ...over,
  };
}

/** The beacon section of these chains: insecure, base epoch 0, `EPOCH_INTERVAL` blocks an epoch. */
export const beaconGenesis: BeaconGenesis = {
  base: 0n,
  params: {
    backend: 'insecure',
    debug_mock_backend: false,
    insecure_parameters: { interval: BigInt(EPOCH_INTERVAL) },
    vrf_parameters: undefined,
  },
};

export type { BlockOutcome };

/** A chain over memory state with beacon, staking, registry and `extra` services. */
export class RegistryChain extends MuxChain {
  /** The consensus minimum gas price of this chain. */
  readonly minGasPrice: bigint;

  constructor(
    staking: StakingGenesis,
    registry: RegistryGenesis,
    extra: {
      services?: ConsensusService[];
      sections?: Record<string, unknown>;
      minGasPrice?: bigint;
      upgrades?: UpgradeHook;
    } = {},
  ) {
    const beacon = new BeaconService();
    const minGasPrice = extra.minGasPrice ?? 0n;
    super({
      services: [beacon, new StakingService(registryHooks), new RegistryService(), ...(extra.services ?? [])],
      epochs: beacon,
      sections: { beacon: beaconGenesis, staking, registry, ...(extra.sections ?? {}) },
      pipeline: { minGasPrice },
      // A block's time is six seconds a height, counted from the height after it.
      time: (height) => (height + 1) * 6,
      ...(extra.upgrades !== undefined ? { upgrades: extra.upgrades } : {}),
    });
    this.minGasPrice = minGasPrice;
  }

  get registry(): RegistryState {
    return new RegistryState(this.state);
  }
  get staking(): StakingState {
    return new StakingState(this.state);
  }
  /** Current epoch. */
  get epoch(): bigint {
    return BigInt(Math.floor(this.height / EPOCH_INTERVAL));
  }

  /** Signs a transaction from `signer` (nonce from its account). */
  sign(
    signer: ReturnType<typeof key>,
    method: string,
    body: unknown,
    fee = { amount: 0n, gas: 1_000_000n },
  ): Uint8Array {
    return this.signTx(signer, method, body, { fee });
  }

  /** Runs one block (optionally with a proposer, last-commit votes and proven misbehaviour). */
  block(txs: Uint8Array[] = [], opts: BlockOptions = {}): BlockOutcome {
    return this.runBlock(txs, opts);
  }

  /** Signs and runs one transaction in its own block. */
  run(signer: ReturnType<typeof key>, method: string, body: unknown): TxResult {
    return this.block([this.sign(signer, method, body)]).results[0]!;
  }

  /** Runs empty blocks until the first block of `epoch` has executed; returns the outcomes. */
  advanceToEpoch(epoch: bigint): BlockOutcome[] {
    const out: BlockOutcome[] = [];
    while (this.height <= Number(epoch) * EPOCH_INTERVAL) out.push(this.block());
    return out;
  }

  /** `before` with only `signer`'s fee debited and nonce bumped. */
  expectedAfterFailure(before: Map<string, string>, signer: Uint8Array, fee: bigint): Map<string, string> {
    return afterFeeAndNonce(before, addressFromPublicKey(signer), fee);
  }
}
