import { methodPath } from '../api/method.ts';
import { decodeCanonical } from '../codec/cbor.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import { chainStateCodec } from '../consensus/bft/chain_state_codec.ts';
import { ConsensusDriver } from '../consensus/bft/driver.ts';
import { type PooledEvidence, poolEvidence } from '../consensus/bft/evidence_handler.ts';
import type { Clock } from '../consensus/bft/host.ts';
import { commitTimeoutMs, roundTimeouts } from '../consensus/bft/options.ts';
import { createGuard, FileSignStateStore } from '../consensus/privval/guard.ts';
import { FileWal } from '../consensus/wal/file_wal.ts';
import { loadOrGenerateNodeIdentity, type NodeIdentity } from '../crypto/signer/node_identity.ts';
import { VerifyPool } from '../crypto/verify_pool.ts';
import { chainContextOf, encodeGenesis, type GenesisDocument, readGenesisFile } from '../genesis/document.ts';
import { genesisSections } from '../genesis/sections.ts';
import { Mempool } from '../mempool/mempool.ts';
import { mempoolConfig } from '../mempool/options.ts';
import { P2pFaultFile } from '../p2p/fault_file.ts';
import { Libp2pHost, peerKeyOfAddress } from '../p2p/libp2p_host.ts';
import { listenAddress } from '../p2p/options.ts';
import type { RuntimeClientBackend } from '../runtime/node/client/api.ts';
import { HostedRuntimes } from '../runtime/node/hosted_runtimes.ts';
import { assembleServices } from '../services/assemble.ts';
import { MuxApplication } from '../services/mux/application.ts';
import { type MkvsState, openMkvs } from '../state/mkvs/versioned.ts';
import { LmdbBlockStore } from '../storage/block_store.ts';
import { CONSENSUS_PROTOCOL_VERSION } from '../version.ts';
import { archiveRuntimeClientBackend } from './archive.ts';
import { ChainView } from './chain_view.ts';
import type { Checkpointer } from './checkpointer.ts';
import { wireCheckpoints } from './checkpoints.ts';
import { commitFanout } from './commit_fanout.ts';
import type { NodeConfig } from './config.ts';
import { P2PConsensusTransport, TxGossip } from './consensus_gossip.ts';
import { type DataDirPaths, dataDirPaths, lockDataDir } from './data_dir.ts';
import { equivocatingTransport } from './equivocation.ts';
import { checkGenesis } from './genesis_check.ts';
import { startKeyManager } from './keymanager.ts';
import { serveLightProtocol } from './light_protocol.ts';
import { type NodeLogger, silentLogger } from './logging.ts';
import { registryCountsOf } from './metrics/chain.ts';
import { NodeMetrics } from './metrics/metrics.ts';
import { lightBackend, NodeApi } from './node_api.ts';
import { NodeTxSender } from './node_tx_sender.ts';
import { OwnTransactions } from './own_transactions.ts';
import type { ConsensusPruner } from './pruner.ts';
import { RecordingApplication } from './recording_app.ts';
import { wireRetention } from './retention.ts';
import { keyManagerRegistryReads, runtimeChainReads } from './runtime_chain_reads.ts';
import { NodeUpgrades } from './upgrades.ts';
import { startWeb3, type Web3Endpoint } from './web3.ts';

/** Checks for an upgrade stop right after a commit (before the driver may enter the next height), then fans out. */
function afterUpgradeCheck(
  upgrades: NodeUpgrades,
  view: ChainView,
  next: ReturnType<typeof commitFanout>,
): ReturnType<typeof commitFanout> {
  return (block, hash, commit) => {
    upgrades.afterCommit(view.stateAt(block.header.height), block.header.height);
    next(block, hash, commit);
  };
}

/** What clients reach of the hosted runtimes: all of them, or an archive node's read-only part. */
function clientRuntimes(config: NodeConfig, runtimes: HostedRuntimes): RuntimeClientBackend {
  return config.mode === 'archive' ? archiveRuntimeClientBackend(runtimes) : runtimes;
}

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
  upgrades: NodeUpgrades;
  unlock: () => void;
  paths: DataDirPaths;
  mempool: Mempool;
  state: MkvsState;
  store: LmdbBlockStore<ChainState>;
  wal: FileWal;
  p2p: Libp2pHost;
  txGossip: TxGossip;
  driver: ConsensusDriver;
  view: ChainView;
  runtimes: HostedRuntimes;
  metrics: NodeMetrics;
  pruner: ConsensusPruner;
  checkpointer: Checkpointer;
  verifier: VerifyPool;
  evidence: PooledEvidence;
}

/** A running node. */
export class Node {
  readonly config: NodeConfig;
  readonly identity: NodeIdentity;
  readonly genesis: GenesisDocument;
  readonly chainContext: string;
  readonly log: NodeLogger;
  readonly metrics: NodeMetrics;
  readonly #parts: NodeParts;
  /** The API servers; their controller methods stop this node. */
  readonly #api: NodeApi;
  /** The Ethereum JSON-RPC endpoint, when configured. */
  #web3: Web3Endpoint | undefined;
  #stopping: Promise<void> | undefined;
  readonly #stopped: Promise<void>;
  readonly #resolveStopped: () => void;

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
    this.metrics = parts.metrics;
    this.#parts = parts;
    let resolveStopped!: () => void;
    this.#stopped = new Promise((resolve) => (resolveStopped = resolve));
    this.#resolveStopped = resolveStopped;
    this.#api = new NodeApi({
      view: parts.view,
      txGossip: parts.txGossip,
      config,
      paths: parts.paths,
      runtimes: clientRuntimes(config, parts.runtimes),
      node: { identity, stop: () => this.stop() },
      upgrades: parts.upgrades.manager,
      pendingTransactions: () => parts.mempool.reap(Number.POSITIVE_INFINITY),
      checkpointHeights: () => parts.checkpointer.heights(),
      submitEvidence: (evidence) => parts.evidence.submit(evidence),
      state: parts.state,
    });
    this.#api.registry.observeCalls(parts.metrics.apiCalls);
  }

  /** Starts a node from its configuration: builds its parts in dependency order, then starts them. */
  static async start(config: NodeConfig, log: NodeLogger = silentLogger()): Promise<Node> {
    const paths = dataDirPaths(config.common.data_dir);
    const unlock = lockDataDir(paths.root);
    try {
      const identity = loadOrGenerateNodeIdentity(paths.root);
      const genesis = readGenesisFile(config.genesis.file);
      checkGenesis(genesis);
      const chainContext = chainContextOf(genesis);
      const params = genesis.consensus.params;

      // Refuses to start software that cannot continue past an upgrade this data directory reached
      // (before anything that would keep the process alive is started).
      const upgrades = new NodeUpgrades({
        dataDir: paths.root,
        ownVersion: CONSENSUS_PROTOCOL_VERSION,
        log,
        stopDelayMs: config.consensus.upgrade_stop_delay,
        archive: config.mode === 'archive',
      });
      const state = await openMkvs(paths.state);
      try {
        const committed = state.latestVersion();
        // An archive node serves a chain as it stopped (often at an upgrade): no upgrade checks or stages.
        if (config.mode !== 'archive')
          upgrades.start(committed > 0 ? state.at(committed) : undefined, committed);
      } catch (err) {
        await state.close();
        throw err;
      }

      // State, blocks and the application over them. Transaction signatures are verified on a worker
      // thread (once per transaction: admission, proposals and execution share the result).
      const verifier = new VerifyPool();
      const services = assembleServices({
        chainContext,
        sanityChecks: config.debug.sanity_checks,
        ownTxSigner: identity.node.publicKey,
        verifier: verifier.verify,
        upgrades: upgrades.hook,
      });
      const sections = genesisSections(genesis, chainContext);
      const store = new LmdbBlockStore(paths.blocks, chainStateCodec);
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
      const mempool = new Mempool(muxApp, mempoolConfig(config.mempool, Number(params.max_tx_size)));
      // Each commit re-checks the mempool in the same step (see `Mempool.commitAndUpdate`).
      const app = new RecordingApplication(muxApp, store, (height, txs, commit) =>
        mempool.commitAndUpdate(height, txs, commit),
      );
      mempool.onDropped((hash, reason) => view.failTx(hash, reason));

      // The network, and what the node sends over it.
      const persistentKeys = new Set(config.p2p.persistent_peers.map(peerKeyOfAddress));
      const faults = config.debug.p2p_fault_file ? new P2pFaultFile(config.debug.p2p_fault_file) : undefined;
      const admit = config.p2p.registered_only
        ? (peer: string) => persistentKeys.has(peer) || view.isRegisteredPeer(peer)
        : undefined;
      const p2p = new Libp2pHost({
        p2pSeed: identity.p2p.seed(),
        listen: [listenAddress(config.p2p)],
        persistentPeers: config.p2p.persistent_peers,
        limits: { maxGossipBytes: config.p2p.max_gossip_bytes },
        onEvent: (event, detail) => log.child({ module: 'p2p' }).info(detail, event),
        ...(admit || faults
          ? { allowPeer: (peer: string) => !faults?.blocks(peer) && (admit?.(peer) ?? true) }
          : {}),
      });
      faults?.start((peer) => p2p.disconnect(peer));
      const transport = new P2PConsensusTransport(p2p, chainContext);
      const txGossip = new TxGossip(p2p, chainContext, mempool);
      // The node's own consensus transactions (validator duties, executor commitments) share one nonce sequence.
      const sender = new NodeTxSender(identity.node, chainContext, (tx) => txGossip.submit(tx));
      const own =
        config.mode === 'validator'
          ? new OwnTransactions(
              identity,
              sender,
              (message, err) => log.warn({ err: err.message }, message),
              (message, fields) => log.info(fields, message),
            )
          : undefined;
      const latestState = () => (view.latestHeight() > 0 ? view.stateAt(view.latestHeight()) : undefined);
      const runtimes = new HostedRuntimes(config.runtimes, {
        dataDir: paths.root,
        chainContext,
        identity,
        p2p,
        sender,
        mode: config.debug.executor_mode,
        maxGossipBytes: config.p2p.max_gossip_bytes,
        stateAt: (height) => view.stateAt(height),
        reads: runtimeChainReads,
        keyManagerReads: keyManagerRegistryReads,
        latestState,
        log,
      });
      if (config.keymanager !== undefined)
        startKeyManager(config.keymanager, paths.root, chainContext, p2p, latestState, log);
      const metrics = new NodeMetrics({
        ...(config.mode === 'validator' ? { consensusKey: identity.consensus.publicKey } : {}),
        registryCounts: () =>
          view.isReady() ? registryCountsOf(view.stateAt(view.latestHeight())) : undefined,
        dataDir: paths.root,
        worker: {
          nodeId: identity.node.publicKey,
          runtimes: config.runtimes.map((r) => r.id),
          latestState: () => (view.isReady() ? view.stateAt(view.latestHeight()) : undefined),
        },
      });

      // The consensus engine, last: it drives everything above.
      const wal = await FileWal.open(paths.wal);
      const guard =
        config.mode === 'validator'
          ? await createGuard(identity.consensus, chainContext, new FileSignStateStore(paths.signState))
          : null;
      const driverLog = log.child({ module: 'consensus' });
      const evidence = poolEvidence(store, chainContext);
      serveLightProtocol(
        p2p,
        chainContext,
        lightBackend(view, (e) => evidence.submit(e)),
      );
      const driver = new ConsensusDriver(
        {
          chainId: chainContext,
          initialHeight: Number(genesis.height),
          genesisTime: genesis.genesis_time * 1000,
          timeouts: roundTimeouts(config.consensus),
          timeoutCommitMs: commitTimeoutMs(config.consensus, params.timeout_commit),
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
            // Updated together with each commit (the RecordingApplication's commit step).
            update: () => {},
          },
          evidence,
          logger: {
            info: (message, fields) => driverLog.info(fields ?? {}, message),
            warn: (message, fields) => driverLog.warn(fields ?? {}, message),
          },
          haltBefore: upgrades.haltBefore,
          onCommit: afterUpgradeCheck(
            upgrades,
            view,
            commitFanout({
              store,
              metrics,
              peerCount: () => p2p.peers().length,
              mempoolSize: () => mempool.size,
              view,
              own,
              runtimes,
              log,
            }),
          ),
        },
      );
      transport.onMessage((from, message) => driver.deliver(from, message));
      const checkpoints = wireCheckpoints({
        params: {
          initialHeight: Number(genesis.height),
          interval: Number(params.state_checkpoint_interval),
          numKept: Number(params.state_checkpoint_num_kept ?? 0n),
          chunkSize: Number(params.state_checkpoint_chunk_size ?? 0n),
        },
        options: config.consensus,
        chainContext,
        dir: paths.checkpoints,
        state,
        store,
        p2p,
        log,
      });
      const pruner = wireRetention({
        prune: config.consensus.prune,
        chainContext,
        store,
        state,
        view,
        p2p,
        transport,
        applying: () => app.applying,
        runtimeIds: config.runtimes.map((r) => r.id),
        holds: () => checkpoints.checkpointer.holds(),
        log,
      });

      const node = new Node(config, identity, genesis, log, {
        upgrades,
        unlock,
        paths,
        mempool,
        state,
        store,
        wal,
        p2p,
        txGossip,
        driver,
        view,
        runtimes,
        metrics,
        pruner,
        checkpointer: checkpoints.checkpointer,
        verifier,
        evidence,
      });
      // An archive node only answers from what the data directory holds: no network, no consensus.
      if (config.mode !== 'archive') {
        await runtimes.start();
        await p2p.start();
        await checkpoints.syncIfNeeded();
        await driver.start();
        pruner.start();
        checkpoints.checkpointer.start();
      } else if (view.latestHeight() > 0) {
        await runtimes.startArchive(view.stateAt(view.latestHeight()), view.latestHeight());
      }
      await node.#api.start();
      node.#web3 = await startWeb3(config, clientRuntimes(config, runtimes), log);
      if (node.#web3) view.attachEthIndex(node.#web3.runtimeId, node.#web3.index);
      if (config.metrics.mode === 'pull') {
        const address = await metrics.serve(config.metrics.address);
        log.info({ address }, 'metrics served');
      }
      upgrades.onStop(commitTimeoutMs(config.consensus, params.timeout_commit), () => void node.stop());
      view.markReady();
      const dashboard = node.#api.dashboardUrl;
      log.info(
        {
          height: store.height(),
          chainContext,
          p2p: p2p.listenAddresses(),
          ...(dashboard ? { dashboard } : {}),
        },
        'node started',
      );
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
    return this.#api.grpcWebUrl;
  }

  /** The web dashboard's base URL, when served. */
  dashboardUrl(): string | undefined {
    return this.#api.dashboardUrl;
  }

  /** The Ethereum JSON-RPC URL, when served. */
  web3Url(): string | undefined {
    return this.#web3?.url;
  }

  /** The gRPC paths this node serves (`/oasis-core.Staking/Account`, …), on its socket and, when public, over gRPC-web. */
  apiPaths(): { path: string; public: boolean }[] {
    return this.#api.registry.all().map((m) => ({ path: methodPath(m), public: m.public }));
  }

  /** The chain as the API sees it. */
  get view(): ChainView {
    return this.#parts.view;
  }

  /** Resolves once the node has stopped (after `stop`, or a shutdown request over the API). */
  whenStopped(): Promise<void> {
    return this.#stopped;
  }

  /** Stops every component, in reverse order of start, and releases the data directory. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      const p = this.#parts;
      p.upgrades.close();
      p.driver.halt();
      await this.#api.stop();
      await this.#web3?.stop().catch(() => undefined);
      await this.metrics.close();
      p.txGossip.flush();
      await p.p2p.stop().catch(() => undefined);
      await p.driver.idle().catch(() => undefined);
      await p.runtimes.stop();
      await p.pruner.stop();
      await p.checkpointer.stop();
      await p.verifier.close();
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
