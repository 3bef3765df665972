/**
 * Shared test fixture for staking and mux tests: deterministic keys, full staking parameters, a genesis
 * builder, an in-memory registry table (the registry service does not exist yet) and a small chain
 * driver that signs transactions and runs them through the real mux pipeline over `memoryState()`.
 */

import type { Misbehavior, TxResult, VoteInfo } from '../../../src/consensus/api/application.ts';
import { type Address, addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import { type Account, emptyAccount, THRESHOLD_KINDS } from '../../../src/services/staking/api/account.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import {
  defaultStakingParameters,
  type StakingParameters,
} from '../../../src/services/staking/api/params.ts';
import type { StakingGenesis } from '../../../src/services/staking/genesis.ts';
import type { NodeRef, RegistryHooks } from '../../../src/services/staking/hooks.ts';
import { StakingService } from '../../../src/services/staking/service.ts';
import { StakingState } from '../../../src/services/staking/state.ts';
import type { StateReader, StateWriter } from '../../../src/state/api.ts';
import { type BlockOutcome, CHAIN_CONTEXT, MuxChain, type SignOptions } from '../fixtures/chain.ts';
import { afterFeeAndNonce } from '../state_snapshot.ts';

export { CHAIN_CONTEXT };

/** The seed of key number `i` (for signers outside our crypto, e.g. the official client's). */
export function seedOf(i: number): Uint8Array {
  const seed = new Uint8Array(32);
  seed[0] = 0x5e;
  seed[31] = i;
  return seed;
}

/** Deterministic key number `i`. */
export function key(i: number): Ed25519KeyPair {
  let k = KEYS.get(i);
  if (k === undefined) {
    k = Ed25519KeyPair.fromSeed(seedOf(i));
    KEYS.set(i, k);
  }
  return k;
}
const KEYS = new Map<number, Ed25519KeyPair>();

/** Staking address of key `i`. */
export function addr(i: number): Address {
  return addressFromPublicKey(key(i).publicKey);
}

/** Parameters with every check enabled and round numbers. */
export function testParams(over: Partial<StakingParameters> = {}): StakingParameters {
  const p = defaultStakingParameters();
  for (const k of THRESHOLD_KINDS) p.thresholds.set(k, 100n);
  p.debondingInterval = 2n;
  p.gasCosts = {
    transfer: 1000n,
    burn: 1000n,
    add_escrow: 1000n,
    reclaim_escrow: 1000n,
    amend_commission_schedule: 1000n,
    allow: 1000n,
    withdraw: 1000n,
  };
  p.minDelegation = 10n;
  p.minTransfer = 1n;
  p.minTransactBalance = 0n;
  p.maxAllowances = 4;
  p.feeSplitWeightPropose = 2n;
  p.feeSplitWeightVote = 1n;
  p.feeSplitWeightNextPropose = 1n;
  p.commissionScheduleRules = {
    rateChangeInterval: 1n,
    rateBoundLead: 2n,
    maxRateSteps: 4,
    maxBoundSteps: 4,
    minCommissionRate: 0n,
  };
  return Object.assign(p, over);
}

/** An account with a general balance. */
export function funded(balance: bigint): Account {
  const a = emptyAccount();
  a.general.balance = balance;
  return a;
}

/** A genesis whose ledger gives each listed key its balance; the common pool completes the supply. */
export function makeGenesis(
  balances: Array<[number, bigint]>,
  opts: { params?: StakingParameters; commonPool?: bigint } = {},
): StakingGenesis {
  const ledger = new Map(balances.map(([i, b]) => [hexOf(addr(i)), funded(b)]));
  const commonPool = opts.commonPool ?? 0n;
  const total = balances.reduce((s, [, b]) => s + b, 0n) + commonPool;
  return {
    params: opts.params ?? testParams(),
    tokenSymbol: 'TEST',
    tokenValueExponent: 9,
    totalSupply: total,
    commonPool,
    lastBlockFees: 0n,
    governanceDeposits: 0n,
    ledger,
    delegations: new Map(),
    debondingDelegations: new Map(),
  };
}

/** An in-memory registry table: consensus key → node (what the registry service will answer). */
export class RegistryTable implements RegistryHooks {
  readonly nodes = new Map<string, NodeRef>();
  readonly frozen = new Map<string, bigint>();

  /** Registers a node whose consensus key is key `consensusKey`, owned by entity key `entity`. */
  add(consensusKey: number, entity: number, nodeId = key(200 + consensusKey).publicKey): this {
    this.nodes.set(hexOf(key(consensusKey).publicKey), { nodeId, entity: addr(entity), frozen: false });
    return this;
  }
  consensusKeyToEntity(_s: StateReader, pk: Uint8Array): Address | undefined {
    return this.nodes.get(hexOf(pk))?.entity;
  }
  consensusKeyToNode(_s: StateReader, pk: Uint8Array): NodeRef | undefined {
    return this.nodes.get(hexOf(pk));
  }
  freezeNode(_s: StateWriter, nodeId: Uint8Array, until: bigint): void {
    this.frozen.set(hexOf(nodeId), until);
    for (const n of this.nodes.values()) if (hexOf(n.nodeId) === hexOf(nodeId)) n.frozen = true;
  }
}

/** Options of a signed test transaction. */
export type TxOptions = SignOptions;

/** A chain driver over memory state and the real mux, running the staking service. */
export class TestChain extends MuxChain {
  readonly registry: RegistryTable;

  constructor(
    genesis: StakingGenesis,
    opts: {
      registry?: RegistryTable;
      epochInterval?: number;
      minGasPrice?: bigint;
      maxTxSize?: number;
      maxBlockGas?: bigint;
    } = {},
  ) {
    const registry = opts.registry ?? new RegistryTable();
    super({
      services: [new StakingService(registry)],
      epochs: fixedIntervalEpochs(opts.epochInterval ?? 10),
      sections: { staking: genesis },
      pipeline: {
        maxTxSize: opts.maxTxSize ?? 32768,
        maxBlockGas: opts.maxBlockGas ?? 0n,
        minGasPrice: opts.minGasPrice ?? 0n,
        gasCosts: { tx_byte: 1n },
      },
    });
    this.registry = registry;
  }

  get staking(): StakingState {
    return new StakingState(this.state);
  }

  /** Signs a transaction from key `signer` (nonce tracked automatically). */
  sign(signer: number, method: string, body: unknown, opts: TxOptions = {}): Uint8Array {
    return this.signTx(key(signer), method, body, opts);
  }

  /** Runs one block with the given raw transactions. */
  block(
    txs: Uint8Array[],
    opts: { proposer?: number; lastCommit?: VoteInfo[]; misbehavior?: Misbehavior[] } = {},
  ): { results: TxResult[]; events: BlockOutcome['events'] } {
    const proposer = opts.proposer === undefined ? undefined : key(opts.proposer).publicKey;
    const { results, events } = this.runBlock(txs, { ...opts, proposer });
    return { results, events };
  }

  /** Signs and runs one transaction in its own block; returns its result. */
  run(signer: number, method: string, body: unknown, opts: TxOptions = {}): TxResult {
    return this.block([this.sign(signer, method, body, opts)]).results[0]!;
  }

  /** `before` with only `signer`'s fee debited and nonce bumped. */
  expectedAfterFailure(before: Map<string, string>, signer: number, fee: bigint): Map<string, string> {
    return afterFeeAndNonce(before, addr(signer), fee);
  }

  /** Runs empty blocks until `height` is reached. */
  advanceTo(height: number): void {
    while (this.height < height) this.block([]);
  }
}
