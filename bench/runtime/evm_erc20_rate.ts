/**
 * The EVM ParaTime's in-process ERC-20 transfer rates, the ceiling an end-to-end figure is compared
 * with: the same `transfer(to, 1)` calls of the same solc-compiled OpenZeppelin token, (1) through the
 * EVM engine alone (no signature, nonce or fee work) and (2) as ethers-signed raw transactions through
 * the ParaTime's batch execution (sender recovery, nonces, fees, EVM, state root), in one process with
 * the state in memory.
 */
import { Interface, Wallet } from 'ethers';
import { fromHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { oasisAddressOfEth, parseEthAddress } from '../../src/crypto/eth_address.ts';
import { EMPTY_HASH } from '../../src/crypto/hash.ts';
import { type EvmBlock, EvmEngine } from '../../src/runtime/process/paratimes/evm/engine.ts';
import { encodeEvmConfig } from '../../src/runtime/process/paratimes/evm/genesis.ts';
import { DEFAULT_CHAIN_ID, DEFAULT_MAX_BATCH_GAS } from '../../src/runtime/process/paratimes/evm/params.ts';
import { EvmRuntime } from '../../src/runtime/process/paratimes/evm/runtime.ts';
import { executeBatchAsync } from '../../src/runtime/process/sdk/batch.ts';
import { MemoryTreeStore } from '../../src/runtime/state/tree_store.ts';
import { StateOverlay } from '../../src/state/overlay.ts';
import type { CompiledContract } from '../../test/e2e/fixtures/erc20.ts';
import { legacyEthSigner } from './eth_signer.ts';

/** Gas limit of one benchmark ERC-20 transfer (a first transfer to a fresh holder costs ~52k). */
export const TRANSFER_GAS_LIMIT = 100_000n;

/** Transfers per second by each in-process path. */
export interface Erc20Rates {
  /** `EvmEngine.run` of the transfer call alone. */
  engine: number;
  /** Signed raw transactions through `EvmRuntime.executeBatch`, state root computed per batch. */
  runtime: number;
  transfers: number;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const CHAIN = 'bench-chain-context';

/**
 * Measures both rates over `senders` × `perSender` transfers (batches of `batchSize`) of `token`, each of
 * 1 unit to one sink address; throws if any transfer fails, so a broken setup cannot pass for a fast one.
 */
/** A distinct valid secp256k1 private key for sender `i` (any count of senders). */
function senderKey(i: number): Uint8Array {
  const key = new Uint8Array(32).fill(1);
  new DataView(key.buffer).setUint32(28, i);
  return key;
}

export async function measureErc20Rates(
  token: CompiledContract,
  senders: number,
  perSender: number,
  batchSize: number,
): Promise<Erc20Rates> {
  const abi = new Interface(token.abi as never);
  const wallets = Array.from({ length: senders }, (_, i) => new Wallet(hex(senderKey(i))));
  const deployer = wallets[0]!;
  const app = new EvmRuntime();
  const store = new MemoryTreeStore();
  const ether = 10n ** 18n;
  const genesis = app.init({
    runtime_id: fromHex(`80${'00'.repeat(31)}`),
    consensus_backend: 'tendermint',
    consensus_protocol_version: { major: 7 },
    consensus_chain_context: CHAIN,
    local_config: encodeEvmConfig({
      balances: wallets.map(
        (w) => [oasisAddressOfEth(parseEthAddress(w.address)), ether] as [Uint8Array, bigint],
      ),
    }),
  });
  let root = store.apply(EMPTY_HASH, genesis);
  let round = 1n;
  const sign = legacyEthSigner(TRANSFER_GAS_LIMIT);
  const execute = async (inputs: Uint8Array[]) => {
    const out = await executeBatchAsync(app, store, {
      round: round++,
      state_root: root,
      consensus_height: 10n,
      epoch: 1n,
      timestamp: 1_700_000_000n,
      max_messages: 16,
      inputs,
      in_msgs: [],
    });
    for (const r of out.results) {
      const res = decodeCanonical(r) as { fail?: { message?: string } };
      if (res.fail !== undefined) throw new Error(`in-process transfer failed: ${JSON.stringify(res.fail)}`);
    }
    root = out.header.state_root;
    return out;
  };

  // Deploy, then hand every sender tokens (one batch: execution is sequential, so nonces chain).
  const deployData = token.bytecode + abi.encodeDeploy([10n ** 30n]).slice(2);
  const deployed = await execute([await sign(deployer, null, deployData)]);
  const address = hex((decodeCanonical(deployed.results[0]!) as unknown as { ok: Uint8Array }).ok);
  const seed = await Promise.all(
    wallets
      .slice(1)
      .map((w) => sign(deployer, address, abi.encodeFunctionData('transfer', [w.address, 10n ** 20n]))),
  );
  for (let i = 0; i < seed.length; i += batchSize) await execute(seed.slice(i, i + batchSize));

  const sink = Wallet.createRandom().address;
  const call = abi.encodeFunctionData('transfer', [sink, 1n]);
  const transfers = senders * perSender;

  // (1) The engine alone, over an overlay of the seeded state (nothing committed).
  const engine = await EvmEngine.create(DEFAULT_CHAIN_ID);
  const base = store.reader(root);
  const overlay = new StateOverlay(base);
  const block: EvmBlock = { number: round, timestamp: 0n, gasLimit: DEFAULT_MAX_BATCH_GAS, baseFee: 0n };
  const callData = fromHex(call.slice(2));
  const tokenAddress = parseEthAddress(address);
  const callers = wallets.map((w) => parseEthAddress(w.address));
  const t0 = performance.now();
  for (let n = 0; n < transfers; n++) {
    const tx = new StateOverlay(overlay);
    const out = await engine.run(
      tx,
      overlay,
      {
        caller: callers[n % senders]!,
        to: tokenAddress,
        value: 0n,
        data: callData,
        gasLimit: 70_000n,
        gasPrice: 0n,
      },
      block,
    );
    if (out.status !== 'ok') throw new Error(`engine transfer ${out.status}: ${out.error ?? ''}`);
    tx.commitTo(overlay);
  }
  const engineMs = performance.now() - t0;

  // (2) Signed transactions through the ParaTime's batch execution, senders interleaved within a batch.
  const signedTxs: Uint8Array[] = [];
  for (let k = 0; k < perSender; k++) for (const w of wallets) signedTxs.push(await sign(w, address, call));
  const t1 = performance.now();
  for (let i = 0; i < signedTxs.length; i += batchSize) await execute(signedTxs.slice(i, i + batchSize));
  const runtimeMs = performance.now() - t1;

  return { engine: (transfers * 1000) / engineMs, runtime: (transfers * 1000) / runtimeMs, transfers };
}
