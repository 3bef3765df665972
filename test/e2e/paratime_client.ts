/**
 * A ParaTime user as the e2e tests and benchmarks play it: the official client (`@oasisprotocol/client`
 * over gRPC-web) with client-rt signing accounts transfers from a localnet test account, submitting them
 * through a chosen node, and reading balances, blocks and transactions back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { fromHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { type LocalnetSpec, prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { waitUntil } from './wait_until.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

const NATIVE = oasisRT.token.NATIVE_DENOMINATION;
/**
 * An official-client `Signer` over the node's Ed25519 (node:crypto): the same deterministic signatures as
 * the client's NaclSigner, cheap enough that a load generator measures the network, not tweetnacl.
 */
function signerOf(seedHex: string): oasis.signature.Signer {
  const key = Ed25519KeyPair.fromSeed(fromHex(seedHex));
  return { public: () => key.publicKey, sign: async (message) => key.signRaw(message) };
}

/** Where a transaction landed and what it returned. */
export interface Landed {
  tx: Uint8Array;
  round: bigint;
  batchOrder: number;
  /** The CallResult: `{ok}` or `{fail: {module, code, message}}`. */
  outcome: { ok?: unknown; fail?: { module: string; code: number; message?: string } };
}

/** One localnet account using one of the network's runtimes (the first by default) through one node. */
export class ParaTimeClient {
  readonly nic: oasis.client.NodeInternal;
  readonly runtimeId: Uint8Array;
  readonly signer: oasis.signature.Signer;
  /** The address of another test account, receiving transfers. */
  readonly recipient: Uint8Array;
  readonly latestRound = oasis.runtime.CLIENT_ROUND_LATEST;
  readonly #accounts: oasisRT.accounts.Wrapper;
  #chainContext: string | undefined;

  constructor(net: LocalnetManifest, node: LocalnetNode, account = 0, runtime = 0) {
    this.nic = new oasis.client.NodeInternal(node.grpc_web);
    this.runtimeId = fromHex(net.runtimes[runtime]!.id);
    this.signer = signerOf(net.accounts[account]!.seed_hex);
    const other = net.accounts[(account + 1) % net.accounts.length]!;
    this.recipient = oasis.staking.addressFromPublicKey(signerOf(other.seed_hex).public());
    this.#accounts = new oasisRT.accounts.Wrapper(this.runtimeId);
  }

  /** Waits until the node's runtime client answers queries (it has synced the runtime's state). */
  waitSynced(timeoutMs: number): Promise<void> {
    return waitUntil('runtime synced', timeoutMs, async () => (await this.nonce()) >= 0n);
  }

  /** The signer's runtime nonce. */
  async nonce(): Promise<bigint> {
    return this.nonceOf(oasis.staking.addressFromPublicKey(this.signer.public()));
  }

  /** The runtime nonce of `address`. */
  async nonceOf(address: Uint8Array): Promise<bigint> {
    return BigInt(await this.#accounts.queryNonce().setArgs({ address }).query(this.nic));
  }

  /** The native balance of `address` in the runtime at `round` (default: the latest). */
  async balance(address: Uint8Array, round: bigint = this.latestRound): Promise<bigint> {
    const b = await this.#accounts.queryBalances().setArgs({ address }).setRound(round).query(this.nic);
    const amount = [...(b.balances as Map<Uint8Array, Uint8Array>).values()][0];
    return amount === undefined ? 0n : oasis.quantity.toBigInt(amount);
  }

  /** A signed `accounts.Transfer` of `amount` to `to` (default: the recipient). */
  async signedTransfer(amount: bigint, nonce: bigint, to = this.recipient): Promise<Uint8Array> {
    this.#chainContext ??= await this.nic.consensusGetChainContext();
    const w = this.#accounts.callTransfer();
    w.setBody({ to, amount: [oasis.quantity.fromBigInt(amount), NATIVE] });
    w.setSignerInfo([{ address_spec: { signature: { ed25519: this.signer.public() } }, nonce }]);
    w.setFeeAmount([oasis.quantity.fromBigInt(0n), NATIVE]);
    w.setFeeGas(100_000n);
    await w.sign([new oasis.signature.BlindContextSigner(this.signer)], this.#chainContext);
    return oasis.misc.toCBOR(w.unverifiedTransaction);
  }

  /** Submits a signed transaction and waits for the round that includes it (RuntimeClient.SubmitTxMeta). */
  async submit(tx: Uint8Array): Promise<Landed> {
    const meta = await this.nic.runtimeClientSubmitTxMeta({ runtime_id: this.runtimeId, data: tx });
    if (meta.check_tx_error !== undefined) {
      throw new Error(`check failed: ${meta.check_tx_error.module} ${meta.check_tx_error.code}`);
    }
    return {
      tx,
      round: BigInt(meta.round!),
      batchOrder: meta.batch_order ?? 0,
      outcome: { ...(decodeCanonical(meta.data!) as object) } as Landed['outcome'],
    };
  }

  /** Transfers `amount` to `to` (default: the recipient) with the next nonce and waits for it to land. */
  async transfer(amount: bigint, to = this.recipient): Promise<Landed> {
    return this.submit(await this.signedTransfer(amount, await this.nonce(), to));
  }

  /** Waits until this node has the runtime block of `round`, and returns it. */
  async waitForRound(round: bigint, timeoutMs = 60_000): Promise<oasis.types.RootHashBlock> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const latest = await this.nic.runtimeClientGetBlock({
          runtime_id: this.runtimeId,
          round: this.latestRound,
        });
        if (BigInt(latest.header.round) >= round)
          return await this.nic.runtimeClientGetBlock({ runtime_id: this.runtimeId, round });
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`round ${round} not reached in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A running localnet hosting the accounts ParaTime, as the ParaTime e2e tests use it. */
export interface ParaTimeNet {
  net: LocalnetManifest;
  procs: LocalnetProcesses;
  compute: LocalnetNode[];
  /** A client of the first compute node. */
  rt: ParaTimeClient;
  stop(): Promise<void>;
}

/**
 * Lays out and starts a localnet with 3 compute nodes running the accounts ParaTime (short blocks and
 * epochs) and waits until the first executor committee is elected.
 */
export async function startParaTimeNet(
  name: string,
  spec: Omit<LocalnetSpec, 'dir' | 'compute' | 'runtime'>,
  /** Edits nodes' configs (see `editNodeConfig`) before they start. */
  configure?: (net: LocalnetManifest) => void,
): Promise<ParaTimeNet> {
  const dir = mkdtempSync(join(tmpdir(), `oasis-ts-${name}-`));
  const procs = new LocalnetProcesses();
  const epochInterval = 12;
  const net = await prepareLocalnet({
    dir,
    compute: 3,
    runtime: 'accounts',
    timeoutCommitMs: 250,
    epochInterval,
    ...spec,
  });
  configure?.(net);
  for (const n of net.nodes) n.pid = procs.start(n);
  const compute = net.nodes.filter((n) => n.roles.includes('compute'));
  const stop = async () => {
    await procs.stopAll();
    if (!process.env.KEEP_DIR) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Committees are elected at the first epoch transition; every node (the client's compute node too) must
    // have caught up, or a first query can find it with no committed block yet.
    await Promise.all(net.nodes.map((n) => procs.waitHeight(n, epochInterval + 2, 120_000)));
  } catch (err) {
    await stop();
    throw err;
  }
  return { net, procs, compute, rt: new ParaTimeClient(net, compute[0]!), stop };
}

/** Rewrites a prepared node's YAML config through `edit` (before the node starts). */
export function editNodeConfig(node: LocalnetNode, edit: (config: Record<string, unknown>) => void): void {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(node.config, toYaml(config));
}
