/**
 * Accounts ParaTime throughput (never a test: numbers only).
 *
 * 1. Through the host: batches of B pre-signed transfers (distinct senders, each with its own nonce chain)
 *    executed by the real runtime process over the UNIX socket, state roots chained, the host replaying
 *    and checking every state write log. Reports transfers per second end to end, with the host's state in
 *    memory and in LMDB (each verified root flushed to disk before the call returns).
 * 2. In process (no host, no socket): the same batches executed by the runtime code directly, and the
 *    time spent authenticating the same transactions alone: the signature-verification share. Then the
 *    usual path: check (mempool) first, execute after, with signatures remembered from the check.
 *
 * Run: node --import tsx --import ./src/polyfill.ts bench/runtime/accounts.bench.ts [batch sizes…]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../src/codec/bytes.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { EMPTY_HASH } from '../../src/crypto/hash.ts';
import { RuntimeHost } from '../../src/runtime/node/host/host.ts';
import { LmdbTreeStore } from '../../src/runtime/node/state/lmdb_tree_store.ts';
import {
  accountsGenesis,
  encodeAccountsConfig,
} from '../../src/runtime/process/paratimes/accounts/genesis.ts';
import { Methods } from '../../src/runtime/process/paratimes/accounts/params.ts';
import { AccountsRuntime } from '../../src/runtime/process/paratimes/accounts/runtime.ts';
import { executeBatch } from '../../src/runtime/process/sdk/batch.ts';
import { signRuntimeTransaction } from '../../src/runtime/process/sdk/sign.ts';
import { runtimeSignatureContext, verifyTransaction } from '../../src/runtime/process/sdk/transaction.ts';
import { MemoryTreeStore } from '../../src/runtime/state/tree_store.ts';

const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const CHAIN = 'bench-chain';
const SENDERS = 1000;
const ROUNDS_PER_SIZE = 10;
const WARMUP_BATCHES = 10;
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(100, 1000);

const context = runtimeSignatureContext(RUNTIME_ID, CHAIN);
const keys = Array.from({ length: SENDERS }, (_, i) => {
  const seed = new Uint8Array(32);
  new DataView(seed.buffer).setUint32(0, i + 1);
  return Ed25519KeyPair.fromSeed(seed);
});
const addresses = keys.map((k) => addressFromPublicKey(k.publicKey));
const config = { balances: addresses.map((a): [Uint8Array, bigint] => [a, 10n ** 15n]), minGasPrice: 0n };
const nonces = new Array<bigint>(SENDERS).fill(0n);
let cursor = 0;

/** `n` transfers, round-robin over the senders, each to the next sender. */
function batch(n: number): Uint8Array[] {
  return Array.from({ length: n }, () => {
    const i = cursor++ % SENDERS;
    const to = addresses[(i + 1) % SENDERS]!;
    const body = { to, amount: [quantityToBytes(1n), new Uint8Array(0)] };
    return signRuntimeTransaction(
      keys[i]!,
      { method: Methods.transfer, body, nonce: nonces[i]!++, fee: 1n, gas: 5_000n },
      context,
    );
  });
}

const request = (round: bigint, stateRoot: Uint8Array, inputs: Uint8Array[]) => ({
  round,
  state_root: stateRoot,
  consensus_height: round,
  epoch: 0n,
  timestamp: 0n,
  max_messages: 0,
  inputs,
  in_msgs: [],
});

async function throughHost(persistent: boolean): Promise<void> {
  const label = persistent ? 'host (LMDB state)' : 'host';
  const runtimeDir = mkdtempSync(join(tmpdir(), 'rhb-'));
  const state = persistent ? LmdbTreeStore.open(join(runtimeDir, 'state')) : undefined;
  nonces.fill(0n);
  cursor = 0;
  const host = new RuntimeHost({
    runtimeId: RUNTIME_ID,
    runtimeDir,
    entry: fileURLToPath(new URL('../../src/runtime/process/paratimes/accounts/main.ts', import.meta.url)),
    consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: CHAIN },
    localConfig: encodeAccountsConfig(config),
    genesisWriteLog: accountsGenesis(config),
    callTimeoutMs: 120_000,
    ...(state ? { state } : {}),
  });
  const startedAt = performance.now();
  await host.start();
  console.log(`runtime process spawn + handshake: ${(performance.now() - startedAt).toFixed(0)} ms`);
  let root = host.genesisStateRoot;
  let round = 1n;
  try {
    for (let i = 0; i < WARMUP_BATCHES; i++)
      root = (await host.executeBatch(request(round++, root, batch(100)))).header.state_root;
    for (const size of sizes) {
      const batches = Array.from({ length: ROUNDS_PER_SIZE }, () => batch(size));
      const t0 = performance.now();
      for (const inputs of batches) {
        const out = await host.executeBatch(request(round++, root, inputs));
        root = out.header.state_root;
      }
      const ms = performance.now() - t0;
      const txs = size * ROUNDS_PER_SIZE;
      console.log(
        `${label}, batch ${size}: ${(txs / (ms / 1000)).toFixed(0)} transfers/s (${(ms / ROUNDS_PER_SIZE).toFixed(1)} ms per batch)`,
      );
    }
  } finally {
    await host.stop();
    await state?.close();
    rmSync(runtimeDir, { recursive: true, force: true });
  }
}

function inProcess(): void {
  const app = new AccountsRuntime();
  const store = new MemoryTreeStore();
  const genesis = app.init({
    runtime_id: RUNTIME_ID,
    consensus_backend: 'tendermint',
    consensus_protocol_version: { major: 7 },
    consensus_chain_context: CHAIN,
    local_config: encodeAccountsConfig(config),
  });
  let root = store.apply(EMPTY_HASH, genesis);
  nonces.fill(0n);
  cursor = 0;
  let round = 1n;
  for (let i = 0; i < WARMUP_BATCHES; i++)
    root = executeBatch(app, store, request(round++, root, batch(100))).header.state_root;
  for (const size of sizes) {
    const batches = Array.from({ length: ROUNDS_PER_SIZE }, () => batch(size));
    const t0 = performance.now();
    for (const inputs of batches)
      root = executeBatch(app, store, request(round++, root, inputs)).header.state_root;
    const execMs = performance.now() - t0;
    const t1 = performance.now();
    for (const inputs of batches) for (const raw of inputs) verifyTransaction(raw, context);
    const verifyMs = performance.now() - t1;
    // The usual path: the same process checked the transactions (mempool) before executing them, so their
    // signatures are already verified.
    const checked = Array.from({ length: ROUNDS_PER_SIZE }, () => batch(size));
    const t2 = performance.now();
    for (const inputs of checked)
      for (const raw of inputs) app.checkTx(store.reader(root), raw, request(round, root, []));
    const checkMs = performance.now() - t2;
    const t3 = performance.now();
    for (const inputs of checked)
      root = executeBatch(app, store, request(round++, root, inputs)).header.state_root;
    const checkedExecMs = performance.now() - t3;
    const txs = size * ROUNDS_PER_SIZE;
    const rate = (ms: number): string => (txs / (ms / 1000)).toFixed(0);
    console.log(
      `in process, batch ${size}: execute ${rate(execMs)} transfers/s; decode+verify alone ${rate(verifyMs)}/s ` +
        `= ${((100 * verifyMs) / execMs).toFixed(0)}% of execution; check ${rate(checkMs)}/s; ` +
        `execute after check (signatures cached) ${rate(checkedExecMs)}/s`,
    );
  }
}

await throughHost(false);
await throughHost(true);
inProcess();
