/**
 * N simulated validators wired together: keys, genesis, network, virtual clock and the observers the
 * checkers read. The simulator, the driver tests and the benchmark all build their networks here.
 */
import { toHex, utf8 } from '../../codec/bytes.ts';
import { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type { ValidatorUpdate } from '../api/application.ts';
import type { DriverConfig } from '../bft/driver.ts';
import type { Mempool } from '../bft/host.ts';
import type { ConsensusMessage } from '../bft/messages.ts';
import type { ByzantineKind } from './byzantine_kinds.ts';
import { checkAgreement, type DecisionRecord, type SignedVoteRecord } from './checkers.ts';
import type { FaultMask } from './fault_mask.ts';
import { isValidKvTx, validatorTx } from './kv_app.ts';
import { SimNetwork } from './network.ts';
import { Rng } from './rng.ts';
import { VirtualScheduler } from './scheduler.ts';
import { SimNode, type SimNodeEnv } from './sim_node.ts';
import { SimTrace } from './trace.ts';

/** Virtual time at which every simulated chain starts (unix ms). */
export const GENESIS_TIME = 1_700_000_000_000;
/** Voting power of every simulated validator at genesis. */
export const POWER = 10n;

/** Timeouts for simulated networks (virtual milliseconds). */
export const SIM_TIMEOUTS = {
  proposeMs: 1000,
  proposeDeltaMs: 500,
  prevoteMs: 500,
  prevoteDeltaMs: 250,
  precommitMs: 500,
  precommitDeltaMs: 250,
};

/** Shape of a simulated network. */
export interface ClusterOptions {
  seed: number;
  validators: number;
  byzantine: number;
  timeoutCommitMs?: number;
  /** Deliveries kept in the failure trace (default 40; 0 disables tracing). */
  traceDeliveries?: number;
  gossipIntervalMs?: number;
  /** Largest wall-clock skew of a node, either way (default 0: synchronised clocks). */
  maxClockSkewMs?: number;
  /** Behaviours byzantine validators draw from (default only `equivocate`). */
  byzantineKinds?: readonly ByzantineKind[];
  /** Names of non-validators (attached by the test, see `externals`) the validators gossip to as well. */
  followers?: readonly string[];
  /** Faults drawn but not applied (shrinking keeps every draw, so the rest of the schedule is unchanged). */
  mask?: FaultMask;
}

const keyCache = new Map<number, Ed25519KeyPair>();
function validatorKey(i: number): Ed25519KeyPair {
  let k = keyCache.get(i);
  if (k === undefined)
    keyCache.set(i, (k = Ed25519KeyPair.fromSeed(sha512_256(utf8(`oasis-ts sim validator ${i}`)))));
  return k;
}

/** A mempool that offers a couple of fresh transactions per block, and once a validator-power change. */
function simMempool(node: string, powerChange: Uint8Array | null): Mempool {
  let counter = 0;
  let pendingChange = powerChange;
  return {
    reap: () => {
      counter++;
      const txs = [utf8(`${node}k${counter % 7}=v${counter}`), utf8(`c${node}=${counter}`)];
      if (pendingChange !== null) txs.push(pendingChange);
      return txs;
    },
    update: (committed) => {
      if (pendingChange !== null && committed.some((t) => toHex(t) === toHex(pendingChange!)))
        pendingChange = null;
    },
  };
}

/** A running simulated network and what its honest nodes did. */
export class SimCluster {
  readonly rng: Rng;
  readonly scheduler = new VirtualScheduler(GENESIS_TIME);
  readonly network: SimNetwork;
  readonly trace: SimTrace;
  readonly names: string[];
  readonly byzantine: Set<string>;
  /** The behaviour of each byzantine validator. */
  readonly byzantineKinds: Map<string, ByzantineKind>;
  readonly honest: string[];
  readonly nodes: Map<string, SimNode>;
  readonly config: DriverConfig;
  /** Honest decisions, own signed messages of honest nodes, and committed heights (all nodes). */
  readonly decisions: DecisionRecord[] = [];
  readonly signed: SignedVoteRecord[] = [];
  readonly committedHeight: Map<string, number>;
  /** Safety violations found as they happen. */
  readonly violations: string[] = [];
  readonly invalidTxBlocks: DecisionRecord[] = [];
  equivocationsSeen = 0;
  /** Processes outside the validator set (e.g. followers) whose work the run loop waits for. */
  readonly externals = new Map<string, { idle(): Promise<void> }>();

  private constructor(opts: ClusterOptions) {
    if (opts.validators < 1 || 3 * opts.byzantine >= opts.validators) {
      throw new RangeError('need at least one validator and 3·byzantine < validators');
    }
    this.rng = new Rng(opts.seed);
    this.network = new SimNetwork(this.scheduler, this.rng);
    const keep = opts.traceDeliveries ?? 40;
    this.trace = new SimTrace(keep);
    if (keep > 0)
      this.network.onDeliver = (from, to, m) => this.trace.delivery(this.scheduler.now(), from, to, m);
    this.names = Array.from({ length: opts.validators }, (_, i) => `n${i}`);
    const keys = this.names.map((_, i) => validatorKey(i));
    this.byzantine = new Set(this.rng.shuffle(this.names).slice(0, opts.byzantine));
    this.honest = this.names.filter((n) => !this.byzantine.has(n));
    this.committedHeight = new Map(this.names.map((n) => [n, 0]));
    const genesis: ValidatorUpdate[] = keys.map((k) => ({ publicKey: k.publicKey, power: POWER }));
    this.config = {
      chainId: `sim-${opts.seed}`,
      initialHeight: 1,
      genesisTime: GENESIS_TIME,
      timeouts: SIM_TIMEOUTS,
      timeoutCommitMs: opts.timeoutCommitMs ?? 100,
      gossipIntervalMs: opts.gossipIntervalMs ?? 1000,
      maxTxBytes: 64 * 1024,
    };
    const maxSkew = opts.maxClockSkewMs ?? 0;
    const skews = new Map(this.names.map((n) => [n, maxSkew === 0 ? 0 : this.rng.int(-maxSkew, maxSkew)]));
    if (opts.mask?.skew === false) skews.clear();
    // A power change for an honest validator exercises the H+2 update path (never raises byzantine power).
    const changer = this.honest[0]!;
    const change = validatorTx(keys[this.names.indexOf(changer)]!.publicKey, POWER + 2n);
    const env: SimNodeEnv = {
      config: this.config,
      genesis,
      network: this.network,
      scheduler: this.scheduler,
      rng: this.rng,
      peers: [...this.names, ...(opts.followers ?? [])],
      observer: {
        signed: (node, m) => this.#signed(node, m),
        committed: (node, height, hash, txs) => this.#committed(node, height, hash, txs),
        equivocation: () => {
          this.equivocationsSeen++;
        },
      },
      mempool: (n) => simMempool(n, n === changer ? change : null),
      clockSkewMs: (n) => skews.get(n) ?? 0,
    };
    // Kinds come from their own stream, so adding kinds leaves every other choice of a seed unchanged.
    const kindRng = new Rng(opts.seed ^ 0x6b796e64);
    const kinds = opts.byzantineKinds ?? ['equivocate'];
    if (kinds.length === 0) throw new RangeError('byzantineKinds must not be empty');
    this.byzantineKinds = new Map([...this.byzantine].sort().map((n) => [n, kindRng.pick(kinds)]));
    const behave = (n: string) =>
      opts.mask?.byzantine === false ? null : (this.byzantineKinds.get(n) ?? null);
    this.nodes = new Map(this.names.map((n, i) => [n, new SimNode(n, keys[i]!, behave(n), env)]));
  }

  /** Builds the network and starts every node. */
  static async create(opts: ClusterOptions): Promise<SimCluster> {
    const c = new SimCluster(opts);
    for (const node of c.nodes.values()) await node.start();
    return c;
  }

  /** Runs events until `done()` holds, a safety violation appears, the queue empties or `deadline` passes. */
  async runUntil(done: () => boolean, deadline: number): Promise<void> {
    while (this.violations.length === 0 && !done()) {
      const t = this.scheduler.peekTime();
      if (t === undefined || t > deadline) break;
      const ev = this.scheduler.step();
      if (ev?.node != null) await (this.nodes.get(ev.node)?.settle() ?? this.externals.get(ev.node)?.idle());
      else {
        for (const n of this.nodes.values()) await n.settle();
        for (const x of this.externals.values()) await x.idle();
      }
    }
  }

  /** Halts every node. */
  stop(): void {
    for (const n of this.nodes.values()) n.driver?.halt();
  }

  #signed(node: string, m: ConsensusMessage): void {
    if (this.byzantine.has(node)) return;
    if (m.kind === 'vote') {
      const type = m.vote.type === 1 ? 'prevote' : 'precommit';
      const value = m.vote.blockHash === null ? null : toHex(m.vote.blockHash);
      this.signed.push({ node, height: m.vote.height, round: m.vote.round, type, value });
    } else if (m.kind === 'proposal') {
      const p = m.proposal;
      this.signed.push({
        node,
        height: p.height,
        round: p.round,
        type: 'proposal',
        value: toHex(p.blockHash),
      });
    }
  }

  #committed(node: string, height: number, hash: string, txs: readonly Uint8Array[]): void {
    this.committedHeight.set(node, height);
    if (this.byzantine.has(node)) return;
    const d = { node, height, value: hash };
    this.decisions.push(d);
    if (!txs.every(isValidKvTx)) this.invalidTxBlocks.push(d);
    this.violations.push(...checkAgreement(this.decisions.filter((x) => x.height === height)));
  }
}
