/**
 * One simulated validator: the honest driver with its durable parts (WAL disk, last-sign state, app disk,
 * block store) kept across crashes, so a restart recovers exactly what a real process would find on disk.
 * A crash can be immediate or armed to hit right after the next own message was logged and signed but
 * before it is sent (the WAL-write/send window).
 */
import { toHex } from '../../codec/bytes.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import type { ValidatorUpdate } from '../api/application.ts';
import type { Vote } from '../api/vote.ts';
import { MemoryBlockStore } from '../bft/block_store.ts';
import { ConsensusDriver, type DriverConfig } from '../bft/driver.ts';
import { poolEvidence } from '../bft/evidence_handler.ts';
import type { ConsensusTransport, Mempool } from '../bft/host.ts';
import type { ConsensusMessage } from '../bft/messages.ts';
import { createGuard, MemorySignStateStore } from '../privval/guard.ts';
import { MemoryWal } from '../wal/memory_wal.ts';
import { type ByzantineKind, byzantineSend } from './byzantine_kinds.ts';
import { emptyKvDisk, KvApp, type KvAppDisk } from './kv_app.ts';
import type { SimNetwork } from './network.ts';
import type { Rng } from './rng.ts';
import type { VirtualScheduler } from './scheduler.ts';

/** What the simulation observes of a node. */
export interface SimObserver {
  /** A message this node signed itself was handed to the network. */
  signed(node: string, message: ConsensusMessage): void;
  /** The node applied a decided block. */
  committed(node: string, height: number, hash: string, txs: readonly Uint8Array[]): void;
  /** The node saw two conflicting votes. */
  equivocation(node: string, first: Vote, second: Vote): void;
}

/** Parameters shared by every node of a run. */
export interface SimNodeEnv {
  config: DriverConfig;
  genesis: ValidatorUpdate[];
  network: SimNetwork;
  scheduler: VirtualScheduler;
  rng: Rng;
  peers: readonly string[];
  observer: SimObserver;
  mempool: (node: string) => Mempool;
  /** How far a node's wall clock is off (feeds its vote timestamps, hence BFT time). */
  clockSkewMs: (node: string) => number;
}

/** A simulated validator process plus its disk. */
export class SimNode {
  readonly #env: SimNodeEnv;
  #wal = new MemoryWal();
  readonly signState = new MemorySignStateStore();
  readonly appDisk: KvAppDisk = emptyKvDisk();
  readonly store = new MemoryBlockStore();
  driver: ConsensusDriver | null = null;
  #lastDriver: ConsensusDriver | null = null;
  #starting: Promise<void> = Promise.resolve();
  /** Crash right after the next own signed message is logged, before it is sent. */
  crashBeforeNextSend = false;
  readonly #mempool: Mempool;
  /** Own messages a byzantine node may replay later. */
  readonly #history: ConsensusMessage[] = [];

  constructor(
    readonly name: string,
    readonly key: Ed25519KeyPair,
    /** How this validator misbehaves; null for an honest one. */
    readonly byzantine: ByzantineKind | null,
    env: SimNodeEnv,
  ) {
    this.#env = env;
    this.#mempool = env.mempool(name);
  }

  /** Whether the process is running. */
  get up(): boolean {
    return this.driver !== null;
  }

  /** Starts (or restarts) the process from what is on its disk. */
  start(): Promise<void> {
    this.#starting = this.#start();
    return this.#starting;
  }

  /** Resolves once the node (running or just crashed) has nothing left to process. */
  async settle(): Promise<void> {
    await this.#starting;
    await (this.driver ?? this.#lastDriver)?.idle();
  }

  async #start(): Promise<void> {
    const env = this.#env;
    const guard = await createGuard(this.key, env.config.chainId, this.signState);
    const driver = new ConsensusDriver(env.config, {
      app: new KvApp(this.appDisk, env.genesis),
      wal: this.#wal,
      guard,
      transport: this.#transport(),
      clock: env.scheduler.clockFor(this.name, env.clockSkewMs(this.name)),
      store: this.store,
      mempool: this.#mempool,
      evidence: poolEvidence(this.store, env.config.chainId),
      onEquivocation: (a, b) => env.observer.equivocation(this.name, a, b),
      onCommit: (block, hash) =>
        env.observer.committed(this.name, block.header.height, toHex(hash), block.txs),
    });
    this.driver = driver;
    this.#lastDriver = driver;
    env.network.attach(this.name, (from, message) => driver.deliver(from, message));
    await driver.start();
  }

  /** Crashes the process: unsynced WAL records are lost, in-flight work stops. */
  crash(): void {
    if (this.driver === null) return;
    this.driver.halt();
    this.driver = null;
    this.#wal.crash();
    this.#wal = this.#wal.reopen();
    this.#env.network.attach(this.name, null);
    this.crashBeforeNextSend = false;
  }

  #transport(): ConsensusTransport {
    const env = this.#env;
    const others = env.peers.filter((p) => p !== this.name);
    const ownKey = toHex(this.key.publicKey);
    const isOwn = (m: ConsensusMessage) =>
      (m.kind === 'vote' && toHex(m.vote.validator) === ownKey) ||
      (m.kind === 'proposal' && toHex(m.proposal.proposer) === ownKey);
    return {
      broadcast: (message) => {
        if (this.driver === null) return;
        const own = isOwn(message);
        if (own && this.crashBeforeNextSend) {
          this.crash();
          return;
        }
        if (own) env.observer.signed(this.name, message);
        if (this.byzantine === null || (this.byzantine === 'equivocate' && !own)) {
          env.network.broadcast(this.name, others, message);
          return;
        }
        byzantineSend(this.byzantine, message, own, {
          key: this.key,
          chainId: env.config.chainId,
          peers: others,
          rng: env.rng,
          sendTo: (peer, m) => env.network.send(this.name, peer, m),
          history: this.#history,
        });
      },
      send: (peer, message) => {
        if (this.driver !== null && this.byzantine !== 'silent') env.network.send(this.name, peer, message);
      },
    };
  }
}
