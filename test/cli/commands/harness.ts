/**
 * Test harness for the operator CLI: runs commands in-process (capturing output and exit status), makes a
 * small network (an entity made by `registry entity init`, a genesis file from the real builder), and a
 * test node that serves the CLI's gRPC methods on a temp UNIX socket from real components — the Staking
 * query service and a real `ServiceMux` running the staking service over genesis state, so submitted
 * transactions are checked and executed in blocks. Its NodeController part is a small switchboard: those
 * tests cover the CLI's wire behaviour (paths, request shapes, exit statuses), not a node's lifecycle.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { ApiRegistry, type UnaryMethod } from '../../../src/api/method.ts';
import type { StateByHeight } from '../../../src/api/queries.ts';
import { nodeControllerMethods } from '../../../src/api/services/node_controller.ts';
import { stakingMethods } from '../../../src/api/services/staking.ts';
import { redirectOutput } from '../../../src/cli/commands/output.ts';
import { main } from '../../../src/cli/main.ts';
import { toHex } from '../../../src/codec/bytes.ts';
import { type CborValue, encodeCanonical } from '../../../src/codec/cbor.ts';
import {
  encodeSignedTransaction,
  signTransaction,
  transactionDecoder,
} from '../../../src/consensus/api/transaction.ts';
import { type Address, addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { loadRoleKey } from '../../../src/crypto/signer/file_signer.ts';
import { CodedError } from '../../../src/errors.ts';
import { buildGenesis } from '../../../src/genesis/builder.ts';
import {
  chainContextOf,
  type GenesisDocument,
  readGenesisFile,
  writeGenesisFile,
} from '../../../src/genesis/document.ts';
import { newBlockInfo } from '../../../src/services/mux/context.ts';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import { ServiceMux } from '../../../src/services/mux/mux.ts';
import { staticPipelineParameters } from '../../../src/services/mux/params.ts';
import { stakingGenesisCodec } from '../../../src/services/staking/api/genesis.ts';
import { stakingAuthHandler } from '../../../src/services/staking/auth.ts';
import { StakingService } from '../../../src/services/staking/service.ts';
import { UpgradeManager } from '../../../src/services/upgrade/manager.ts';
import { memoryState, StateOverlay } from '../../../src/state/overlay.ts';
import { RegistryTable } from '../../services/staking/fixture.ts';

/** What a command printed and how it exited. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `oasis-ts <args>` in this process (as `bin/oasis-ts.mjs` would), capturing command output (through
 * the CLI's output sink: standard output carries the test runner's reports), standard error and the exit
 * status.
 */
export async function runCommand(args: string[]): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const restore = redirectOutput((text) => {
    stdout += text;
  });
  const err = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'oasis-ts', ...args]);
  } finally {
    restore();
    process.stderr.write = err;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { code, stdout, stderr };
}

/** A throwaway network: entity directory, genesis file, keys. */
export interface TestNetwork {
  dir: string;
  entityDir: string;
  genesisPath: string;
  genesis: GenesisDocument;
  chainContext: string;
  entity: Ed25519KeyPair;
  entityAddress: Address;
  user: Ed25519KeyPair;
  userAddress: Address;
  cleanup(): void;
}

/** 10^9 base units (the builder's default exponent is 9). */
export const TOKEN = 1_000_000_000n;

/** Makes an entity with the CLI and a genesis funding it (100 TEST + 50 TEST escrow) and a user (777 base units). */
export async function makeNetwork(): Promise<TestNetwork> {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-cli-'));
  const entityDir = join(dir, 'entity');
  const init = await runCommand(['registry', 'entity', 'init', '--signer.dir', entityDir]);
  if (init.code !== 0) throw new Error(`entity init failed: ${init.stderr}`);
  const entity = loadRoleKey(entityDir, 'entity');
  const user = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
  const entityAddress = addressFromPublicKey(entity.publicKey);
  const userAddress = addressFromPublicKey(user.publicKey);
  const genesisPath = join(dir, 'genesis.json');
  writeGenesisFile(
    genesisPath,
    buildGenesis({
      chainId: 'cli test',
      time: 1_700_000_000,
      entities: [],
      nodes: [],
      accounts: [
        { address: entityAddress, general: 100n * TOKEN, escrow: 50n * TOKEN },
        { address: userAddress, general: 777n },
      ],
      commonPool: 1000n,
    }),
  );
  const genesis = readGenesisFile(genesisPath);
  return {
    dir,
    entityDir,
    genesisPath,
    genesis,
    chainContext: chainContextOf(genesis),
    entity,
    entityAddress,
    user,
    userAddress,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function unary(service: string, name: string, handler: (req: CborValue | undefined) => unknown): UnaryMethod {
  return { service, name, kind: 'unary', public: false, handler: async (req) => handler(req) };
}

/** The node's own `UpgradeBinary` and `CancelUpgrade` over `manager` (the other controller methods are this harness's). */
function upgradeControllerMethods(manager: UpgradeManager) {
  const unused = () => {
    throw new Error('not served by this harness');
  };
  return nodeControllerMethods({
    isReady: unused,
    isSynced: unused,
    waitReady: unused,
    waitSync: unused,
    status: unused,
    requestShutdown: unused,
    upgradeBinary: (d) => manager.submitDescriptor(d),
    cancelUpgrade: (d) => manager.cancelUpgrade(d),
  }).filter((m) => m.name === 'UpgradeBinary' || m.name === 'CancelUpgrade');
}

function throwResultError(e: { module: string; code: number; message: string }): never {
  throw new CodedError(e.module, e.code, e.message);
}

/** A node for the CLI to talk to: real staking queries and a real mux executing submitted transactions. */
export class TestNode {
  readonly socket: string;
  readonly state = memoryState();
  height = 1;
  /** NodeController switchboard. */
  synced = true;
  readonly shutdownRequests: boolean[] = [];
  /** A real upgrade manager (record in memory) behind `UpgradeBinary` / `CancelUpgrade`. */
  readonly upgrades = new UpgradeManager({
    store: { load: () => undefined, save: () => {} },
    ownVersion: { major: 7, minor: 0, patch: 0 },
  });
  readonly #mux: ServiceMux;
  readonly #server: GrpcServer;
  readonly #keys = new Map<string, Ed25519KeyPair>();
  readonly #net: TestNetwork;

  constructor(net: TestNetwork) {
    this.#net = net;
    this.socket = join(net.dir, 'internal.sock');
    for (const k of [net.entity, net.user]) this.#keys.set(toHex(k.publicKey), k);
    this.#mux = new ServiceMux({
      services: [new StakingService(new RegistryTable())],
      authHandler: stakingAuthHandler,
      epochs: fixedIntervalEpochs(10),
      chainContext: net.chainContext,
      parameters: staticPipelineParameters({
        maxTxSize: 32768,
        maxBlockGas: 0n,
        minGasPrice: 0n,
        gasCosts: { tx_byte: 1n },
      }),
    });
    this.#mux.initChain(this.state, 1, 0, {
      staking: stakingGenesisCodec.fromWire(net.genesis.staking, 'staking'),
    });
    const states: StateByHeight = {
      latestHeight: () => this.height,
      stateAt: (h) => {
        if (h !== this.height) throw new Error('only the latest state is kept');
        return this.state;
      },
    };
    const registry = new ApiRegistry();
    registry.register(
      ...stakingMethods(states),
      unary('oasis-core.Consensus', 'GetLatestHeight', () => this.height),
      unary('oasis-core.Consensus', 'SubmitTx', (req) => this.#submit(encodeCanonical(req))),
      unary('oasis-core.Consensus', 'EstimateGas', (req) => this.#estimate(req)),
      unary('oasis-core.Consensus', 'GetChainContext', () => net.chainContext),
      unary('oasis-core.NodeController', 'GetStatus', () => ({
        software_version: 'oasis-ts test',
        consensus: {
          status: 0,
          latest_height: this.height,
          latest_hash: new Uint8Array(32).fill(0xab),
          latest_time: 1_700_000_000,
          chain_context: net.chainContext,
        },
        identity: { entity: net.entity.publicKey },
      })),
      unary('oasis-core.NodeController', 'IsSynced', () => this.synced),
      unary('oasis-core.NodeController', 'WaitSync', () => null),
      unary('oasis-core.NodeController', 'RequestShutdown', (req) => {
        this.shutdownRequests.push(req === true);
        return null;
      }),
      ...upgradeControllerMethods(this.upgrades),
    );
    this.#server = new GrpcServer(registry, this.socket);
  }

  /** `-a unix:…/internal.sock` for this node. */
  get address(): string {
    return `unix:${this.socket}`;
  }

  async start(): Promise<void> {
    await this.#server.start();
  }

  async stop(): Promise<void> {
    await this.#server.stop();
  }

  /** CheckTx against a scratch copy, then the transaction alone in the next block (as SubmitTx waits for). */
  #submit(raw: Uint8Array): null {
    const check = this.#mux.checkTx(new StateOverlay(this.state), raw, this.height);
    if (check.error) throwResultError(check.error);
    const out = this.#mux.executeBlock(this.state, {
      height: this.height + 1,
      time: 0,
      proposer: new Uint8Array(0),
      lastCommit: [],
      misbehavior: [],
      txs: [raw],
    });
    this.height++;
    const result = out.txResults[0]!;
    if (result.error) throwResultError(result.error);
    return null;
  }

  /**
   * Gas for `{signer, transaction}`. oasis-core simulates without a signature; our mux only simulates signed
   * transactions, so the harness signs with the test key it holds for `signer`, then the real mux measures.
   */
  #estimate(req: CborValue | undefined): bigint {
    const { signer, transaction } = req as { signer: Uint8Array; transaction: CborValue };
    const key = this.#keys.get(toHex(signer));
    if (!key) throw new CodedError('consensus', 6, 'unknown signer');
    const tx = transactionDecoder(transaction, 'transaction');
    const raw = encodeSignedTransaction(signTransaction(key, tx, this.#net.chainContext));
    return this.#mux.estimateGas(this.state, newBlockInfo(this.height + 1, 0), raw);
  }
}
