/**
 * Encrypted ERC-20 transfers against plain ones, in the same run (never a test: numbers only). The same
 * OpenZeppelin token, the same `transfer(to, 1)` calls signed by the same senders, executed in process as
 * ParaTime batches (sender recovery, nonces, fees, EVM, state root; state in memory) by:
 *   1. the plain EVM ParaTime;
 *   2. the confidential one (sapphire) with plain calldata: its contract storage is encrypted at rest;
 *   3. the confidential one with calldata encrypted by `@oasisprotocol/sapphire-paratime` (X25519 +
 *      Deoxys-II envelope per transaction, result sealed back): what a Sapphire client sends.
 * Keys come from a real key manager's derivation (in process). Transactions are signed and encrypted
 * before the clock starts, so only execution is timed; the first batch of each case is a warm-up.
 *
 * Run: node --import tsx --import ./src/polyfill.ts bench/runtime/confidential_erc20.bench.ts
 * SENDERS (default 50), PER_SENDER (default 20), BATCH (default 100) size the run.
 */
import { X25519DeoxysII } from '@oasisprotocol/sapphire-paratime';
import { Interface, Wallet } from 'ethers';
import { fromHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { oasisAddressOfEth, parseEthAddress } from '../../src/crypto/eth_address.ts';
import { EMPTY_HASH } from '../../src/crypto/hash.ts';
import { KeyManagerSecrets } from '../../src/runtime/node/keymanager/kdf.ts';
import { encodeEvmConfig } from '../../src/runtime/process/paratimes/evm/genesis.ts';
import { EvmRuntime } from '../../src/runtime/process/paratimes/evm/runtime.ts';
import { executeBatchAsync } from '../../src/runtime/process/sdk/batch.ts';
import { MemoryTreeStore } from '../../src/runtime/state/tree_store.ts';
import { compileTestToken } from '../../test/e2e/fixtures/erc20.ts';
import { reportRow } from '../report.ts';
import { verifyRate } from '../verify_rate.ts';
import { legacyEthSigner } from './eth_signer.ts';

const SENDERS = Number(process.env.SENDERS ?? 50);
const PER_SENDER = Number(process.env.PER_SENDER ?? 20);
const BATCH = Number(process.env.BATCH ?? 100);
const RUNTIME_ID = fromHex(`80${'00'.repeat(31)}`);
const CHAIN = 'bench-chain-context';
const EPOCH = 1n;
const TRANSFER_GAS_LIMIT = 150_000n;

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const token = compileTestToken();
const abi = new Interface(token.abi as never);
const wallets = Array.from({ length: SENDERS }, (_, i) => new Wallet(hex(new Uint8Array(32).fill(i + 1))));
const sink = new Wallet(hex(new Uint8Array(32).fill(0xee))).address;
const transferCall = abi.encodeFunctionData('transfer', [sink, 1n]);

/** One ParaTime with its store, executing batches in order and refusing any failed transaction. */
function paraTime(confidential: boolean) {
  const app = new EvmRuntime({ confidential });
  if (confidential) {
    const secrets = new KeyManagerSecrets(new Uint8Array(32).fill(5), fromHex(`c0${'00'.repeat(30)}ff`));
    app.attachHost({ keyPair: async (request) => secrets.keyPair({ runtime_id: RUNTIME_ID, ...request }) });
  }
  const store = new MemoryTreeStore();
  let root = store.apply(
    EMPTY_HASH,
    app.init({
      runtime_id: RUNTIME_ID,
      consensus_backend: 'tendermint',
      consensus_protocol_version: { major: 7 },
      consensus_chain_context: CHAIN,
      local_config: encodeEvmConfig({
        balances: wallets.map((w) => [oasisAddressOfEth(parseEthAddress(w.address)), 10n ** 18n]),
      }),
    }),
  );
  let round = 1n;
  const execute = async (inputs: Uint8Array[]) => {
    const out = await executeBatchAsync(app, store, {
      round: round++,
      state_root: root,
      consensus_height: 10n,
      epoch: EPOCH,
      timestamp: 1_700_000_000n,
      max_messages: 16,
      inputs,
      in_msgs: [],
    });
    for (const r of out.results) {
      const res = decodeCanonical(r) as { fail?: unknown };
      if (res.fail !== undefined)
        throw new Error(`transfer failed: ${JSON.stringify(res.fail, (_, v) => String(v))}`);
    }
    root = out.header.state_root;
    return out;
  };
  const sign = legacyEthSigner(TRANSFER_GAS_LIMIT);
  const callDataKey = async () => {
    const answer = (await app.query(
      store.reader(root),
      'core.CallDataPublicKey',
      decodeCanonical(encodeCanonical(null)),
      { round: round, state_root: root, consensus_height: 10n, epoch: EPOCH },
    )) as { public_key: { key: Uint8Array } };
    return answer.public_key.key;
  };
  return { execute, sign, callDataKey };
}

/** Deploys the token, hands every sender tokens; then times `PER_SENDER` rounds of transfers per sender. */
async function measure(confidential: boolean, encrypt: boolean): Promise<number> {
  const p = paraTime(confidential);
  const deployer = wallets[0]!;
  const deployed = await p.execute([
    await p.sign(deployer, null, token.bytecode + abi.encodeDeploy([10n ** 30n]).slice(2)),
  ]);
  const address = hex((decodeCanonical(deployed.results[0]!) as { ok: Uint8Array }).ok);
  const seed = await Promise.all(
    wallets
      .slice(1)
      .map((w) => p.sign(deployer, address, abi.encodeFunctionData('transfer', [w.address, 10n ** 20n]))),
  );
  for (let i = 0; i < seed.length; i += BATCH) await p.execute(seed.slice(i, i + BATCH));
  const publicKey = encrypt ? await p.callDataKey() : undefined;
  const txs: Uint8Array[] = [];
  for (let k = 0; k < PER_SENDER; k++)
    for (const w of wallets) {
      const data =
        publicKey === undefined
          ? transferCall
          : (X25519DeoxysII.ephemeral(publicKey, Number(EPOCH)).encryptCall(transferCall) as string);
      txs.push(await p.sign(w, address, data));
    }
  // The first batch warms the JIT and the key caches; the rest are timed.
  await p.execute(txs.slice(0, BATCH));
  const t0 = performance.now();
  for (let i = BATCH; i < txs.length; i += BATCH) await p.execute(txs.slice(i, i + BATCH));
  return ((txs.length - BATCH) * 1000) / (performance.now() - t0);
}

const verify = verifyRate();
const cases: Array<[string, boolean, boolean]> = [
  ['plain EVM', false, false],
  ['sapphire, plain calldata', true, false],
  ['sapphire, encrypted calldata', true, true],
];
const rates: number[] = [];
for (const [name, confidential, encrypt] of cases) {
  process.stderr.write(`${name}… `);
  const rate = await measure(confidential, encrypt);
  rates.push(rate);
  process.stderr.write(`${rate.toFixed(0)} transfers/s\n`);
  reportRow({
    bench: 'confidential_erc20',
    case: `ERC-20 in process: ${name}`,
    perSecond: rate,
    unit: 'tx/s',
    verifyPerSecond: verify,
  });
}
const base = rates[0]!;
console.log(
  `ERC-20 transfers in process, ${SENDERS * PER_SENDER - BATCH} timed per case, batches of ${BATCH}:`,
);
for (const [i, [name]] of cases.entries())
  console.log(
    `  ${name.padEnd(30)} ${rates[i]!.toFixed(0).padStart(6)} tx/s  (${((rates[i]! / base) * 100).toFixed(0)} % of plain)`,
  );
