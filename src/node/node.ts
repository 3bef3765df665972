/**
 * The node: the composition root that wires configuration, identity, genesis, the consensus services over
 * the MKVS, the consensus engine's driver with its WAL, double-sign guard and block store, the P2P host,
 * the mempool, the gRPC/gRPC-web API and metrics — with an explicit start and stop. Everything a node
 * keeps lives in its data directory, so a restart (or a kill -9) resumes where it was.
 */
import { toHex } from '../codec/bytes.ts';
import { decodeCanonical } from '../codec/cbor.ts';
import type { Block } from '../consensus/api/block.ts';
import type { Commit } from '../consensus/api/commit.ts';
import { ConsensusDriver } from '../consensus/bft/driver.ts';
import { DEFAULT_TIMEOUTS } from '../consensus/bft/engine/types.ts';
import type { Clock } from '../consensus/bft/host.ts';
import { poolEvidence } from '../consensus/evidence/handler.ts';
import { createGuard, FileSignStateStore } from '../consensus/privval/guard.ts';
import { FileWal } from '../consensus/wal/file_wal.ts';
import { loadNodeIdentity, type NodeIdentity } from '../crypto/signer/node_identity.ts';
import { checkGenesis } from '../genesis/check.ts';
import { chainContextOf, encodeGenesis, type GenesisDocument, readGenesisFile } from '../genesis/document.ts';
import { genesisSections } from '../genesis/sections.ts';
import { Mempool } from '../mempool/mempool.ts';
import { Libp2pHost, peerKeyOfAddress } from '../p2p/libp2p_host.ts';
import { assembleServices } from '../services/assemble.ts';
import { MuxApplication } from '../services/mux/application.ts';
import { type MkvsState, openMkvs } from '../state/mkvs/versioned.ts';
import { LmdbBlockStore } from '../storage/block_store.ts';
import { ChainView } from './chain_view.ts';
import type { NodeConfig } from './config.ts';
import { P2PConsensusTransport, TxGossip } from './consensus_gossip.ts';
import { dataDirPaths, lockDataDir } from './data_dir.ts';
import { equivocatingTransport } from './equivocation.ts';
import { HostedRuntimes } from './hosted_runtimes.ts';
import { type NodeLogger, silentLogger } from './logging.ts';
import { NodeMetrics } from './metrics.ts';
import { NodeApi } from './node_api.ts';
import { NodeTxSender } from './node_tx_sender.ts';
import { OwnTransactions } from './own_transactions.ts';
import { RecordingApplication } from './recording_app.ts';

/** Wall-clock time and timers for the driver. */
const wallClock: Clock = {
  now: () => Date.now(),
  schedule: (delayMs, fn) => {
    const timer = setTimeout(fn, delayMs);
    return () => clearTimeout(timer);
  },
};

/** The components a node owns and stops. */
interface NodeParts {
  unlock: () => void;
  mempool: Mempool;
  state: MkvsState;
  store: LmdbBlockStore;
  wal: FileWal;
  p2p: Libp2pHost;
  driver: ConsensusDriver;
  api: NodeApi;
  view: ChainView;
  runtimes: HostedRuntimes;
  sender: NodeTxSender;
}

/** A running node. */
export class Node {
  readonly config: NodeConfig;
  readonly identity: NodeIdentity;
  readonly genesis: GenesisDocument;
  readonly chainContext: string;
  readonly log: NodeLogger;
  readonly metrics = new NodeMetrics();
  readonly #parts: NodeParts;
  #stopping: Promise<void> | undefined;
  /** A validator's own transactions (VRF proofs, registration renewal); absent for other modes. */
  readonly #own: OwnTransactions | undefined;
  readonly #stopped: Promise<void>;
  #resolveStopped!: () => void;

  private constructor(
    config: NodeConfig,
    identity: NodeIdentity,
    genesis: GenesisDocument,
    log: NodeLogger,
    parts: NodeParts,
  ) {
    this.config = config;
    this.identity = identity;
    this.genesis = genesis;
    this.chainContext = chainContextOf(genesis);
    this.log = log;
    this.#parts = parts;
    this.#stopped = new Promise((resolve) => (this.#resolveStopped = resolve));
    this.#own =
      config.mode === 'validator'
        ? new OwnTransactions(identity, parts.sender, (message, err) =>
            log.warn({ err: err.message }, message),
          )
        : undefined;
  }

  /** Starts a node from its configuration. */
  static async start(config: NodeConfig, log: NodeLogger = silentLogger()): Promise<Node> {
    const paths = dataDirPaths(config.common.data_dir);
    const unlock = lockDataDir(paths.root);
    try {
      const identity = loadNodeIdentity(paths.root);
      const genesis = readGenesisFile(config.genesis.file);
      checkGenesis(genesis);
      const chainContext = chainContextOf(genesis);
      const params = genesis.consensus.params;
      const services = assembleServices({
        chainContext,
        sanityChecks: config.debug.sanity_checks,
        ownTxSigner: identity.node.publicKey,
      });
      const sections = genesisSections(genesis, chainContext);
      const state = await openMkvs(paths.state);
      const store = new LmdbBlockStore(paths.blocks);
      const view = new ChainView({
        chainContext,
        genesisHeight: Number(genesis.height),
        genesisDocument: () => decodeCanonical(encodeGenesis(genesis)),
        genesis,
        state,
        store,
        mux: services.mux,
        isValidator: config.mode === 'validator',
      });
      const muxApp = new MuxApplication({ mux: services.mux, state, genesis: () => sections });
      const app = new RecordingApplication(muxApp, store);
      const mempool = new Mempool(app, {
        maxTxs: config.mempool.max_txs,
        maxBytes: config.mempool.max_bytes,
        maxTxBytes: Number(params.max_tx_size),
        ttlBlocks: config.mempool.ttl_blocks,
      });
      app.commitThrough = (height, txs, commit) => mempool.commitAndUpdate(height, txs, commit);
      const wal = await FileWal.open(paths.wal);
      const guard =
        config.mode === 'validator'
          ? await createGuard(identity.consensus, chainContext, new FileSignStateStore(paths.signState))
          : null;
      const persistentKeys = new Set(config.p2p.persistent_peers.map(peerKeyOfAddress));
      const p2p = new Libp2pHost({
        p2pSeed: identity.p2p.seed(),
        listen: [`/ip4/${config.p2p.host}/tcp/${config.p2p.port}`],
        persistentPeers: config.p2p.persistent_peers,
        limits: { maxGossipBytes: config.p2p.max_gossip_bytes },
        onEvent: (event, detail) => log.child({ module: 'p2p' }).info(detail, event),
        ...(config.p2p.registered_only
          ? { allowPeer: (peer: string) => persistentKeys.has(peer) || view.isRegisteredPeer(peer) }
          : {}),
      });
      const transport = new P2PConsensusTransport(p2p, chainContext);
      const txGossip = new TxGossip(p2p, chainContext, mempool);
      const driverLog = log.child({ module: 'consensus' });
      const t = config.consensus;
      const driver = new ConsensusDriver(
        {
          chainId: chainContext,
          initialHeight: Number(genesis.height),
          genesisTime: genesis.genesis_time * 1000,
          timeouts: {
            ...DEFAULT_TIMEOUTS,
            proposeMs: t.timeout_propose_ms,
            prevoteMs: t.timeout_prevote_ms,
            precommitMs: t.timeout_precommit_ms,
            proposeDeltaMs: t.timeout_delta_ms,
            prevoteDeltaMs: t.timeout_delta_ms,
            precommitDeltaMs: t.timeout_delta_ms,
          },
          timeoutCommitMs: t.timeout_commit_ms ?? Number(params.timeout_commit / 1_000_000n),
          gossipIntervalMs: 1000,
          maxTxBytes: Number(params.max_block_size) - 64 * 1024,
          maxEvidenceBytes: Number(params.max_evidence_size),
        },
        {
          app,
          wal,
          guard,
          transport: config.debug.double_sign
            ? equivocatingTransport(transport, identity.consensus, chainContext)
            : transport,
          clock: wallClock,
          store,
          mempool: {
            reap: (maxBytes) => mempool.reap(maxBytes),
            // Updated together with each commit (RecordingApplication.commitThrough).
            update: () => {},
          },
          evidence: poolEvidence(store, chainContext),
          logger: {
            info: (message, fields) => driverLog.info(fields ?? {}, message),
            warn: (message, fields) => driverLog.warn(fields ?? {}, message),
          },
          onCommit: (block: Block, hash: Uint8Array, commit: Commit) =>
            nodeRef?.onCommit(block, hash, commit.round),
        },
      );
      transport.onMessage((from, message) => driver.deliver(from, message));
      // The node's own consensus transactions (validator duties, executor commitments) share one nonce sequence.
      const sender = new NodeTxSender(identity.node, chainContext, (tx) => txGossip.submit(tx));
      const runtimes = new HostedRuntimes(config.runtimes, {
        dataDir: paths.root,
        chainContext,
        identity,
        p2p,
        sender,
        mode: config.debug.executor_mode,
        maxGossipBytes: config.p2p.max_gossip_bytes,
        stateAt: (height) => view.stateAt(height),
        log,
      });
      const api = new NodeApi({ view, txGossip, config, paths, runtimes });
      let nodeRef: Node | undefined;
      const node = new Node(config, identity, genesis, log, {
        unlock,
        mempool,
        state,
        store,
        wal,
        p2p,
        driver,
        api,
        view,
        runtimes,
        sender,
      });
      nodeRef = node;
      api.attach(node);
      await runtimes.start();
      await p2p.start();
      await driver.start();
      await api.start();
      if (config.metrics.mode === 'prometheus') {
        const address = await node.metrics.serve(config.metrics.address);
        log.info({ address }, 'metrics served');
      }
      view.markReady();
      log.info({ height: store.height(), chainContext, p2p: p2p.listenAddresses() }, 'node started');
      return node;
    } catch (err) {
      unlock();
      throw err;
    }
  }

  /** Addresses other nodes can dial. */
  p2pAddresses(): string[] {
    return this.#parts.p2p.listenAddresses();
  }

  /** The gRPC-web base URL, when served. */
  grpcWebUrl(): string | undefined {
    return this.#parts.api.grpcWebUrl;
  }

  /** The chain as the API sees it. */
  get view(): ChainView {
    return this.#parts.view;
  }

  private onCommit(block: Block, hash: Uint8Array, round: number): void {
    const results = this.#parts.store.results(block.header.height);
    this.metrics.onBlock(block.header.height, round, block.txs.length, block.header.time);
    this.metrics.peers.set(this.#parts.p2p.peers().length);
    this.metrics.mempoolSize.set(this.#parts.mempool.size);
    this.#parts.view.onCommit(block, hash, results);
    const state = this.#parts.view.stateAt(block.header.height);
    this.#own?.afterCommit(state, block.header.height);
    this.#parts.runtimes.onConsensusCommit(state, block.header.height);
    this.log.debug(
      { height: block.header.height, hash: toHex(hash), txs: block.txs.length },
      'block committed',
    );
  }

  /** Resolves once the node has stopped (after `stop`, or a shutdown request over the API). */
  whenStopped(): Promise<void> {
    return this.#stopped;
  }

  /** Stops every component, in reverse order of start, and releases the data directory. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const p = this.#parts;
      p.driver.halt();
      await p.api.stop();
      await this.metrics.close();
      await p.p2p.stop().catch(() => undefined);
      await p.driver.idle().catch(() => undefined);
      await p.runtimes.stop();
      await p.wal.close().catch(() => undefined);
      await p.store.close().catch(() => undefined);
      await p.state.close().catch(() => undefined);
      p.view.close();
      p.unlock();
      this.log.info('node stopped');
      this.#resolveStopped();
    })();
    return this.#stopping;
  }
}
