/**
 * The node's API: every service's methods in one registry, served as native gRPC on `internal.sock`
 * (operators, the CLI) and, when configured, as gRPC-web on TCP (clients such as `@oasisprotocol/client`);
 * and, when configured, the web dashboard over the same chain view.
 * Transaction submission goes through the mempool and is gossiped to peers.
 */

import { DashboardServer } from '../api/dashboard/server.ts';
import { GrpcServer } from '../api/grpc_server.ts';
import { GrpcWebServer } from '../api/grpc_web.ts';
import { ApiRegistry } from '../api/method.ts';
import { ConsensusStatusState } from '../api/node_status.ts';
import { beaconMethods } from '../api/services/beacon.ts';
import { beaconWatchMethods } from '../api/services/beacon_watch.ts';
import { type ConsensusBackend, consensusMethods } from '../api/services/consensus.ts';
import { type ConsensusLightBackend, consensusLightMethods } from '../api/services/consensus_light.ts';
import { consensusStateSyncMethods, type StateSyncBackend } from '../api/services/consensus_state_sync.ts';
import { eventMethods } from '../api/services/events.ts';
import { GOVERNANCE_SERVICE, governanceMethods } from '../api/services/governance.ts';
import { keymanagerMethods } from '../api/services/keymanager.ts';
import { nodeControllerMethods } from '../api/services/node_controller.ts';
import { registryMethods, schedulerMethods } from '../api/services/registry.ts';
import { registryWatchMethods } from '../api/services/registry_watch.ts';
import { roothashMethods } from '../api/services/roothash.ts';
import { roothashWatchMethods } from '../api/services/roothash_watch.ts';
import { NO_HOSTED_RUNTIMES, runtimeClientMethods } from '../api/services/runtime_client.ts';
import { stakingMethods } from '../api/services/staking.ts';
import { ConsensusErrors, transactionHash } from '../consensus/api/transaction.ts';
import type { RuntimeClientBackend } from '../runtime/node/client/api.ts';
import { pendingUpgradeCodec } from '../services/upgrade/api/pending.ts';
import type { UpgradeManager } from '../services/upgrade/manager.ts';
import type { MkvsState } from '../state/mkvs/versioned.ts';
import { SOFTWARE_VERSION } from '../version.ts';
import { archiveConsensusBackend } from './archive.ts';
import type { ChainView } from './chain_view.ts';
import type { NodeConfig } from './config.ts';
import type { TxGossip } from './consensus_gossip.ts';
import type { dataDirPaths } from './data_dir.ts';

/** What the node hands to its API. */
export interface NodeApiOptions {
  view: ChainView;
  txGossip: TxGossip;
  config: NodeConfig;
  paths: ReturnType<typeof dataDirPaths>;
  /** The ParaTimes this node hosts; absent on a node hosting none (its RuntimeClient refuses every runtime). */
  runtimes?: RuntimeClientBackend;
  /** The node the controller methods report on and stop. */
  node: ControlledNode;
  /** Transactions waiting in the mempool (`GetUnconfirmedTransactions`); none when absent. */
  pendingTransactions?: () => Uint8Array[];
  /** Heights of the checkpoints the node can serve to state-syncing peers (none when absent). */
  checkpointHeights?: () => number[];
  /** The consensus state, for the proofs of `StateSync*` (not served when absent). */
  state?: MkvsState;
  /** Verifies and pools submitted evidence (`SubmitEvidence`); refused with consensus/4 when absent. */
  submitEvidence?: (evidence: Uint8Array) => void;
  /** The node's upgrade manager (`UpgradeBinary`, `CancelUpgrade`, `pending_upgrades`). */
  upgrades: UpgradeManager;
}

/** The parts of a running node the controller methods need. */
export interface ControlledNode {
  identity: {
    node: { publicKey: Uint8Array };
    consensus: { publicKey: Uint8Array };
    p2p: { publicKey: Uint8Array };
  };
  stop(): Promise<void>;
}

/** The light methods' backend over the chain view (shared with the p2p light protocol). */
export function lightBackend(
  view: ChainView,
  submitEvidence: ((evidence: Uint8Array) => void) | undefined,
): ConsensusLightBackend {
  return {
    lightBlock: (h) => view.lightBlock(h),
    parameters: (h) => view.consensusParameters(h),
    submitEvidence: (evidence) => {
      if (!submitEvidence) throw ConsensusErrors.unsupported('this node takes no evidence');
      submitEvidence(evidence);
    },
  };
}

/** Proofs over the kept consensus state versions (pruned or future versions: consensus/3). */
function stateSyncBackend(view: ChainView, state: MkvsState): StateSyncBackend {
  const kept = (version: number): number => {
    if (version === 0) throw ConsensusErrors.versionNotFound('state version 0 does not exist');
    return view.committedHeight(version);
  };
  return {
    stateRoot: (version) => state.rootHash(kept(version)),
    proveKeys: (version, keys, proofVersion) => state.proveKeys(kept(version), keys, proofVersion),
    entriesFrom: (version, start, limit) => state.entriesFrom(kept(version), start, limit),
  };
}

/** The API servers of one node. */
export class NodeApi {
  readonly #o: NodeApiOptions;
  readonly registry = new ApiRegistry();
  #grpc: GrpcServer | undefined;
  #web: GrpcWebServer | undefined;
  #dashboard: DashboardServer | undefined;
  grpcWebUrl: string | undefined;
  /** The dashboard's base URL, when served. */
  dashboardUrl: string | undefined;

  constructor(o: NodeApiOptions) {
    this.#o = o;
    const { view } = o;
    this.registry.register(
      ...stakingMethods(view),
      ...beaconMethods(view),
      ...registryMethods(view),
      ...schedulerMethods(view),
      ...roothashMethods(view),
      ...consensusMethods(
        this.#o.config.mode === 'archive'
          ? archiveConsensusBackend(this.#consensusBackend())
          : this.#consensusBackend(),
      ),
      ...consensusLightMethods(lightBackend(view, o.submitEvidence)),
      ...(o.state ? consensusStateSyncMethods(stateSyncBackend(view, o.state)) : []),
      ...runtimeClientMethods(o.runtimes ?? NO_HOSTED_RUNTIMES),
      ...governanceMethods(view),
      ...keymanagerMethods(view),
      ...eventMethods('oasis-core.Staking', 'staking', view),
      ...eventMethods(GOVERNANCE_SERVICE, 'governance', view),
      ...registryWatchMethods(view),
      ...beaconWatchMethods(view),
      ...roothashWatchMethods(view),
      ...nodeControllerMethods({
        isReady: () => view.isReady(),
        isSynced: () => view.isSynced(),
        waitReady: (signal) => view.waitReady(signal),
        waitSync: (signal) => view.waitReady(signal),
        status: () => this.#status(),
        requestShutdown: async (wait) => {
          const stopping = this.#o.node.stop();
          if (wait) await stopping;
        },
        upgradeBinary: (d) => this.#o.upgrades.submitDescriptor(d),
        cancelUpgrade: (d) => this.#o.upgrades.cancelUpgrade(d),
      }),
    );
  }

  #consensusBackend(): ConsensusBackend {
    const { view, txGossip } = this.#o;
    return {
      chainContext: view.chainContext,
      genesisHeight: view.genesisHeight,
      genesisHash: () => view.genesisHash(),
      lastRetainedHeight: () => view.lastRetainedHeight(),
      isValidator: view.isValidator,
      genesisDocument: () => view.genesisDocument(),
      latestHeight: () => view.latestHeight(),
      block: (h) => view.block(h),
      latestEpoch: () => view.latestEpoch(),
      stateToGenesis: (height) => view.stateToGenesis(height),
      signerNonce: (address, height) => view.signerNonce(address, height),
      estimateGas: (signer, tx) => view.estimateGas(signer, tx),
      watchBlocks: (signal) => view.watchBlocks(signal),
      minGasPrice: () => view.minGasPrice(),
      unconfirmedTransactions: () => this.#o.pendingTransactions?.() ?? [],
      submitTxNoWait: (raw) => txGossip.submit(raw),
      submitTx: async (raw, signal) => {
        // This caller's own wait: a refusal ends it alone, never another caller's wait on the same hash.
        const refused = new AbortController();
        const result = view.waitForTx(transactionHash(raw), AbortSignal.any([signal, refused.signal]));
        try {
          await txGossip.ensurePending(raw);
        } catch (err) {
          refused.abort();
          result.catch(() => undefined);
          throw err;
        }
        return result;
      },
    };
  }

  #status(): Record<string, unknown> {
    const { view, config } = this.#o;
    const id = this.#o.node.identity;
    const latest = view.block(view.latestHeight());
    const status: Record<string, unknown> = {
      software_version: SOFTWARE_VERSION,
      mode: config.mode,
      identity: id
        ? { node: id.node.publicKey, p2p: id.p2p.publicKey, consensus: id.consensus.publicKey }
        : {},
      consensus: {
        status: view.isReady() ? ConsensusStatusState.ready : ConsensusStatusState.syncing,
        latest_height: latest?.height ?? 0,
        latest_hash: latest?.hash ?? new Uint8Array(0),
        latest_time: latest?.time ?? 0,
        last_retained_height: view.lastRetainedHeight(),
        chain_context: view.chainContext,
        is_validator: view.isValidator,
        checkpoint_heights: this.#o.checkpointHeights?.() ?? [],
      },
    };
    if (config.debug.double_sign) status.debug = { enabled: true, double_sign: true };
    const pending = this.#o.upgrades.pendingUpgrades();
    if (pending.length > 0) status.pending_upgrades = pending.map((pu) => pendingUpgradeCodec.encode(pu));
    return status;
  }

  /** Starts the gRPC server (and gRPC-web and the dashboard when configured). */
  async start(): Promise<void> {
    this.#grpc = new GrpcServer(this.registry, this.#o.paths.internalSocket);
    await this.#grpc.start();
    const address = this.#o.config.grpc_web.address;
    if (address) {
      const [host, port] = address.split(':') as [string, string];
      this.#web = new GrpcWebServer(this.registry);
      this.grpcWebUrl = await this.#web.listen(Number(port), host);
    }
    const dashboard = this.#o.config.dashboard.address;
    if (dashboard) {
      this.#dashboard = new DashboardServer(this.#o.view);
      this.dashboardUrl = await this.#dashboard.listen(dashboard);
    }
  }

  /** Stops the servers. */
  async stop(): Promise<void> {
    await this.#dashboard?.close();
    await this.#web?.close();
    await this.#grpc?.stop();
  }
}
